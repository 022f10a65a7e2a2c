/**
 * TagResource. ResourceArn and Tags are checked by DynamoDB's own code rather than by constraints (see
 * resource-arn.ts for the order); then at least one tag, each valid (tag-rules.ts).
 */
import { validationError } from '../../errors.js';
import { string, type OperationSchema } from '../../validation/schema.js';
import { tags } from './common.js';
import { checkTableArn, requireAfterArn, resourceArnNeedsAccessCheck } from './resource-arn.js';
import { checkTags } from '../tag-rules.js';

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
    checkTags(list);
  },
};
