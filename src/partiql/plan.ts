/**
 * Planning a PartiQL statement: the contract between the parser's tree and the operations that run statements
 * (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction). A plan says what to do on the engine and nothing
 * about how a response is shaped:
 * - a `ReadPlan` (SELECT): a point read, one or more Queries (a partition key fixed by `=`, `IN` or an OR of
 *   `=`), or a Scan, on the table or one of its indexes, with the whole WHERE as the filter (the key conditions
 *   in it then hold for every item read, so keeping them changes nothing) and the projection;
 * - a `WritePlan` (INSERT, UPDATE, DELETE): one item by its whole key, with `itemWrite` building the `ItemWrite`
 *   the one write path (src/engine/write-path.ts) commits, alone or in a transaction; its decision implements
 *   INSERT's `attribute_not_exists` (DuplicateItemException), UPDATE's implicit `attribute_exists`
 *   (ConditionalCheckFailedException; an UPDATE never creates an item), DELETE's "nothing to delete is success",
 *   and the WHERE's other predicates as the condition;
 * - an `ExistsPlan` (`EXISTS(SELECT ...)`, transactions only): a condition check on one item.
 *
 * Planning checks everything DynamoDB checks before touching an item, in its order: the parameter count, the
 * statement form, the table and index, the key equalities of a write, the values.
 */
import { DynamoDbError, conditionalCheckFailed, resourceNotFound, validationError } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { IndexMetadata, TableKey, TableMetadata } from '../engine/table-metadata.js';
import type { Namespace } from '../engine/catalog.js';
import type { ItemWrite, WriteOutcome } from '../engine/write-path.js';
import { encodeItemKey } from '../model/key-encoding.js';
import { extractKey } from '../model/key-validation.js';
import { assertItemSizeWithinLimit, itemSize, MAX_ITEM_SIZE } from '../model/item-size.js';
import { assertUpdateNesting } from '../model/validate-attribute-value.js';
import { checkIndexKeys } from '../engine/index-key-validation.js';
import { findIndex } from '../engine/secondary-index.js';
import { isMultiAttributeKey } from '../model/key-parts.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { compareOrdered } from '../expressions/compare-values.js';
import { applyUpdate, assertKeyNotUpdated } from '../expressions/apply-update.js';
import { compileProjection, type Projection } from '../expressions/project.js';
import type { ConditionNode, PathNode, UpdateExpressionNode } from '../expressions/ast.js';
import type { Expr, ParsedStatement, Returning, SelectStatement, Statement, TableRef } from './ast.js';
import { parseStatement } from './parser.js';
import { allKeyParts } from '../model/key-parts.js';
import { ParseCache } from '../expressions/parse-cache.js';
import {
  PARAMETER_COUNT,
  projectedName,
  toCondition,
  toMap,
  toPath,
  toUpdateActions,
  toValue,
  topLevelName,
  validatedItem,
  type Binding,
} from './translate.js';

/** What planning needs of the engine: the tables of the caller's account and region. */
export interface PlanContext extends Namespace {
  readonly catalog: { getTable(namespace: Namespace, tableName: string): TableMetadata | undefined };
}

export type StatementPlan = ReadPlan | WritePlan | ExistsPlan;

/** One Query of a SELECT: a partition (its hash key value) and, optionally, a sort key condition. */
export interface PartitionRead {
  readonly hash: AttributeValue;
  /** In the key-condition form of src/api/query-key.ts (operator EQ, LT, LE, GT, GE, BETWEEN). */
  readonly range?: { readonly operator: string; readonly values: readonly AttributeValue[] };
}

