/**
 * CreateGlobalTable (global tables version 2017.11.29): joins the tables of one name, which must already exist in
 * every region of the ReplicationGroup (on this server, or on the peers that serve them), into a global table
 * replicated as a 2019.11.21 one is. The requirements are all checked before any table changes.
 */
import { validationError } from '../../errors.js';
import type { TableMetadata } from '../../engine/table-metadata.js';
import type { ReplicaMetadata } from '../../engine/replication/replica-set.js';
import type { JsonObject, OperationHandler } from '../operation.js';
import { listMember, stringMember } from '../request-members.js';
import { globalTableAlreadyExists, globalTableDescription, legacyMember, serialized } from './legacy-global-table.js';
import { findLegacyMember, joiningTableIn, writeLegacySetEverywhere } from './legacy-regions.js';

export const createGlobalTable: OperationHandler = (context, request) =>
  serialized(context.accountId, stringMember(request, 'GlobalTableName') ?? '', () => createGlobalTableNow(context, request));

const createGlobalTableNow: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const regions = (listMember(request, 'ReplicationGroup') ?? []).map((replica) => stringMember(replica as JsonObject, 'RegionName') ?? '');
  // Cairn's words (unconfirmed): DynamoDB's model allows an empty group and a replica without a region.
  if (regions.length === 0) throw validationError('One or more parameter values were invalid: ReplicationGroup must not be empty');
  if (regions.includes('')) throw validationError('One or more parameter values were invalid: RegionName is required for every replica');
  const duplicate = regions.find((region, at) => regions.indexOf(region) !== at);
  if (duplicate !== undefined) throw validationError(`One or more parameter values were invalid: Duplicate region in ReplicationGroup: ${duplicate}`);

  const { engine, accountId } = context;
  if (legacyMember(engine.catalog, accountId, name) !== undefined) throw globalTableAlreadyExists(name);
  let first: TableMetadata | undefined;
  // A region a peer serves is checked by the peer (legacy-regions.ts), against the first region's table.
  for (const region of regions) {
    const table = await joiningTableIn(engine, { accountId, region }, name, first);
    first ??= table;
  }
  const now = Date.now();
  const set: ReplicaMetadata[] = regions.map((regionName) => ({ regionName, status: 'ACTIVE', createdAt: now }));
  await writeLegacySetEverywhere(engine, accountId, name, regions, set, now);
  const member = await findLegacyMember(engine, accountId, name);
  if (member === undefined) throw validationError(`One or more parameter values were invalid: Table: ${name} went away`);
  // DynamoDB answers CREATING; the replicas are ready at once (DescribeGlobalTable says ACTIVE).
  return { GlobalTableDescription: globalTableDescription(member, 'CREATING') };
};
