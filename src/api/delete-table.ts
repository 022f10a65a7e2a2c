/**
 * DeleteTable: answers the table's description with status DELETING, without the members DynamoDB omits there. The catalog entry goes first, then the
 * items and statistics; deletion protection and a table still CREATING refuse the deletion.
 */
import { tableNotFound } from '../engine/catalog.js';
import { readTableStats } from '../engine/table-stats.js';
import { validationError } from '../errors.js';
import type { OperationHandler } from './operation.js';
import { stringMember } from './request-members.js';
import { tableDescription } from './table-description.js';
import { resolveTableName } from './table-name.js';
import { assertChangeable } from './table-status.js';
import { forgetReplica } from './replica-updates.js';
import { actedAsSourceRecently, isReplicated, SOURCE_DELETION_REFUSED } from '../engine/replication/replica-set.js';

export const deleteTable: OperationHandler = async (context, request) => {
  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const existing = context.engine.catalog.getTable(ref, ref.tableName);
  if (existing === undefined) throw tableNotFound(ref.tableName);
  // The statistics are read before the spaces are cleared: the answer reports the table as it was.
  const stats = await readTableStats(context.engine.storage, existing.tableId);
  const deleted = await context.engine.catalog.deleteTable(ref, ref.tableName, (table) => {
    if (table.deletionProtectionEnabled) {
      throw validationError(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
    }
    if (table.status === 'CREATING') assertChangeable(table);
    if (actedAsSourceRecently(table.replicas, table.region, Date.now())) throw validationError(SOURCE_DELETION_REFUSED);
  });
  // Its partitions and buckets go with it: a table re-created under the name starts afresh.
  context.engine.capacity.forget(deleted.tableId);
  // A replica of a global table deleted in its region leaves the replica set, as in DynamoDB (version 2019.11.21):
  // the other replicas go on without it.
  if (isReplicated(deleted)) await forgetReplica(context.engine, deleted, deleted.region);
  // DynamoDB's DeleteTable description leaves out the table's schema and creation time (observed against DynamoDB
  // by test suites of other implementations run there, and by dynalite's users).
  const { KeySchema: _keySchema, AttributeDefinitions: _definitions, CreationDateTime: _created, ...description } =
    tableDescription(deleted, stats, context.engine.encryptedAtRest);
  return { TableDescription: description };
};
