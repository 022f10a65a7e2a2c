/**
 * The key side of a Query: the key condition (KeyConditionExpression or the legacy KeyConditions, brought to one
 * form) checked against the table's key, and ExclusiveStartKey checked against both; the result is the one
 * storage-key range the Query reads, and where in it to resume.
 *
 * DynamoDB's order, which decides the message when several things are wrong: the number of conditions (before
 * the table is known); then the starting key's attribute count; then, for the hash key and then the range key,
 * the starting key's attribute (present, of the key's type) followed by that attribute's condition (present,
 * indexable, of the key's type, `=` for the hash key); then the starting key against the conditions.
 *
 * A GSI with a multi-attribute key (several HASH or RANGE attributes) takes up to eight conditions, so the count
 * is settled here only for other keys (more than two conditions are refused once the target is known); the rules
 * of such a key are in multi-key-query.ts.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { keyAttributeNames } from '../engine/secondary-index.js';
import type { TableKey } from '../engine/table-metadata.js';
import type { ConditionNode } from '../expressions/ast.js';
import { analyzeKeyCondition, type KeyOperator } from '../expressions/key-condition.js';
import type { LegacyCondition } from '../expressions/legacy/expected.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import {
  encodeIndexEntryKey,
  encodeItemKey,
  encodeKeyValue,
  indexSortKeyRange,
  keyAttributesOf,
  sortKeyRange,
  type KeyRange,
  type KeyValue,
  type SortKeyCondition,
} from '../model/key-encoding.js';
import { MAX_KEY_PARTS, isMultiAttributeKey, keyParts } from '../model/key-parts.js';
import { extractKey, keyPart } from '../model/key-validation.js';
import { multiKeyQueryRange } from './multi-key-query.js';

/** One condition on one attribute, in the legacy operator names both forms map to. */
export interface KeyTerm {
  readonly operator: string;
  readonly values: readonly AttributeValue[];
}

const EXPRESSION_OPERATORS: Readonly<Record<KeyOperator, string>> = {
  '=': 'EQ',
  '<': 'LT',
  '<=': 'LE',
  '>': 'GT',
  '>=': 'GE',
  BETWEEN: 'BETWEEN',
  BEGINS_WITH: 'BEGINS_WITH',
};

/** Operators a key condition can never use (valid in filters only). */
export const NOT_INDEXABLE: ReadonlySet<string> = new Set(['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN']);

/**
 * The key condition as attribute -> term, from whichever form the request used. Checked before the table lookup:
 * the expression's shape (analyzeKeyCondition) and the number of conditions.
 */
export function keyTerms(keyCondition: ConditionNode | undefined, keyConditions: unknown): Map<string, KeyTerm> {
  const terms = new Map<string, KeyTerm>();
  if (keyCondition !== undefined) {
    for (const term of analyzeKeyCondition(keyCondition)) {
      const values = term.operands.map((operand) => {
        // Resolved operands of a validated key condition are literals (analyzeKeyCondition rejects the rest).
        if (operand.kind !== 'Literal') throw new Error(`unexpected key condition operand ${operand.kind}`);
        return operand.value;
      });
      terms.set(term.attribute, { operator: EXPRESSION_OPERATORS[term.operator], values });
    }
  } else if (typeof keyConditions === 'object' && keyConditions !== null) {
    const map = keyConditions as Readonly<Record<string, LegacyCondition | null>>;
    for (const name in map) {
      const condition = map[name];
      if (condition === undefined || condition === null) continue;
      terms.set(name, { operator: String(condition.ComparisonOperator), values: condition.AttributeValueList ?? [] });
    }
  }
  // A multi-attribute GSI key takes up to eight conditions; whether more than two suit the key is known once the
  // target is (queryRange).
  if (terms.size === 0 || terms.size > MAX_KEY_CONDITIONS) throw validationError(CONDITION_COUNT);
  return terms;
}

const CONDITION_COUNT = 'Conditions can be of length 1 or 2 only';
const MAX_KEY_CONDITIONS = 2 * MAX_KEY_PARTS;

export interface QueryRange {
  /** The storage-key range of the items that satisfy the key condition. */
  readonly range: KeyRange;
  /** The storage key of ExclusiveStartKey, when given: the page resumes past it (in the read direction). */
  readonly startAfter?: Uint8Array;
}

export const START_KEY_INVALID = 'The provided starting key is invalid';
export const KEY_SCHEMA_MISMATCH = 'The provided key element does not match the schema';

/**
 * What a Query reads: a table (its key) or a secondary index (the index's key, plus the table's key, which every
 * index entry and every ExclusiveStartKey on an index also carries).
 */
export interface QueryTarget {
  readonly key: TableKey;
  /** Set when the target is an index. */
  readonly tableKey?: TableKey;
}