export interface ReadPlan {
  readonly kind: 'read';
  readonly table: TableMetadata;
  /** `FROM "t"."index"`; undefined for the table. */
  readonly index?: IndexMetadata;
  /**
   * `point`: every key attribute of the table fixed by `=` (at most one item: `key` is it); `query`: one Query per
   * entry of `partitions`, in that order; `scan`: the whole table or index.
   */
  readonly access: 'point' | 'query' | 'scan';
  /** For `point`: the item's whole key. */
  readonly key?: Item;
  /** For `query` (and `point`, as its one partition). */
  readonly partitions: readonly PartitionRead[];
  /** The whole WHERE, applied to every item read. */
  readonly filter?: ConditionNode;
  /** Undefined for `SELECT *`. Items come back with each path under its last component (`a.b` as `b`). */
  readonly projection?: Projection;
  readonly projectionPaths?: readonly PathNode[];
  /** ORDER BY ... DESC on the sort key (or on the partition key, which reverses the order of the partitions). */
  readonly reverse: boolean;
  /** The top-level attributes the WHERE names (for an index's projection check). */
  readonly filterNames: ReadonlySet<string>;
}

export type ReturningMode = 'ALL_OLD' | 'MODIFIED_OLD' | 'ALL_NEW' | 'MODIFIED_NEW';

export interface WritePlan {
  readonly kind: 'write';
  readonly operation: 'INSERT' | 'UPDATE' | 'DELETE';
  readonly table: TableMetadata;
  /** The item's whole key. */
  readonly key: Item;
  readonly storageKey: Uint8Array;
  /** RETURNING, on UPDATE and DELETE. */
  readonly returning?: ReturningMode;
  /** INSERT: the size of the item it writes (a transaction's writes may not exceed 4 MB together). */
  readonly itemSize?: number;
  /**
   * The write for the write path. `returnValuesOnConditionCheckFailure` ALL_OLD puts the current item on a
   * ConditionalCheckFailedException. Each call gives a fresh write (the decision remembers what it changed).
   */
  itemWrite(returnValuesOnConditionCheckFailure?: string): PlannedWrite;
}

export interface PlannedWrite {
  readonly write: ItemWrite;
  /** The item RETURNING asks for, from the committed outcome; undefined without RETURNING. */
  returned(outcome: WriteOutcome): Item | undefined;
}

export interface ExistsPlan {
  readonly kind: 'exists';
  readonly table: TableMetadata;
  readonly key: Item;
  readonly storageKey: Uint8Array;
  /** Whether the (possibly absent) item satisfies the EXISTS: it exists and the WHERE holds. */
  holds(item: Item | undefined): boolean;
}

export const DUPLICATE_ITEM_MESSAGE = 'Duplicate primary key exists in table';
export const MISSING_KEY_EQUALITY = 'Where clause does not contain a mandatory equality on all key attributes';

export function duplicateItem(): DynamoDbError {
  return new DynamoDbError('DuplicateItemException', DUPLICATE_ITEM_MESSAGE);
}

/**
 * Parsed statements by text: applications send the same statements over and over with other parameters, and a
 * tree is never modified, so a hit skips lexing and parsing (syntax errors are cached as their message).
 */
const PARSED = new ParseCache<ParsedStatement>(1000);

/** A statement parsed once per text (the cache also remembers a syntax error, thrown again as the same ValidationException). */
export function parseCached(text: string): ParsedStatement {
  return PARSED.get(text, () => parseStatement(text));
}

/**
 * Parses and plans one statement, binding `parameters` to its `?`s. Throws DynamoDB's errors: syntax
 * (ValidationException), parameter count, unknown table (ResourceNotFoundException) or index, refused constructs.
 * `allowExists` is for ExecuteTransaction, the only place EXISTS may stand.
 */
export function planStatement(
  context: PlanContext,
  text: string,
  parameters: readonly AttributeValue[] | undefined,
  allowExists = false,
): StatementPlan {
  const parsed = parseCached(text);
  // DynamoDB accepts more values than `?`s (recorded on DynamoDB Local; unconfirmed on the service).
  if ((parameters?.length ?? 0) < parsed.parameterCount) throw validationError(PARAMETER_COUNT);
  const binding: Binding = { text, parameters: parameters ?? [] };
  return planParsed(context, parsed.statement, binding, allowExists);
}

