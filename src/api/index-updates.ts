/**
 * UpdateTable's GlobalSecondaryIndexUpdates: Create (then backfilled in the background), Update (throughput) and
 * Delete (then dropped in the background), checked with DynamoDB's messages. DynamoDB changes one index at a
 * time per table: one Create or Delete per request, and none while another index is still being built or dropped.
 */
import { DynamoDbError, resourceNotFound, validationError } from '../errors.js';
import { changedThroughput } from '../capacity/decrease-limit.js';
import type { AttributeDefinition, BillingMode, IndexMetadata, KeySchemaElement, TableMetadata } from '../engine/table-metadata.js';
import type { KeyAttributeType } from '../model/attribute-value.js';
import {
  checkCapacityBounds,
  checkIndexThroughput,
  checkProjection,
  indexMetadata,
  withIndexThroughputSettings,
} from './create-table.js';
import { checkGlobalIndexKeySchema } from './global-index-key-schema.js';
import { onDemandThroughput, raisedWarm, updateWarmThroughput } from './table-throughput.js';
import type { JsonObject } from './operation.js';
import type { WarmUnits } from './table-description.js';
import { listMember, numberMember, objectList, objectMember, stringMember } from './request-members.js';

const INVALID = 'One or more parameter values were invalid: ';
const MAX_GLOBAL_INDEXES = 20;

export type IndexAction =
  | { readonly kind: 'Create'; readonly indexName: string; readonly definition: JsonObject }
  | { readonly kind: 'Update'; readonly indexName: string; readonly definition: JsonObject }
  | { readonly kind: 'Delete'; readonly indexName: string };

function onlineIndexLimit(): DynamoDbError {
  return new DynamoDbError(
    'LimitExceededException',
    'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
  );
}

