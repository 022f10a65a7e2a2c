/**
 * BatchWriteItem. RequestItems keys are table names or ARNs, and each table's list holds 1..25 requests
 * (DynamoDB reports that on the whole map: `Map value must satisfy constraint: [...]`). An empty RequestItems
 * has a message of its own. Each request must hold exactly one of PutRequest and DeleteRequest, which DynamoDB
 * words as if it were an AttributeValue. Each put's values, then its size, are checked in request order.
 */
import { validationError } from '../../errors.js';
import type { Item } from '../../model/attribute-value.js';
import { assertItemSizeWithinLimit } from '../../model/item-size.js';
import { validateAttributeMapMember } from '../../validation/request-rules.js';
import {
  attributeMap,
  list,
  map,
  maxLength,
  minLength,
  required,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';
import { MODEL, returnConsumedCapacity, returnItemCollectionMetrics } from './common.js';

type Json = Record<string, unknown>;

export const batchWriteItemSchema: OperationSchema = {
  operation: 'BatchWriteItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    RequestItems: required(
      map(
        list(
          structure('WriteRequest', {
            PutRequest: structure('PutRequest', { Item: required(attributeMap) }),
            DeleteRequest: structure('DeleteRequest', { Key: required(attributeMap) }),
          }),
        ),
        `java.util.List<${MODEL}WriteRequest>`,
        { kind: 'mapKeys', constraints: [{ kind: 'tableNameOrArn', emptyMinimumOne: true }] },
        { kind: 'mapValues', constraints: [maxLength(25), minLength(1)] },
      ),
    ),
  },
  custom(body) {
    const requestItems = body.RequestItems as Readonly<Record<string, readonly Json[]>>;
    let tables = 0;
    let requestCount = 0;
    for (const table in requestItems) {
      tables++;
      const requests = requestItems[table] as readonly Json[];
      for (const request of requests) {
        const put = request.PutRequest as Json | undefined | null;
        const del = request.DeleteRequest as Json | undefined | null;
        const hasPut = put !== undefined && put !== null;
        const hasDelete = del !== undefined && del !== null;
        if (hasPut === hasDelete) {
          throw validationError(
            'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
          );
        }
        // BatchWriteItem validates values in DynamoDB's legacy layer, without the envelope.
        if (hasPut) {
          validateAttributeMapMember(put, 'Item', 'legacy', false);
          // The 400 KB limit is a request check here, before the table is looked up (unlike PutItem's).
          assertItemSizeWithinLimit(put.Item as Item);
        } else {
          validateAttributeMapMember(del as Json, 'Key', 'legacy', false);
        }
        // The schema limits each table's list to 25 requests; the whole batch is limited to 25 as well.
        if (++requestCount > 25) throw validationError('Too many items requested for the BatchWriteItem call');
      }
    }
    if (tables === 0) throw validationError('The requestItems parameter is required for BatchWriteItem');
  },
};