function planParsed(context: PlanContext, statement: Statement, binding: Binding, allowExists: boolean): StatementPlan {
  switch (statement.kind) {
    case 'Select':
      return planSelect(context, statement, binding);
    case 'Insert':
      return planInsert(context, statement, binding);
    case 'Update':
    case 'Delete':
      return planKeyedWrite(context, statement, binding);
    case 'Exists':
      if (!allowExists) throw validationError('EXISTS can only be used in ExecuteTransaction write requests.');
      return planExists(context, statement.select, binding);
    case 'Expression':
      throw validationError(`Unsupported operation: ${operationName(statement.expr)}`);
  }
}

/**
 * The AST class name DynamoDB Local names in `Unsupported operation: %s` (partiql-lang-kotlin's node names, mapped
 * from this tree's kinds by hand: unconfirmed for anything but the template).
 */
function operationName(expr: Expr): string {
  switch (expr.kind) {
    case 'Is':
      return 'IsType';
    case 'Call':
      return 'Call';
    case 'Comparison':
    case 'And':
    case 'Or':
    case 'Not':
    case 'Arithmetic':
    case 'Between':
    case 'In':
    case 'Like':
    case 'Concat':
    case 'Unary':
      return 'NAry';
    case 'Path':
      return 'Path';
    case 'Identifier':
      return 'VariableReference';
    case 'Parameter':
      return 'Parameter';
    default:
      return 'Literal';
  }
}

// --------------------------------------------------------------------------------------------------- FROM

interface Source {
  readonly table: TableMetadata;
  readonly index?: IndexMetadata;
}

/** `"t"` or `"t"."i"`; the table is looked up before the index (an unknown table is ResourceNotFound). */
function resolveSource(context: PlanContext, ref: TableRef, allowIndex: boolean): Source {
  if (ref.alias !== undefined) throw validationError('Aliasing is not supported');
  const source = ref.source;
  let tableName: string;
  let indexName: string | undefined;
  if (source.kind === 'Identifier') {
    tableName = source.name;
  } else if (source.kind === 'Path' && source.steps.length === 1 && source.steps[0]?.kind === 'Field') {
    tableName = source.root.name;
    indexName = source.steps[0].name.name;
  } else if (source.kind === 'Path') {
    throw validationError('A path may contain at most 2 components in the FROM clause');
  } else {
    throw validationError('Unexpected from source');
  }
  const table = context.catalog.getTable(context, tableName);
  if (table === undefined) throw resourceNotFound('Requested resource not found');
  if (indexName === undefined) return { table };
  if (!allowIndex) throw validationError('This operation is not supported on an index');
  const index = findIndex(table, indexName);
  if (index === undefined || index.status === 'DELETING') throw validationError('The table does not have the specified index');
  return { table, index };
}

// ------------------------------------------------------------------------------------------------- SELECT

