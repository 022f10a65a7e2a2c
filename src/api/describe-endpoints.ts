/**
 * DescribeEndpoints: the address clients should use, cached for a day (DynamoDB's 1440 minutes). Cairn answers
 * with the host the client reached it by, so endpoint discovery keeps pointing at this server.
 */
import type { OperationHandler } from './operation.js';

export const describeEndpoints: OperationHandler = async (context) => ({
  Endpoints: [{ Address: context.host ?? `dynamodb.${context.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }],
});
