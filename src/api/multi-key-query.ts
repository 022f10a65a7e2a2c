/**
 * The key side of a Query on a GSI with a multi-attribute key (up to four HASH and four RANGE attributes). The
 * condition must give every HASH attribute an equality; on the RANGE attributes it may name a prefix, left to
 * right in KeySchema order, with equalities on all but the last attribute it names, which may carry any sort key
 * condition (=, <, <=, >, >=, BETWEEN, begins_with). The clauses may come in any order. Such a Query still reads
 * one storage-key range (multiKeyIndexRange).
 *
 * Messages follow the single-attribute Query's where the case is the same (a missing HASH condition, a non-equality
 * on a HASH attribute, a value of the wrong type). A RANGE attribute skipped, or given a range condition, before
 * the last one named is DynamoDB's `RANGE key attributes <skipped> must have equality conditions specified in the
 * query because a condition is present on key attribute <last>`, as recorded against DynamoDB by other emulators'
 * test suites. Legacy KeyConditions take the same rules (one condition per attribute is all they can say anyway).
 */
import { validationError } from '../errors.js';
import { keyAttributeNames } from '../engine/secondary-index.js';
import type { KeyPart } from '../engine/table-metadata.js';
import type { Item } from '../model/attribute-value.js';
import { encodeKeyValue, multiKeyIndexRange, type KeyValue, type SortKeyCondition } from '../model/key-encoding.js';
import { allKeyParts, keyParts } from '../model/key-parts.js';
import {
  KEY_SCHEMA_MISMATCH,
  NOT_INDEXABLE,
  START_KEY_INVALID,
  sortCondition,
  startStorageKey,
  type KeyTerm,
  type QueryRange,
  type QueryTarget,
} from './query-key.js';

export function multiKeyQueryRange(target: QueryTarget, terms: ReadonlyMap<string, KeyTerm>, startKey: Item | undefined): QueryRange {
  const { key } = target;
  const parts = keyParts(key);
  const startKeySize = keyAttributeNames(target.tableKey ?? key, key).length;
  if (startKey !== undefined && Object.keys(startKey).length !== startKeySize) throw validationError(START_KEY_INVALID);

  const checkStart = (part: KeyPart): void => {
    if (startKey === undefined) return;
    const value = startKey[part.name];
    if (value === undefined) throw validationError(START_KEY_INVALID);
    if (!(part.type in value)) throw validationError(KEY_SCHEMA_MISMATCH);
  };
  const checkTerm = (part: KeyPart, term: KeyTerm): void => {
    if (NOT_INDEXABLE.has(term.operator)) throw validationError('Attempted conditional constraint is not an indexable operation');
    if (term.values.some((value) => !(part.type in value))) {
      throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
  };

  const hashValues: KeyValue[] = [];
  for (const part of parts.hash) {
    checkStart(part);
    const term = terms.get(part.name);
    if (term === undefined) throw validationError(`Query condition missed key schema element: ${part.name}`);
    checkTerm(part, term);
    if (term.operator !== 'EQ') throw validationError('Query key condition not supported');
    hashValues.push(term.values[0] as KeyValue);
  }

  // A condition on an attribute outside the key: as for a single-attribute key, the first RANGE attribute without
  // a condition is reported missing, or, when every one has a condition, the condition is not supported.
  const keyNames = new Set(allKeyParts(key).map((part) => part.name));
  if ([...terms.keys()].some((name) => !keyNames.has(name))) {
    const missing = parts.range.find((part) => !terms.has(part.name));
    throw validationError(
      missing === undefined ? 'Query key condition not supported' : `Query condition missed key schema element: ${missing.name}`,
    );
  }

  let lastNamed = -1;
  for (const [position, part] of parts.range.entries()) if (terms.has(part.name)) lastNamed = position;
  const prefix: KeyValue[] = [];
  let condition: SortKeyCondition | undefined;
  for (const [position, part] of parts.range.entries()) {
    checkStart(part);
    if (position > lastNamed) continue;
    const term = terms.get(part.name);
    const last = parts.range[lastNamed] as KeyPart;
    if (term === undefined) throw equalityRequired(part, last);
    checkTerm(part, term);
    if (position === lastNamed) {
      condition = sortCondition(term);
    } else {
      if (term.operator !== 'EQ') throw equalityRequired(part, last);
      prefix.push(term.values[0] as KeyValue);
    }
  }

  const range = multiKeyIndexRange(hashValues, prefix, condition);
  if (startKey === undefined) return { range };

  const storageKey = startStorageKey(target, startKey);
  const startHashes = parts.hash.map((part) => startKey[part.name] as KeyValue);
  const sameHash = startHashes.every((value, i) => Buffer.compare(encodeKeyValue(value), encodeKeyValue(hashValues[i] as KeyValue)) === 0);
  if (prefix.length === 0 && condition === undefined) {
    if (!sameHash) throw validationError('The provided starting key is outside query boundaries based on provided conditions');
  } else {
    // As on a single-attribute key: the RANGE conditions first, within the starting key's own partition.
    const own = multiKeyIndexRange(startHashes, prefix, condition);
    if (Buffer.compare(storageKey, own.start) < 0 || Buffer.compare(storageKey, own.end) >= 0) {
      throw validationError('The provided starting key does not match the range key predicate');
    }
    if (!sameHash) throw validationError('The query can return at most one row and cannot be restarted');
  }
  return { range, startAfter: storageKey };
}

function equalityRequired(skipped: KeyPart, last: KeyPart): Error {
  return validationError(
    `RANGE key attributes ${skipped.name} must have equality conditions specified in the query because a condition is present on key attribute ${last.name}`,
  );
}