/** The request's index actions, checked for shape before the table is looked up. */
export function parseIndexUpdates(request: JsonObject): IndexAction[] {
  const actions: IndexAction[] = [];
  const names = new Set<string>();
  for (const update of objectList(request, 'GlobalSecondaryIndexUpdates')) {
    const present = (['Create', 'Update', 'Delete'] as const).filter((kind) => update[kind] != null);
    if (present.length === 0) {
      throw validationError(
        `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
      );
    }
    if (present.length > 1) {
      throw validationError(`${INVALID}Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object`);
    }
    const kind = present[0] as 'Create' | 'Update' | 'Delete';
    const definition = objectMember(update, kind) ?? {};
    const indexName = stringMember(definition, 'IndexName') ?? '';
    if (names.has(indexName)) {
      throw validationError(`${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${indexName}`);
    }
    names.add(indexName);
    actions.push(kind === 'Delete' ? { kind, indexName } : { kind, indexName, definition });
  }
  if (actions.filter((action) => action.kind !== 'Update').length > 1) throw onlineIndexLimit();
  return actions;
}

/**
 * Applies the actions to the table's metadata (inside the catalog's commit): a created index is CREATING, a
 * deleted one DELETING. `requestDefinitions` are the request's AttributeDefinitions, which must define a new
 * index's key attributes. `now` is capacity time: an index's throughput changes and its own decrease budget
 * (decrease-limit.ts) run on the capacity clock.
 */
export function applyIndexUpdates(
  table: TableMetadata,
  actions: readonly IndexAction[],
  request: JsonObject,
  billingMode: BillingMode,
  now: number,
  /** By indexId: the warm throughput the capacity model says each GSI has reached. */
  reachedWarm?: ReadonlyMap<string, WarmUnits>,
): TableMetadata {
  if (actions.length === 0) return table;
  let globals = [...(table.globalSecondaryIndexes ?? [])];
  let definitions = [...table.attributeDefinitions];
  const busy = globals.some((index) => index.status === 'CREATING' || index.status === 'DELETING');
  for (const action of actions) {
    const existing = globals.find((index) => index.indexName === action.indexName);
    const local = table.localSecondaryIndexes?.find((index) => index.indexName === action.indexName);
    switch (action.kind) {
      case 'Create': {
        if (existing !== undefined || local !== undefined) {
          if (existing?.status === 'CREATING') {
            throw new DynamoDbError(
              'ResourceInUseException',
              `Attempt to change a resource which is still in use: Index is being created.  Table: ${table.tableName} Index: ${action.indexName}`,
            );
          }
          throw validationError('Attempting to create an index which already exists');
        }
        if (busy) throw onlineIndexLimit();
        const created = createIndex(action.definition, action.indexName, request, billingMode, table, definitions);
        definitions = created.definitions;
        globals.push(created.index);
        if (globals.length > MAX_GLOBAL_INDEXES) {
          throw validationError(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`);
        }
        break;
      }
      case 'Update': {
        if (local !== undefined) throw validationError(`Cannot update an index that is not a GlobalSecondaryIndex: ${action.indexName}`);
        if (existing === undefined) throw indexNotFound(table, action.indexName);
        const settings = updatedIndexSettings(existing, action.definition, billingMode, reachedWarm?.get(existing.indexId));
        const provisioned = objectMember(action.definition, 'ProvisionedThroughput');
        // Only the on-demand and warm settings change (all an on-demand table's index may change).
        if (settings !== undefined && (billingMode === 'PAY_PER_REQUEST' || provisioned === undefined)) {
          globals = globals.map((index) => (index === existing ? settings : index));
          break;
        }
        if (billingMode === 'PAY_PER_REQUEST') {
          throw validationError(
            `${INVALID}The only Updates for index: ${action.indexName} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`,
          );
        }
        const throughput = provisioned ?? {};
        const read = numberMember(throughput, 'ReadCapacityUnits') ?? 0;
        const write = numberMember(throughput, 'WriteCapacityUnits') ?? 0;
        checkCapacityBounds(read, write);
        const current = existing.provisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
        const base = settings ?? existing;
        const updated: IndexMetadata = {
          ...base,
          provisionedThroughput: changedThroughput(current, read, write, now),
          warmThroughput: raisedWarm(base.warmThroughput, table.billingMode, existing.provisionedThroughput, read, write),
        };
        globals = globals.map((index) => (index === existing ? updated : index));
        break;
      }
      case 'Delete': {
        if (local !== undefined) throw validationError(`Cannot delete an index that is not a GlobalSecondaryIndex: ${action.indexName}`);
        if (existing === undefined || existing.status === 'DELETING') throw indexNotFound(table, action.indexName);
        if (busy) throw onlineIndexLimit();
        globals = globals.map((index): IndexMetadata => {
          if (index !== existing) return index;
          const { backfilling: _dropped, ...rest } = index;
          return { ...rest, status: 'DELETING' };
        });
        break;
      }
    }
  }
  return { ...table, globalSecondaryIndexes: globals, attributeDefinitions: definitions };
}

/**
 * A GSI Update's OnDemandThroughput and WarmThroughput applied to the index (table-throughput.ts), or undefined
 * when the Update sets neither.
 */
function updatedIndexSettings(
  existing: IndexMetadata,
  definition: JsonObject,
  billingMode: BillingMode,
  reached: WarmUnits | undefined,
): IndexMetadata | undefined {
  const onDemandMember = objectMember(definition, 'OnDemandThroughput');
  const warmMember = objectMember(definition, 'WarmThroughput');
  if (warmMember !== undefined && Object.keys(warmMember).length === 0) {
    // DynamoDB's words for an empty structure here (live capture, 2026-10).
    throw validationError(
      `${INVALID}WarmThroughput must have at least one of ReadUnitsPerSecond or WriteUnitsPerSecond specified for index: ${existing.indexName}`,
    );
  }
  if (onDemandMember === undefined && warmMember === undefined) return undefined;
  const owner = { index: existing.indexName };
  const onDemand = onDemandThroughput(onDemandMember, billingMode, owner, 'update', existing.onDemandThroughput);
  const warm = updateWarmThroughput(warmMember, existing.warmThroughput, billingMode, existing.provisionedThroughput, owner, reached);
  const { onDemandThroughput: _onDemand, warmThroughput: _warm, ...rest } = existing;
  return { ...rest, ...(onDemand !== undefined ? { onDemandThroughput: onDemand } : {}), ...(warm !== undefined ? { warmThroughput: warm } : {}) };
}

