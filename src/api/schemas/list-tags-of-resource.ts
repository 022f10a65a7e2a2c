/** ListTagsOfResource: the ResourceArn checks of resource-arn.ts. */
import { string, type OperationSchema } from '../../validation/schema.js';
import { checkTableArn, resourceArnNeedsAccessCheck } from './resource-arn.js';

export const listTagsOfResourceSchema: OperationSchema = {
  operation: 'ListTagsOfResource',
  members: { ResourceArn: string(), NextToken: string() },
  custom(body) {
    if (resourceArnNeedsAccessCheck(body)) return;
    checkTableArn(body.ResourceArn as string);
  },
};