function planSelect(context: PlanContext, select: SelectStatement, binding: Binding): ReadPlan {
  if (select.groupBy !== undefined) throw validationError('Unsupported clause: GROUP BY');
  if (select.having !== undefined) throw validationError('Unsupported clause: HAVING');
  if (select.limit !== undefined || select.offset !== undefined) throw validationError('Unsupported clause: LIMIT');
  if (select.selectValue) throw validationError("Select projection doesn't support value or pivot keywords");
  if (select.distinct) throw validationError('Unsupported token in expression: DISTINCT');
  if (select.from.length !== 1) throw validationError('Only select from a single table or index is supported.');
  const { table, index } = resolveSource(context, select.from[0] as TableRef, true);

  let projectionPaths: PathNode[] | undefined;
  if (select.projection !== '*') {
    projectionPaths = [];
    const names = new Set<string>();
    for (const item of select.projection) {
      if (item.alias !== undefined) throw validationError('Aliasing is not supported');
      const path = toPath(item.expr, binding);
      if (path === undefined) throw validationError(`Unsupported token in expression: ${item.expr.kind.toUpperCase()}`);
      if (path.elements[0]?.kind === 'ListIndex') throw validationError('A path cannot start with a list index');
      const name = projectedName(path);
      if (names.has(name)) throw validationError(`Duplicate identifiers in select clause: ${name}`);
      names.add(name);
      projectionPaths.push(path);
    }
  }

  const filter = select.where === undefined ? undefined : toCondition(select.where, binding);
  const key = index?.key ?? table.key;
  const conjuncts = select.where === undefined ? [] : andTerms(select.where);
  const partitions = isMultiAttributeKey(key) ? undefined : partitionReads(conjuncts, key, binding);
  const order = orderBy(select, key, partitions?.length ?? 0);
  const reverse = order.reverse;
  // ORDER BY on the partition key: the partitions are read in key order (each one's items in sort-key order).
  if (order.byHash && partitions !== undefined) {
    partitions.sort((a, b) => (compareOrdered(a.hash, b.hash) ?? 0) * (reverse ? -1 : 1));
  }

  let access: ReadPlan['access'] = 'scan';
  let pointKey: Item | undefined;
  if (partitions !== undefined) {
    access = 'query';
    const only = partitions.length === 1 ? partitions[0] : undefined;
    if (index === undefined && only !== undefined && (key.range === undefined || only.range?.operator === 'EQ')) {
      access = 'point';
      pointKey = { [key.hash.name]: only.hash, ...(key.range !== undefined ? { [key.range.name]: only.range?.values[0] as AttributeValue } : {}) };
    }
  }
  // A WHERE of nothing but the key equalities of a point read holds for the one item it reads: no filter.
  const keyOnly =
    access === 'point' &&
    conjuncts.every(
      (term) =>
        keyEquality(term, key.hash.name, key.hash.type, binding) !== undefined ||
        (key.range !== undefined && keyEquality(term, key.range.name, key.range.type, binding) !== undefined),
    );
  const filterNames = new Set<string>();
  if (select.where !== undefined) collectNames(select.where, filterNames);
  return {
    kind: 'read',
    table,
    ...(index !== undefined ? { index } : {}),
    access,
    ...(pointKey !== undefined ? { key: pointKey } : {}),
    partitions: partitions ?? [],
    ...(filter !== undefined && !keyOnly ? { filter } : {}),
    ...(projectionPaths !== undefined ? { projectionPaths, projection: renamed(projectionPaths) } : {}),
    reverse,
    filterNames,
  };
}

/** A projection that returns each path under its last component, as DynamoDB does (`SELECT a.b` gives `{b}`). */
function renamed(paths: readonly PathNode[]): Projection {
  const whole = paths.every((path) => path.elements.length === 1);
  if (whole) return compileProjection(paths);
  const parts = paths.map((path) => ({ name: projectedName(path), project: compileProjection([path]), path }));
  return (item) => {
    const out: Record<string, AttributeValue> = {};
    for (const part of parts) {
      const value = valueAt(part.project(item), part.path);
      if (value !== undefined) out[part.name] = value;
    }
    return out;
  };
}

/** The value a one-path projection holds at the end of its path (lists are compacted: index 0 at each step). */
function valueAt(projected: Item, path: PathNode): AttributeValue | undefined {
  let value: AttributeValue | undefined = { M: projected };
  for (const element of path.elements) {
    const current: AttributeValue | undefined = value;
    if (current === undefined) return undefined;
    if (element.kind === 'ListIndex') value = 'L' in current ? (current as { readonly L: readonly AttributeValue[] }).L[0] : undefined;
    else if (element.kind === 'AttributeName') value = 'M' in current ? current.M[element.name] : undefined;
  }
  return value;
}

/** The top-level AND chain of a WHERE. */
function andTerms(expr: Expr): Expr[] {
  return expr.kind === 'And' ? [...andTerms(expr.left), ...andTerms(expr.right)] : [expr];
}

