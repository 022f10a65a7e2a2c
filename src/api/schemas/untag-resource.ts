/** UntagResource: like TagResource, with tag keys (`The Tag Key provided is invalid, Key: ` for an empty one). */
import { validationError } from '../../errors.js';
import { list, string, type OperationSchema } from '../../validation/schema.js';
import { checkTableArn, requireAfterArn, resourceArnNeedsAccessCheck } from './resource-arn.js';
import { checkTagKeys } from '../tag-rules.js';

export const untagResourceSchema: OperationSchema = {
  operation: 'UntagResource',
  members: { ResourceArn: string(), TagKeys: list(string()) },
  custom(body) {
    if (resourceArnNeedsAccessCheck(body)) return;
    requireAfterArn(body, 'TagKeys', 'tagKeys');
    checkTableArn(body.ResourceArn as string);
    const keys = body.TagKeys as readonly unknown[];
    if (keys.length === 0) throw validationError('Atleast one Tag Key needs to be provided as Input.');
    checkTagKeys(keys);
  },
};
