/**
 * CreateTable. The request's shape and member constraints were validated before; this checks what DynamoDB
 * checks next (billing mode against throughput, key schema against attribute definitions, in DynamoDB's order
 * and words), then records the table. Tables are ACTIVE at once unless a status delay is configured.
 */
import { checkGlobalIndexKeySchema, indexKeyFromSchema } from './global-index-key-schema.js';
import { validationError } from '../errors.js';
import type { NewTable } from '../engine/catalog.js';
import { applyStreamSpecification } from '../engine/streams/table-streams.js';
import { randomUUID } from 'node:crypto';
import type {
  AttributeDefinition,
  BillingMode,
  IndexMetadata,
  IndexProjection,
  KeySchemaElement,
  OnDemandThroughputSettings,
  ProvisionedThroughputSettings,
  SseSpecification,
  StreamSpecification,
  TableKey,
  WarmThroughputSettings,
} from '../engine/table-metadata.js';
import type { KeyAttributeType } from '../model/attribute-value.js';
import type { JsonObject, OperationHandler } from './operation.js';
import { booleanMember, listMember, numberMember, objectList, objectMember, stringMember } from './request-members.js';
import { tableDescription } from './table-description.js';
import { createWarmThroughput, onDemandThroughput } from './table-throughput.js';
import { checkResourcePolicy } from './resource-policy-rules.js';
import { nextRevision } from './resource-policies.js';
import { checkTags, MAX_TAGS, TAG_LIMIT_MESSAGE } from './tag-rules.js';

const INVALID = 'One or more parameter values were invalid: ';
/** DynamoDB's upper bound for capacity units in a request. */
export const MAX_CAPACITY_UNITS = 1_000_000_000_000;

export const createTable: OperationHandler = async (context, request) => {
  const tableName = stringMember(request, 'TableName') ?? '';
  const billingMode: BillingMode = stringMember(request, 'BillingMode') === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  const throughput = checkBilling(request, billingMode);
  checkDefinitionsDistinct(request);
  const { keySchema, attributeDefinitions, key } = checkKeySchema(request);
  const indexes = checkSecondaryIndexes(request, billingMode, attributeDefinitions, keySchema);
  checkDefinitionsUsed(attributeDefinitions, keySchema, [...indexes.local, ...indexes.global]);

  const stream = streamSpecification(objectMember(request, 'StreamSpecification'));
  if (stream?.StreamEnabled === true && stream.StreamViewType === undefined) {
    throw validationError(`${INVALID}Table is being created with a stream enabled, UpdateViewType is required`);
  }
  if (stream?.StreamEnabled === false && stream.StreamViewType !== undefined) {
    throw validationError(`${INVALID}Table is being created with a stream disabled, UpdateViewType should not be specified`);
  }
  const sse = sseMember(objectMember(request, 'SSESpecification'));
  const capacitySettings = throughputSettings(request, billingMode, throughput);
  const globalIndexes = indexThroughputSettings(request, billingMode, indexes.global);
  checkCreateTableTags(request);
  const policy = stringMember(request, 'ResourcePolicy');
  if (policy !== undefined) checkResourcePolicy(policy, false);
  const now = Date.now();
  const spec: NewTable = {
    accountId: context.accountId,
    region: context.region,
    tableName,
    key,
    keySchema,
    attributeDefinitions,
    billingMode,
    ...(billingMode === 'PAY_PER_REQUEST' ? { billingModeUpdatedAt: now } : {}),
    provisionedThroughput: { ...throughput, NumberOfDecreasesToday: 0 },
    ...capacitySettings,
    ...tableClassMember(request),
    deletionProtectionEnabled: booleanMember(request, 'DeletionProtectionEnabled') ?? false,
    tags: tagRecord(objectList(request, 'Tags')),
    ...(indexes.local.length > 0 ? { localSecondaryIndexes: indexes.local } : {}),
    ...(globalIndexes.length > 0 ? { globalSecondaryIndexes: globalIndexes } : {}),
    ...sse,
    ...(policy !== undefined ? { resourcePolicy: { policy, revisionId: nextRevision(undefined) } } : {}),
  };
  const table = await context.engine.catalog.createTable(
    stream?.StreamEnabled === true ? applyStreamSpecification(spec, stream, now) : spec,
  );
  return { TableDescription: tableDescription(table, { itemCount: 0, sizeBytes: 0 }, context.engine.encryptedAtRest) };
};