/** `pk = v` (either way round), with a value of the key's type: the value; otherwise undefined. */
function keyEquality(expr: Expr, name: string, type: string, binding: Binding): AttributeValue | undefined {
  if (expr.kind !== 'Comparison' || expr.op !== '=') return undefined;
  const [path, value] = topLevelName(expr.left) === name ? [expr.left, expr.right] : topLevelName(expr.right) === name ? [expr.right, expr.left] : [];
  if (path === undefined || value === undefined || !isValue(value)) return undefined;
  const bound = toValue(value, binding, name);
  return type in bound ? bound : undefined;
}

function isValue(expr: Expr): boolean {
  return expr.kind === 'String' || expr.kind === 'Number' || expr.kind === 'Parameter' || (expr.kind === 'Unary' && expr.operand.kind === 'Number');
}

/**
 * The Queries a WHERE allows (DynamoDB's rule): the partition key fixed by one `=` in the top-level AND chain, by
 * an `IN [..]` there, or by a top-level OR whose every branch is `pk = v`; a sort key comparison (=, <, <=, >,
 * >=, BETWEEN) in the same chain narrows each Query. Anything else (no partition key, two different values, a
 * value of another type: nothing could match a Query, and the Scan finds the same nothing) is a Scan.
 */
function partitionReads(conjuncts: readonly Expr[], key: TableKey, binding: Binding): PartitionRead[] | undefined {
  const hash = key.hash;
  let hashes: AttributeValue[] | undefined;
  for (const term of conjuncts) {
    const equal = keyEquality(term, hash.name, hash.type, binding);
    let found: AttributeValue[] | undefined;
    if (equal !== undefined) found = [equal];
    else if (term.kind === 'In' && !term.negated && topLevelName(term.value) === hash.name && term.list.kind === 'List') {
      const values = term.list.items.map((item) => (isValue(item) ? toValue(item, binding, hash.name) : undefined));
      if (values.length > 0 && values.every((value) => value !== undefined && hash.type in value)) found = values as AttributeValue[];
    } else if (term.kind === 'Or') {
      const branches = orTerms(term).map((branch) => keyEquality(branch, hash.name, hash.type, binding));
      if (branches.every((value) => value !== undefined)) found = branches as AttributeValue[];
    }
    if (found === undefined) continue;
    // "IN ... at max 50 hash attribute values" (the PartiQL operators page): each value is a read of its own. The
    // message is DynamoDB Local's (unconfirmed against DynamoDB).
    if (found.length > MAX_PARTITION_KEY_VALUES) throw validationError('Too many decomposed read operations for a given query.');
    // Two fixings of the partition key: DynamoDB falls back to a Scan with the whole WHERE as filter.
    if (hashes !== undefined) return undefined;
    hashes = dedupe(found);
  }
  if (hashes === undefined) return undefined;
  let range: PartitionRead['range'];
  if (key.range !== undefined) {
    for (const term of conjuncts) {
      const found = rangeTerm(term, key.range.name, key.range.type, binding);
      if (found === undefined) continue;
      if (range !== undefined) return hashes.map((value) => ({ hash: value }));
      range = found;
    }
  }
  return hashes.map((value) => ({ hash: value, ...(range !== undefined ? { range } : {}) }));
}

/** The most partition-key values one SELECT may read (`pk IN [...]` or an OR of `pk = v`). */
const MAX_PARTITION_KEY_VALUES = 50;

function orTerms(expr: Expr): Expr[] {
  return expr.kind === 'Or' ? [...orTerms(expr.left), ...orTerms(expr.right)] : [expr];
}

function dedupe(values: readonly AttributeValue[]): AttributeValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const id = JSON.stringify(value);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const FLIPPED: Readonly<Record<string, string>> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const DIRECT: Readonly<Record<string, string>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

