/** GetItem. After the constraints: expression against legacy parameters, the Key's values, duplicate names. */
import { attributeMap, boolean, required, string, type OperationSchema } from '../../validation/schema.js';
import {
  attributesToGetProblem,
  expressionParameterProblem,
  ruleCheck,
  validateAttributeMapMember,
} from '../../validation/request-rules.js';
import { attributesToGet, dataTableName, expressionAttributeNames, returnConsumedCapacity } from './common.js';

export const getItemSchema: OperationSchema = {
  operation: 'GetItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    TableName: dataTableName,
    Key: required(attributeMap),
    ConsistentRead: boolean,
    ProjectionExpression: string(),
    ExpressionAttributeNames: expressionAttributeNames,
  },
  custom(body) {
    ruleCheck(
      () => expressionParameterProblem(body, 'GetItem'),
      () => validateAttributeMapMember(body, 'Key', 'current', false),
      () => attributesToGetProblem(body),
    );
  },
};