function checkBilling(
  request: JsonObject,
  billingMode: BillingMode,
): { ReadCapacityUnits: number; WriteCapacityUnits: number } {
  const throughput = objectMember(request, 'ProvisionedThroughput');
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw validationError(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`);
    }
    // On-demand tables report zero provisioned units.
    return { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
  }
  const read = throughput === undefined ? undefined : numberMember(throughput, 'ReadCapacityUnits');
  const write = throughput === undefined ? undefined : numberMember(throughput, 'WriteCapacityUnits');
  if (!read || !write) {
    throw validationError(`${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`);
  }
  checkCapacityBounds(read, write);
  return { ReadCapacityUnits: read, WriteCapacityUnits: write };
}

export function checkCapacityBounds(read: number, write: number): void {
  if (read > MAX_CAPACITY_UNITS) throw validationError(`Given value ${read} for ReadCapacityUnits is out of bounds`);
  if (write > MAX_CAPACITY_UNITS) throw validationError(`Given value ${write} for WriteCapacityUnits is out of bounds`);
}

/**
 * An attribute defined twice (with the same type or not): DynamoDB refuses it before it looks at the key schema,
 * in these bare words (live captures of CreateTable, us-east-1/us-west-2 2026-10, kept in a public catalogue of
 * DynamoDB's behaviour; tests run against DynamoDB by other implementations match `uplicate.*<name>` too).
 */
function checkDefinitionsDistinct(request: JsonObject): void {
  const names = new Set<string>();
  for (const definition of objectList(request, 'AttributeDefinitions')) {
    const name = stringMember(definition, 'AttributeName') ?? '';
    if (names.has(name)) throw validationError(`Attribute Name is duplicated: ${name}`);
    names.add(name);
  }
}

function checkKeySchema(request: JsonObject): {
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  key: TableKey;
} {
  const keySchema = objectList(request, 'KeySchema').map(
    (element): KeySchemaElement => ({
      AttributeName: stringMember(element, 'AttributeName') ?? '',
      KeyType: stringMember(element, 'KeyType') === 'RANGE' ? 'RANGE' : 'HASH',
    }),
  );
  const rawKeyTypes = objectList(request, 'KeySchema').map((element) => stringMember(element, 'KeyType'));
  const attributeDefinitions = objectList(request, 'AttributeDefinitions').map(
    (definition): AttributeDefinition => ({
      AttributeName: stringMember(definition, 'AttributeName') ?? '',
      AttributeType: (stringMember(definition, 'AttributeType') ?? 'S') as KeyAttributeType,
    }),
  );
  const defined = attributeDefinitions.map((definition) => definition.AttributeName);
  const keys = keySchema.map((element) => element.AttributeName);
  checkIndexKeySchema(keys, rawKeyTypes, defined, keySchema.length > defined.length);
  const hasIndexes = request.LocalSecondaryIndexes != null || request.GlobalSecondaryIndexes != null;
  if (!hasIndexes && keySchema.length !== attributeDefinitions.length) {
    throw validationError(
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    );
  }
  const typeOf = (name: string): KeyAttributeType =>
    attributeDefinitions.find((definition) => definition.AttributeName === name)?.AttributeType ?? 'S';
  const hashName = keys[0] ?? '';
  const rangeName = keys[1];
  const key: TableKey = {
    hash: { name: hashName, type: typeOf(hashName) },
    ...(rangeName !== undefined ? { range: { name: rangeName, type: typeOf(rangeName) } } : {}),
  };
  return { keySchema, attributeDefinitions, key };
}

/**
 * The key-schema checks DynamoDB applies to the table's and to each index's KeySchema, in its order. Only the
 * table's schema gets the "no definition" check for more keys than definitions.
 */
export function checkIndexKeySchema(
  keys: readonly string[],
  keyTypes: readonly (string | undefined)[],
  defined: readonly string[],
  moreKeysThanDefinitions: boolean,
): void {
  if (moreKeysThanDefinitions) throw validationError('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((name) => !defined.includes(name))) {
    throw validationError(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (keys.length > 1 && keys[0] === keys[1]) {
    throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (keyTypes[0] !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keyTypes.length > 1 && keyTypes[1] !== 'RANGE') {
    throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
}

/**
 * Secondary indexes, validated in DynamoDB's order and words, as index metadata. Indexes defined with the table
 * are ACTIVE with it (the table is empty, so there is nothing to backfill).
 */
function checkSecondaryIndexes(
  request: JsonObject,
  billingMode: BillingMode,
  definitions: readonly AttributeDefinition[],
  tableKeySchema: readonly KeySchemaElement[],
): { local: IndexMetadata[]; global: IndexMetadata[] } {
  const defined = definitions.map((definition) => definition.AttributeName);
  const names = new Set<string>();
  const local: IndexMetadata[] = [];
  const global: IndexMetadata[] = [];
  if (request.LocalSecondaryIndexes != null) {
    const indexes = objectList(request, 'LocalSecondaryIndexes');
    if (indexes.length === 0) throw validationError(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (tableKeySchema.length !== 2) {
      throw validationError(
        `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
      );
    }
    const tableHash = tableKeySchema[0]?.AttributeName;
    for (const index of indexes) {
      const indexName = stringMember(index, 'IndexName') ?? '';
      const schema = objectList(index, 'KeySchema');
      checkIndexKeySchema(
        schema.map((element) => stringMember(element, 'AttributeName') ?? ''),
        schema.map((element) => stringMember(element, 'KeyType')),
        defined,
        false,
      );
      if (schema.length !== 2) {
        throw validationError(`${INVALID}Index KeySchema does not have a range key for index: ${indexName}`);
      }
      const indexHash = stringMember(schema[0] ?? {}, 'AttributeName');
      if (indexHash !== tableHash) {
        throw validationError(
          `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${indexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
        );
      }
      const projection = checkProjection(index);
      if (names.has(indexName)) throw validationError(`${INVALID}Duplicate index name: ${indexName}`);
      names.add(indexName);
      local.push(indexMetadata(index, 'LOCAL', definitions, projection));
    }
    if (indexes.length > 5) {
      throw validationError(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
    }
  }
  if (request.GlobalSecondaryIndexes != null) {
    const indexes = objectList(request, 'GlobalSecondaryIndexes');
    if (indexes.length === 0) throw validationError(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const index of indexes) {
      const indexName = stringMember(index, 'IndexName') ?? '';
      const schema = objectList(index, 'KeySchema');
      checkGlobalIndexKeySchema(
        schema.map((element) => stringMember(element, 'AttributeName') ?? ''),
        schema.map((element) => stringMember(element, 'KeyType')),
        defined,
      );
      const projection = checkProjection(index);
      const throughput = checkIndexThroughput(index, indexName, billingMode);
      if (names.has(indexName)) throw validationError(`${INVALID}Duplicate index name: ${indexName}`);
      names.add(indexName);
      global.push(indexMetadata(index, 'GLOBAL', definitions, projection, throughput));
    }
    if (indexes.length > 20) {
      throw validationError(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`);
    }
  }
  return { local, global };
}

