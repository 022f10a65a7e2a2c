/**
 * DescribeContinuousBackups: Cairn keeps no backups and has no point-in-time recovery, so both are DISABLED.
 * (DynamoDB reports ContinuousBackupsStatus ENABLED for its tables, since it backs every table up; Cairn does not,
 * and says so.) Tools such as Terraform's AWS provider read this after creating a table.
 *
 * A missing table is not the ResourceNotFoundException of the other table operations: the backup operations
 * answer TableNotFoundException, `Table not found: <name>` (as DynamoDB answers; ScyllaDB's Alternator tests and
 * user reports record it).
 */
import { DynamoDbError } from '../errors.js';
import type { OperationHandler } from './operation.js';
import { stringMember } from './request-members.js';
import { resolveTableName } from './table-name.js';

export const describeContinuousBackups: OperationHandler = async (context, request) => {
  const nameOrArn = stringMember(request, 'TableName') ?? '';
  const ref = resolveTableName(context, nameOrArn);
  if (context.engine.catalog.getTable(ref, ref.tableName) === undefined) {
    throw new DynamoDbError('TableNotFoundException', `Table not found: ${ref.tableName}`);
  }
  return {
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: 'DISABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    },
  };
};