/** Checks the key condition and ExclusiveStartKey against the target's key; returns what the Query reads. */
export function queryRange(target: QueryTarget, terms: ReadonlyMap<string, KeyTerm>, startKey: Item | undefined): QueryRange {
  if (isMultiAttributeKey(target.key)) return multiKeyQueryRange(target, terms, startKey);
  if (terms.size > 2) throw validationError(CONDITION_COUNT);
  const { key, tableKey } = target;
  const keyParts = key.range === undefined ? [key.hash] : [key.hash, key.range];
  const startKeySize = tableKey === undefined ? keyParts.length : keyAttributeNames(tableKey, key).length;
  if (startKey !== undefined && Object.keys(startKey).length !== startKeySize) throw validationError(START_KEY_INVALID);

  let sort: SortKeyCondition | undefined;
  for (const [index, part] of keyParts.entries()) {
    const isHash = index === 0;
    if (startKey !== undefined) {
      const value = startKey[part.name];
      if (value === undefined) throw validationError(START_KEY_INVALID);
      if (!(part.type in value)) throw validationError(KEY_SCHEMA_MISMATCH);
    }
    if (isHash && key.range === undefined && terms.size > 1) throw validationError('Query key condition not supported');
    const term = terms.get(part.name);
    if (term === undefined) {
      if (isHash || terms.size > 1) throw validationError(`Query condition missed key schema element: ${part.name}`);
      continue;
    }
    if (NOT_INDEXABLE.has(term.operator)) throw validationError('Attempted conditional constraint is not an indexable operation');
    if (term.values.some((value) => !(part.type in value))) {
      throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (isHash) {
      if (term.operator !== 'EQ') throw validationError('Query key condition not supported');
    } else {
      sort = sortCondition(term);
    }
  }

  const hashValue = terms.get(key.hash.name)?.values[0] as KeyValue;
  const rangeOf = tableKey === undefined ? sortKeyRange : indexSortKeyRange;
  const range = rangeOf(key, hashValue, sort);
  if (startKey === undefined) return { range };

  const storageKey = startStorageKey(target, startKey);
  const startHash = startKey[key.hash.name] as KeyValue;
  const sameHash = Buffer.compare(encodeKeyValue(startHash), encodeKeyValue(hashValue)) === 0;
  if (sort === undefined) {
    if (!sameHash) throw validationError('The provided starting key is outside query boundaries based on provided conditions');
  } else {
    // The range predicate is checked first, within the starting key's own partition.
    const own = rangeOf(key, startHash, sort);
    if (Buffer.compare(storageKey, own.start) < 0 || Buffer.compare(storageKey, own.end) >= 0) {
      throw validationError('The provided starting key does not match the range key predicate');
    }
    if (!sameHash) throw validationError('The query can return at most one row and cannot be restarted');
  }
  return { range, startAfter: storageKey };
}

/**
 * The storage key of a (shape-checked) ExclusiveStartKey: on a table its item key; on an index the entry key, from
 * the index key and the table key it carries. Empty or oversized values get the messages of a Key; on an index,
 * the table key part is checked as a Key and reported as an invalid starting key, as DynamoDB does.
 */
export function startStorageKey(target: QueryTarget, startKey: Item): Uint8Array {
  const { key, tableKey } = target;
  if (tableKey === undefined) return encodeItemKey(key, extractKey(key, startKey, 'key'));
  let tableStorageKey: Uint8Array;
  try {
    tableStorageKey = encodeItemKey(tableKey, extractKey(tableKey, keyAttributesOf(tableKey, startKey), 'key'));
  } catch (error) {
    if (error instanceof DynamoDbError && error.type === 'ValidationException') {
      throw validationError(`${START_KEY_INVALID}: ${error.message}`);
    }
    throw error;
  }
  if (isMultiAttributeKey(key)) {
    // Each attribute of a multi-attribute key is checked as a Key's would be (empty values, sizes).
    const parts = keyParts(key);
    for (const part of parts.hash) keyPart(startKey, part.name, part.type, true, 'key');
    for (const part of parts.range) keyPart(startKey, part.name, part.type, false, 'key');
  } else {
    extractKey(key, keyAttributesOf(key, startKey), 'key');
  }
  return encodeIndexEntryKey(key, startKey, tableStorageKey);
}

export function sortCondition(term: KeyTerm): SortKeyCondition {
  const [first, second] = term.values as readonly KeyValue[];
  const value = first as KeyValue;
  switch (term.operator) {
    case 'EQ':
      return { op: '=', value };
    case 'LT':
      return { op: '<', value };
    case 'LE':
      return { op: '<=', value };
    case 'GT':
      return { op: '>', value };
    case 'GE':
      return { op: '>=', value };
    case 'BETWEEN':
      return { op: 'BETWEEN', low: value, high: second as KeyValue };
    case 'BEGINS_WITH':
      return { op: 'begins_with', prefix: value };
    default:
      throw validationError('Attempted conditional constraint is not an indexable operation');
  }
}