/**
 * With indexes, the definitions must each be used by the table's or an index's key (without indexes, the count
 * check of checkKeySchema already says so, in other words).
 */
function checkDefinitionsUsed(
  definitions: readonly AttributeDefinition[],
  keySchema: readonly KeySchemaElement[],
  indexes: readonly IndexMetadata[],
): void {
  if (indexes.length === 0) return;
  const used: string[] = [];
  for (const element of [...keySchema, ...indexes.flatMap((index) => index.keySchema)]) {
    if (!used.includes(element.AttributeName)) used.push(element.AttributeName);
  }
  if (definitions.some((definition) => !used.includes(definition.AttributeName))) {
    throw validationError(
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}], keys used: [${used.join(', ')}]`,
    );
  }
}

/** A GSI's own throughput: required on a provisioned table, refused on an on-demand one (which reports zeros). */
export function checkIndexThroughput(
  index: JsonObject,
  indexName: string,
  billingMode: BillingMode,
): ProvisionedThroughputSettings {
  const throughput = objectMember(index, 'ProvisionedThroughput');
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw validationError(
        `${INVALID}ProvisionedThroughput should not be specified for index: ${indexName} when BillingMode is PAY_PER_REQUEST`,
      );
    }
    return { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
  }
  if (throughput === undefined) {
    throw validationError(`${INVALID}ProvisionedThroughput must be specified for index: ${indexName}`);
  }
  const read = numberMember(throughput, 'ReadCapacityUnits') ?? 0;
  const write = numberMember(throughput, 'WriteCapacityUnits') ?? 0;
  checkCapacityBounds(read, write);
  return { ReadCapacityUnits: read, WriteCapacityUnits: write, NumberOfDecreasesToday: 0 };
}

/** An index's metadata from its (validated) definition; its key types come from AttributeDefinitions. */
export function indexMetadata(
  index: JsonObject,
  kind: 'GLOBAL' | 'LOCAL',
  definitions: readonly AttributeDefinition[],
  projection: IndexProjection,
  throughput?: ProvisionedThroughputSettings,
  status: IndexMetadata['status'] = 'ACTIVE',
): IndexMetadata {
  const keySchema = objectList(index, 'KeySchema').map(
    (element): KeySchemaElement => ({
      AttributeName: stringMember(element, 'AttributeName') ?? '',
      KeyType: stringMember(element, 'KeyType') === 'RANGE' ? 'RANGE' : 'HASH',
    }),
  );
  const typeOf = (name: string): KeyAttributeType =>
    definitions.find((definition) => definition.AttributeName === name)?.AttributeType ?? 'S';
  return {
    indexName: stringMember(index, 'IndexName') ?? '',
    indexId: randomUUID(),
    kind,
    key: indexKeyFromSchema(keySchema, typeOf),
    keySchema,
    projection,
    status,
    ...(throughput !== undefined ? { provisionedThroughput: throughput } : {}),
  };
}

export function checkProjection(index: JsonObject): IndexProjection {
  const projection = objectMember(index, 'Projection') ?? {};
  const projectionType = stringMember(projection, 'ProjectionType');
  if (projectionType === undefined) throw validationError(`${INVALID}Unknown ProjectionType: null`);
  if (projection.NonKeyAttributes != null && projectionType !== 'INCLUDE') {
    throw validationError(`${INVALID}ProjectionType is ${projectionType}, but NonKeyAttributes is specified`);
  }
  if (projectionType === 'INCLUDE') {
    const nonKey = listMember(projection, 'NonKeyAttributes');
    // DynamoDB's words (observed on eu-west-2 by a public conformance suite, 2026).
    if (nonKey === undefined) throw validationError(`${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
    const names = nonKey.map(String);
    // A projected attribute named twice (the same catalogue of live captures).
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw validationError(`${INVALID}Duplicate element in NonKeyAttributes: ${repeated}`);
    return { ProjectionType: 'INCLUDE', NonKeyAttributes: names };
  }
  return { ProjectionType: projectionType === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL' };
}

export function streamSpecification(member: JsonObject | undefined): StreamSpecification | undefined {
  if (member === undefined) return undefined;
  const enabled = booleanMember(member, 'StreamEnabled') ?? false;
  const viewType = stringMember(member, 'StreamViewType') as StreamSpecification['StreamViewType'];
  return viewType === undefined ? { StreamEnabled: enabled } : { StreamEnabled: enabled, StreamViewType: viewType };
}


export function tableClassMember(request: JsonObject): { tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS' } {
  const tableClass = stringMember(request, 'TableClass');
  return tableClass === 'STANDARD' || tableClass === 'STANDARD_INFREQUENT_ACCESS' ? { tableClass } : {};
}

/**
 * An SSESpecification, checked as DynamoDB checks it (its words, from live captures of CreateTable / UpdateTable
 * kept in a public catalogue of DynamoDB's behaviour, 2026-10): with Enabled false (the AWS-owned key) neither a
 * type nor a key may be named, only KMS is offered, and naming a key needs SSEType KMS.
 */
export function sseMember(member: JsonObject | undefined): { sseSpecification?: SseSpecification } {
  if (member === undefined) return {};
  const disabled = booleanMember(member, 'Enabled') === false;
  if (disabled && member.SSEType != null) throw validationError(`${INVALID}SSEType can not be specified if Enabled is false`);
  if (disabled && member.KMSMasterKeyId != null) {
    throw validationError(`${INVALID}KMSMasterKeyId can not be specified if Enabled is false`);
  }
  if (member.SSEType === 'AES256') throw validationError(`${INVALID}SSEType AES256 is not supported`);
  if (member.KMSMasterKeyId != null && member.SSEType !== 'KMS') {
    throw validationError(`${INVALID}SSEType KMS is required if KMSMasterKeyId is specified`);
  }
  const spec: { Enabled?: boolean; SSEType?: 'AES256' | 'KMS'; KMSMasterKeyId?: string } = {};
  const enabled = booleanMember(member, 'Enabled');
  if (enabled !== undefined) spec.Enabled = enabled;
  const sseType = stringMember(member, 'SSEType');
  if (sseType === 'AES256' || sseType === 'KMS') spec.SSEType = sseType;
  const keyId = stringMember(member, 'KMSMasterKeyId');
  if (keyId !== undefined) spec.KMSMasterKeyId = keyId;
  return { sseSpecification: spec };
}

/** The table's OnDemandThroughput and WarmThroughput (table-throughput.ts), checked and ready to store. */
function throughputSettings(
  request: JsonObject,
  billingMode: BillingMode,
  throughput: { ReadCapacityUnits: number; WriteCapacityUnits: number },
): { onDemandThroughput?: OnDemandThroughputSettings; warmThroughput?: WarmThroughputSettings } {
  const onDemand = onDemandThroughput(objectMember(request, 'OnDemandThroughput'), billingMode, {}, 'create');
  const provisioned = { ...throughput, NumberOfDecreasesToday: 0 };
  const warm = createWarmThroughput(objectMember(request, 'WarmThroughput'), billingMode, provisioned, {});
  return { ...(onDemand !== undefined ? { onDemandThroughput: onDemand } : {}), ...(warm !== undefined ? { warmThroughput: warm } : {}) };
}

/** Each GSI with its OnDemandThroughput and WarmThroughput, checked (the GSIs are in the request's order). */
function indexThroughputSettings(request: JsonObject, billingMode: BillingMode, indexes: readonly IndexMetadata[]): IndexMetadata[] {
  const definitions = objectList(request, 'GlobalSecondaryIndexes');
  return indexes.map((index, i) => withIndexThroughputSettings(index, definitions[i] ?? {}, billingMode, 'create'));
}

/** A GSI with the OnDemandThroughput and WarmThroughput of its definition (CreateTable, or UpdateTable Create). */
export function withIndexThroughputSettings(
  index: IndexMetadata,
  definition: JsonObject,
  billingMode: BillingMode,
  operation: 'create' | 'update',
): IndexMetadata {
  const owner = { index: index.indexName };
  const onDemand = onDemandThroughput(objectMember(definition, 'OnDemandThroughput'), billingMode, owner, operation);
  const warm = createWarmThroughput(objectMember(definition, 'WarmThroughput'), billingMode, index.provisionedThroughput, owner);
  return { ...index, ...(onDemand !== undefined ? { onDemandThroughput: onDemand } : {}), ...(warm !== undefined ? { warmThroughput: warm } : {}) };
}

/**
 * CreateTable's Tags, held to TagResource's rules (an empty list is accepted); checked after the table's own
 * definition, so nothing is created when a tag is refused.
 */
function checkCreateTableTags(request: JsonObject): void {
  const tags = listMember(request, 'Tags');
  if (tags === undefined) return;
  checkTags(tags as readonly JsonObject[]);
  if (new Set(tags.map((tag) => (tag as JsonObject).Key)).size > MAX_TAGS) throw validationError(TAG_LIMIT_MESSAGE);
}

/** Tags as a record; a key given twice keeps its last value (tags are a map on the table). */
export function tagRecord(tags: readonly JsonObject[], base: Readonly<Record<string, string>> = {}): Record<string, string> {
  const record: Record<string, string> = { ...base };
  for (const tag of tags) {
    const key = stringMember(tag, 'Key');
    if (key !== undefined) record[key] = stringMember(tag, 'Value') ?? '';
  }
  return record;
}