/** A sort key condition: `sk op v` (or `v op sk`) or `sk BETWEEN a AND b`, with values of the key's type. */
function rangeTerm(expr: Expr, name: string, type: string, binding: Binding): PartitionRead['range'] | undefined {
  const typed = (value: Expr): AttributeValue | undefined => {
    if (!isValue(value)) return undefined;
    const bound = toValue(value, binding, name);
    return type in bound ? bound : undefined;
  };
  if (expr.kind === 'Comparison') {
    const direct = topLevelName(expr.left) === name;
    if (!direct && topLevelName(expr.right) !== name) return undefined;
    const operator = (direct ? DIRECT : FLIPPED)[expr.op];
    const value = typed(direct ? expr.right : expr.left);
    return operator === undefined || value === undefined ? undefined : { operator, values: [value] };
  }
  if (expr.kind === 'Between' && !expr.negated && topLevelName(expr.value) === name) {
    const low = typed(expr.low);
    const high = typed(expr.high);
    return low === undefined || high === undefined ? undefined : { operator: 'BETWEEN', values: [low, high] };
  }
  return undefined;
}

/** ORDER BY's rules (DynamoDB Local's messages, in its order): whether the order descends, and names the hash key. */
function orderBy(select: SelectStatement, key: TableKey, partitionCount: number): { reverse: boolean; byHash: boolean } {
  const items = select.orderBy;
  if (items === undefined || items.length === 0) return { reverse: false, byHash: false };
  if (select.where === undefined) throw validationError('Must have WHERE clause in the statement when using ORDER BY clause.');
  if (partitionCount === 0) {
    throw validationError('Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.');
  }
  let reverse: boolean | undefined;
  let namesHash = false;
  for (const item of items) {
    const name = topLevelName(item.expr);
    if (name === undefined) {
      throw validationError(`Argument to ORDER BY must be of type VariableReference. Type: ${item.expr.kind.toUpperCase()}`);
    }
    if (name !== key.hash.name && name !== key.range?.name) {
      throw validationError(`Variable reference ${name} in ORDER BY clause must be part of the primary key`);
    }
    if (name === key.hash.name) namesHash = true;
    // Both keys share one direction: a Query reads its partition one way, and the partitions follow it.
    reverse ??= item.direction === 'DESC';
  }
  if (partitionCount > 1 && !namesHash) {
    throw validationError('Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.');
  }
  return { reverse: reverse ?? false, byHash: namesHash };
}

function collectNames(expr: Expr, names: Set<string>): void {
  switch (expr.kind) {
    case 'Identifier':
      names.add(expr.name);
      return;
    case 'Path':
      names.add(expr.root.name);
      return;
    case 'Comparison':
    case 'And':
    case 'Or':
    case 'Arithmetic':
    case 'Concat':
      collectNames(expr.left, names);
      collectNames(expr.right, names);
      return;
    case 'Not':
    case 'Unary':
      collectNames(expr.operand, names);
      return;
    case 'Between':
      collectNames(expr.value, names);
      collectNames(expr.low, names);
      collectNames(expr.high, names);
      return;
    case 'In':
      collectNames(expr.value, names);
      return;
    case 'Is':
      collectNames(expr.value, names);
      return;
    case 'Call':
      // attribute_type("a", 'S'): only the first argument is an attribute.
      for (const arg of expr.args) if (arg.kind === 'Identifier' || arg.kind === 'Path') collectNames(arg, names);
      return;
    default:
      return;
  }
}

// ------------------------------------------------------------------------------------------------- writes

