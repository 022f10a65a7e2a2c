/**
 * DynamoDB's AccessDeniedException (`com.amazon.coral.service`, HTTP 400), worded as AWS words an IAM denial:
 * `User: <caller ARN> is not authorized to perform: <action> on resource: <ARN>` followed by why.
 */
import { DynamoDbError } from '../errors.js';
import type { Denial } from './evaluate.js';

const REASONS: Readonly<Record<Denial, (action: string) => string>> = {
  'explicit-identity-deny': () => 'with an explicit deny in an identity-based policy',
  'explicit-resource-deny': () => 'with an explicit deny in a resource-based policy',
  'no-identity-allow': (action) => `because no identity-based policy allows the ${action} action`,
  'no-resource-allow': (action) => `because no resource-based policy allows the ${action} action`,
};

export function accessDenied(callerArn: string, action: string, resource: string, denial: Denial): DynamoDbError {
  return accessDeniedException(`User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${REASONS[denial](action)}`);
}

export function accessDeniedException(message: string): DynamoDbError {
  return new DynamoDbError('AccessDeniedException', message, 400, 'com.amazon.coral.service');
}
