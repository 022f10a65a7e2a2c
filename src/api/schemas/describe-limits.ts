/** DescribeLimits takes no members. */
import type { OperationSchema } from '../../validation/schema.js';

export const describeLimitsSchema: OperationSchema = { operation: 'DescribeLimits', members: {} };