function planInsert(context: PlanContext, statement: Extract<Statement, { kind: 'Insert' }>, binding: Binding): WritePlan {
  if (statement.multiple) {
    throw validationError(
      'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
    );
  }
  if (statement.at !== undefined) throw validationError('AT is not supported in insert statements.');
  if (statement.onConflict !== undefined) throw validationError('Unsupported clause: ON CONFLICT');
  if (statement.returning !== undefined) throw validationError('RETURNING is not supported in INSERT');
  const { table } = resolveSource(context, statement.table, false);
  if (statement.value.kind !== 'Tuple') {
    throw validationError('Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.');
  }
  const item = validatedItem(toMap(statement.value, binding, 'item'));
  for (const part of allKeyParts(table.key)) {
    const value = item[part.name];
    if (value === undefined) throw validationError(`Key attribute should be present in the item: Key ${part.name}`);
    if (!(part.type in value)) throw validationError(`Key attribute's data type should match its data type in table's schema: Key ${part.name}`);
  }
  assertItemSizeWithinLimit(item);
  const key = extractKey(table.key, item, 'item');
  checkIndexKeys(table, item, 'item');
  const storageKey = encodeItemKey(table.key, key);
  return {
    kind: 'write',
    operation: 'INSERT',
    table,
    key,
    storageKey,
    itemSize: itemSize(item),
    itemWrite: () => ({
      write: {
        table,
        storageKey,
        decide: (current, latest) => {
          if (current !== undefined) throw duplicateItem();
          if (latest !== table) checkIndexKeys(latest, item, 'item');
          return item;
        },
      },
      returned: () => undefined,
    }),
  };
}

/** The key a write's WHERE fixes, and the rest of the WHERE (the write's condition). */
function writeKey(table: TableMetadata, where: Expr | undefined, binding: Binding): { key: Item; rest: Expr[] } {
  const conjuncts = where === undefined ? [] : andTerms(where);
  const key: Record<string, AttributeValue> = {};
  const rest: Expr[] = [];
  const parts = allKeyParts(table.key);
  for (const term of conjuncts) {
    const part = parts.find((candidate) => term.kind === 'Comparison' && term.op === '=' && keyOperand(term, candidate.name) !== undefined);
    if (part === undefined || term.kind !== 'Comparison') {
      rest.push(term);
      continue;
    }
    const valueExpr = keyOperand(term, part.name) as Expr;
    const value = toValue(valueExpr, binding, part.name);
    const earlier = key[part.name];
    if (earlier !== undefined) {
      if (JSON.stringify(earlier) === JSON.stringify(value)) continue;
      throw validationError(`Multiple conditions on same key ${part.name}. Only single item Update/Insert/Delete are supported`);
    }
    if (!(part.type in value)) throw validationError(`Key attribute's data type should match its data type in table's schema: Key ${part.name}`);
    key[part.name] = value;
  }
  for (const part of parts) if (key[part.name] === undefined) throw validationError(MISSING_KEY_EQUALITY);
  return { key: extractKey(table.key, key, 'key'), rest };
}

/** In `k = v` or `v = k`, the value side when the other is the key attribute `name` and the value is a value. */
function keyOperand(term: Extract<Expr, { kind: 'Comparison' }>, name: string): Expr | undefined {
  if (topLevelName(term.left) === name && isValue(term.right)) return term.right;
  if (topLevelName(term.right) === name && isValue(term.left)) return term.left;
  return undefined;
}

function andAll(terms: readonly Expr[], binding: Binding): ConditionNode | undefined {
  const nodes = terms.map((term) => toCondition(term, binding));
  if (nodes.length === 0) return undefined;
  return nodes.reduce((left, right) => ({ kind: 'And', left, right, pos: left.pos }));
}

function returningMode(returning: Returning | undefined): ReturningMode | undefined {
  return returning === undefined ? undefined : (`${returning.mapping}_${returning.version}` as ReturningMode);
}

