/**
 * UpdateGlobalTable (global tables version 2017.11.29): adds regions to a legacy global table (Create: the table
 * must already exist there and meet CreateGlobalTable's requirements) or takes them out of it (Delete: the
 * region's table stays, a table like any other). Every update is checked before any is made.
 *
 * A region added to a group that already holds items is filled by the copy of version 2019.11.21
 * (replica-copy.ts) from the region of the member the request found, then follows the others' streams.
 */
import { validationError } from '../../errors.js';
import type { ReplicaMetadata } from '../../engine/replication/replica-set.js';
import type { JsonObject, OperationHandler } from '../operation.js';
import { listMember, objectMember, stringMember } from '../request-members.js';
import {
  globalTableDescription,
  globalTableNotFound,
  replicaAlreadyExists,
  replicaNotFound,
  tableNotFoundInRegion,
  serialized,
} from './legacy-global-table.js';
import { findLegacyMember, joiningTableIn, tableIn, writeLegacySetEverywhere } from './legacy-regions.js';

type Update = { readonly kind: 'Create' | 'Delete'; readonly region: string };

export const updateGlobalTable: OperationHandler = (context, request) =>
  serialized(context.accountId, stringMember(request, 'GlobalTableName') ?? '', () => updateGlobalTableNow(context, request));

const updateGlobalTableNow: OperationHandler = async (context, request) => {
  const name = stringMember(request, 'GlobalTableName') ?? '';
  const updates = (listMember(request, 'ReplicaUpdates') ?? []).map((entry): Update => {
    const create = objectMember(entry as JsonObject, 'Create');
    const remove = objectMember(entry as JsonObject, 'Delete');
    // Cairn's words (unconfirmed): DynamoDB's model lets a ReplicaUpdate have both actions or neither.
    if ((create === undefined) === (remove === undefined)) {
      throw validationError('One or more parameter values were invalid: Exactly one of ReplicaUpdate.Create or ReplicaUpdate.Delete must be given');
    }
    return { kind: create !== undefined ? 'Create' : 'Delete', region: stringMember((create ?? remove) as JsonObject, 'RegionName') ?? '' };
  });
  if (updates.length === 0) throw validationError('One or more parameter values were invalid: ReplicaUpdates must not be empty');
  const duplicate = updates.find((update, at) => updates.findIndex((other) => other.region === update.region) !== at);
  if (duplicate !== undefined) throw validationError(`One or more parameter values were invalid: Duplicate region in ReplicaUpdates: ${duplicate.region}`);

  const { engine, accountId } = context;
  const member = await findLegacyMember(engine, accountId, name);
  if (member === undefined) throw globalTableNotFound(name);
  const group = member.replicas ?? [{ regionName: member.region, status: 'ACTIVE' as const, createdAt: member.creationDateTime }];
  const inGroup = (region: string) => group.some((replica) => replica.regionName === region);
  for (const update of updates) {
    if (update.kind === 'Create') {
      if (inGroup(update.region)) throw replicaAlreadyExists(name, update.region);
      await joiningTableIn(engine, { accountId, region: update.region }, name, member);
    } else {
      if (!inGroup(update.region)) throw replicaNotFound(name, update.region);
      if ((await tableIn(engine, { accountId, region: update.region }, name)) === undefined) throw tableNotFoundInRegion(name, update.region);
    }
  }

  const now = Date.now();
  const removed = new Set(updates.filter((update) => update.kind === 'Delete').map((update) => update.region));
  const added = updates.filter((update) => update.kind === 'Create').map((update) => update.region);
  // The copy's source must stay in the group; any remaining member of this server will do (the copy reads its
  // items here), and one is needed only if regions are added.
  const source = group.find((replica) => !removed.has(replica.regionName) && replica.status === 'ACTIVE' && !engine.peers.has(replica.regionName))?.regionName;
  if (added.length > 0 && source === undefined) {
    throw validationError('One or more parameter values were invalid: A replica can be added only while another active replica stays in the group');
  }
  const next: ReplicaMetadata[] = [
    ...group.filter((replica) => !removed.has(replica.regionName)),
    ...added.map((regionName): ReplicaMetadata => ({ regionName, status: 'CREATING', createdAt: now, ...(source !== undefined ? { copiedFrom: source } : {}) })),
  ];
  const createdAt = member.legacyGlobalTable?.createdAt ?? now;
  // The leaving tables first, so that no member follows a table that is no longer in the group.
  await writeLegacySetEverywhere(engine, accountId, name, [...removed], undefined, createdAt);
  await writeLegacySetEverywhere(engine, accountId, name, next.map((replica) => replica.regionName), next, createdAt);
  const sourceTable = source === undefined ? undefined : engine.catalog.getTable({ accountId, region: source }, name);
  if (sourceTable !== undefined) for (const region of added) engine.startReplicaCopy(sourceTable, region);
  return { GlobalTableDescription: globalTableDescription(member, 'UPDATING', next) };
};