function indexNotFound(table: TableMetadata, indexName: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Index ${indexName} for table ${table.tableName}`);
}

/** A new GSI from its Create definition, with the request's AttributeDefinitions for its key. */
function createIndex(
  definition: JsonObject,
  indexName: string,
  request: JsonObject,
  billingMode: BillingMode,
  table: TableMetadata,
  tableDefinitions: readonly AttributeDefinition[],
): { index: IndexMetadata; definitions: AttributeDefinition[] } {
  const requestDefinitions = listMember(request, 'AttributeDefinitions');
  if (requestDefinitions === undefined) {
    throw validationError(`${INVALID}AttributeDefinitions is not specified for index: ${indexName}`);
  }
  const definitions = objectList(request, 'AttributeDefinitions').map(
    (entry): AttributeDefinition => ({
      AttributeName: stringMember(entry, 'AttributeName') ?? '',
      AttributeType: (stringMember(entry, 'AttributeType') ?? 'S') as KeyAttributeType,
    }),
  );
  const schema = objectList(definition, 'KeySchema');
  const keys = schema.map((element) => stringMember(element, 'AttributeName') ?? '');
  checkGlobalIndexKeySchema(
    keys,
    schema.map((element) => stringMember(element, 'KeyType')),
    definitions.map((entry) => entry.AttributeName),
  );
  checkNoRedefinition(table, definitions, schema.map((element) => ({
    AttributeName: stringMember(element, 'AttributeName') ?? '',
    KeyType: stringMember(element, 'KeyType') === 'RANGE' ? 'RANGE' : 'HASH',
  })));
  const projection = checkProjection(definition);
  const throughput = checkIndexThroughput(definition, indexName, billingMode);
  // Definitions the index does not use are dropped, as DynamoDB drops them; one the table has already keeps the
  // table's type.
  const merged = mergeDefinitions(
    tableDefinitions,
    definitions.filter((entry) => keys.includes(entry.AttributeName)),
  );
  const index = indexMetadata(definition, 'GLOBAL', merged, projection, throughput, 'CREATING');
  return { index: withIndexThroughputSettings(index, definition, billingMode, 'create'), definitions: merged };
}

/**
 * A new index's key may not give another type to an attribute an existing index has as its key: DynamoDB enforces
 * the declared type on every write of the attribute and cannot enforce two. (An attribute only the table's key
 * uses keeps its type silently, as DynamoDB does.) DynamoDB's text, as recorded by a public test suite run against
 * it, for single-element schemas; the rendering of a two-element schema follows the same pattern.
 */
function checkNoRedefinition(
  table: TableMetadata,
  requestDefinitions: readonly AttributeDefinition[],
  newKeySchema: readonly KeySchemaElement[],
): void {
  const typeIn = (definitions: readonly AttributeDefinition[], name: string) =>
    definitions.find((definition) => definition.AttributeName === name)?.AttributeType;
  const render = (schema: readonly KeySchemaElement[], definitions: readonly AttributeDefinition[]) =>
    `Schema:[${schema.map((element) => `SchemaElement: key{${element.AttributeName}:${typeIn(definitions, element.AttributeName) ?? ''}:${element.KeyType}}`).join(', ')}]`;
  const indexes = [...(table.localSecondaryIndexes ?? []), ...(table.globalSecondaryIndexes ?? [])];
  for (const element of newKeySchema) {
    const requested = typeIn(requestDefinitions, element.AttributeName);
    const existingType = typeIn(table.attributeDefinitions, element.AttributeName);
    if (requested === undefined || existingType === undefined || requested === existingType) continue;
    const user = indexes.find((index) => index.keySchema.some((key) => key.AttributeName === element.AttributeName));
    if (user === undefined) continue;
    throw validationError(
      `${INVALID}Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. ` +
        `Existing schema: ${render(user.keySchema, table.attributeDefinitions)} New schema: ${render(newKeySchema, requestDefinitions)}`,
    );
  }
}

/** The table's definitions plus those of a new index's key (an attribute already defined keeps its type). */
function mergeDefinitions(current: readonly AttributeDefinition[], added: readonly AttributeDefinition[]): AttributeDefinition[] {
  const merged = [...current];
  for (const definition of added) {
    if (!merged.some((entry) => entry.AttributeName === definition.AttributeName)) merged.push(definition);
  }
  return merged;
}