function planKeyedWrite(
  context: PlanContext,
  statement: Extract<Statement, { kind: 'Update' | 'Delete' }>,
  binding: Binding,
): WritePlan {
  const { table } = resolveSource(context, statement.table, false);
  const returning = returningMode(statement.returning);
  if (statement.kind === 'Delete' && returning !== undefined && returning !== 'ALL_OLD') {
    const written = `${statement.returning?.mapping} ${statement.returning?.version} *`;
    throw validationError(`Invalid returning clause: RETURNING ${written}. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
  }
  const { key, rest } = writeKey(table, statement.where, binding);
  const condition = andAll(rest, binding);
  const storageKey = encodeItemKey(table.key, key);
  const check = (current: Item | undefined, returnValues: string | undefined): void => {
    if (condition !== undefined && !evaluateCondition(condition, current)) {
      throw conditionalCheckFailed(returnValues === 'ALL_OLD' ? current : undefined);
    }
  };

  if (statement.kind === 'Delete') {
    return {
      kind: 'write',
      operation: 'DELETE',
      table,
      key,
      storageKey,
      ...(returning !== undefined ? { returning } : {}),
      itemWrite: (returnValues) => ({
        write: {
          table,
          storageKey,
          decide: (current) => {
            // Nothing to delete is a success: the WHERE's condition is not evaluated against an absent item.
            if (current === undefined) return undefined;
            check(current, returnValues);
            return undefined;
          },
          blind: condition === undefined && returning === undefined,
        },
        returned: (outcome) => (returning === 'ALL_OLD' ? outcome.oldItem : undefined),
      }),
    };
  }

  const update: UpdateExpressionNode = { kind: 'UpdateExpression', actions: toUpdateActions(statement.actions, binding) };
  for (const action of statement.actions) {
    const name = action.target.kind === 'Identifier' ? action.target.name : action.target.root.name;
    if (name === table.key.hash.name || name === table.key.range?.name) {
      if (action.target.kind === 'Path' && action.target.steps.length > 0) {
        throw validationError(`Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key ${name}`);
      }
    }
  }
  assertKeyNotUpdated(update, table.key);
  return {
    kind: 'write',
    operation: 'UPDATE',
    table,
    key,
    storageKey,
    ...(returning !== undefined ? { returning } : {}),
    itemWrite: (returnValues) => {
      let changed: readonly PathNode[] = [];
      return {
        write: {
          table,
          storageKey,
          decide: (current, latest) => {
            // UPDATE's implicit attribute_exists(key): it never creates an item.
            if (current === undefined) throw conditionalCheckFailed();
            check(current, returnValues);
            const result = applyUpdate(update, current, { itemExisted: true });
            changed = result.changedPaths;
            if (result.item !== current) {
              assertUpdateNesting(result.item, current);
              checkIndexKeys(latest, result.item, 'update');
              if (itemSize(result.item) > MAX_ITEM_SIZE) throw validationError('Item size to update has exceeded the maximum allowed size');
            }
            return result.item;
          },
        },
        returned: (outcome) => {
          switch (returning) {
            case 'ALL_OLD':
              return outcome.oldItem;
            case 'ALL_NEW':
              return outcome.newItem;
            case 'MODIFIED_OLD':
              return outcome.oldItem === undefined ? undefined : compileProjection(changed)(outcome.oldItem);
            case 'MODIFIED_NEW':
              return outcome.newItem === undefined ? undefined : compileProjection(changed)(outcome.newItem);
            default:
              return undefined;
          }
        },
      };
    },
  };
}

// ------------------------------------------------------------------------------------------------- EXISTS

function planExists(context: PlanContext, select: SelectStatement, binding: Binding): ExistsPlan {
  if (select.projection !== '*' || select.from.length !== 1 || select.orderBy !== undefined) {
    throw validationError('EXISTS() must contain a single item read with additional condition');
  }
  const source = resolveSource(context, select.from[0] as TableRef, true);
  if (source.index !== undefined) throw validationError('Operations on indices are not supported in transactions');
  const { table } = source;
  const { key, rest } = writeKey(table, select.where, binding);
  // "The SELECT statement must specify a full primary key and one other condition" (Developer Guide).
  if (rest.length === 0) throw validationError('EXISTS() must contain a single item read with additional condition');
  const condition = andAll(rest, binding);
  return {
    kind: 'exists',
    table,
    key,
    storageKey: encodeItemKey(table.key, key),
    holds: (item) => item !== undefined && (condition === undefined || evaluateCondition(condition, item)),
  };
}


