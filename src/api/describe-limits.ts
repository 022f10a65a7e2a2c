/** DescribeLimits: DynamoDB's default per-account and per-table provisioned capacity quotas. */
import type { OperationHandler } from './operation.js';

export const describeLimits: OperationHandler = async () => ({
  AccountMaxReadCapacityUnits: 80000,
  AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000,
  TableMaxWriteCapacityUnits: 40000,
});
