/**
 * TagResource. ResourceArn and Tags are checked by DynamoDB's own code rather than by constraints (see
 * resource-arn.ts for the order); then at least one tag, each with a key and a value.
 */
import { validationError } from '../../errors.js';
import { string, type OperationSchema } from '../../validation/schema.js';
import { tags } from './common.js';
import { checkTableArn, requireAfterArn, resourceArnNeedsAccessCheck } from './resource-arn.js';

type Json = Readonly<Record<string, unknown>>;

export const tagResourceSchema: OperationSchema = {
  operation: 'TagResource',
  members: { ResourceArn: string(), Tags: tags },
  custom(body) {
    if (resourceArnNeedsAccessCheck(body)) return;
    requireAfterArn(body, 'Tags', 'tags');
    checkTableArn(body.ResourceArn as string);
    const list = body.Tags as readonly (Json | null)[];
    if (list.length === 0) throw validationError('Atleast one Tag needs to be provided as Input.');
    for (const tag of list) {
      const key = tag?.Key;
      if (typeof key !== 'string' || key === '') {
        throw validationError(`The Tag Key provided is invalid, Key: ${key === undefined || key === null ? 'null' : String(key)}`);
      }
      const value = tag?.Value;
      if (typeof value !== 'string') throw validationError('The Tag Value provided is invalid, Value: null');
    }
  },
};
