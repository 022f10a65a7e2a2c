/** PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy: the service model's members and lengths. */
import { boolean, maxLength, minLength, required, string, type OperationSchema } from '../../validation/schema.js';

const resourceArn = required(string(minLength(1), maxLength(1283)));
const revisionId = string(minLength(1), maxLength(255));

export const putResourcePolicySchema: OperationSchema = {
  operation: 'PutResourcePolicy',
  members: {
    ResourceArn: resourceArn,
    Policy: required(string()),
    ExpectedRevisionId: revisionId,
    ConfirmRemoveSelfResourceAccess: boolean,
  },
};

export const getResourcePolicySchema: OperationSchema = {
  operation: 'GetResourcePolicy',
  members: { ResourceArn: resourceArn },
};

export const deleteResourcePolicySchema: OperationSchema = {
  operation: 'DeleteResourcePolicy',
  members: { ResourceArn: resourceArn, ExpectedRevisionId: revisionId },
};
