/** DescribeEndpoints takes no members. */
import type { OperationSchema } from '../../validation/schema.js';

export const describeEndpointsSchema: OperationSchema = { operation: 'DescribeEndpoints', members: {} };
