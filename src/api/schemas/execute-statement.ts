/**
 * ExecuteStatement, from the service model: Statement (1 to 8192), Parameters (AttributeValues, at least one),
 * ConsistentRead, NextToken (1 to 32768), ReturnConsumedCapacity, Limit (at least 1),
 * ReturnValuesOnConditionCheckFailure. After the constraints, the parameters' values are checked and normalised
 * as any AttributeValue of a request.
 */
import { attributeValue, boolean, integer, list, maxLength, minLength, minValue, required, string, type OperationSchema } from '../../validation/schema.js';
import type { AttributeValue } from '../../model/attribute-value.js';
import { validateAttributeValue } from '../../model/validate-attribute-value.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from './common.js';

export const executeStatementSchema: OperationSchema = {
  operation: 'ExecuteStatement',
  members: {
    Statement: required(string(minLength(1), maxLength(8192))),
    Parameters: list(attributeValue, minLength(1)),
    ConsistentRead: boolean,
    NextToken: string(minLength(1), maxLength(32768)),
    ReturnConsumedCapacity: returnConsumedCapacity,
    Limit: integer(minValue(1)),
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
  },
  custom(body) {
    const parameters = body.Parameters;
    if (Array.isArray(parameters)) body.Parameters = parameters.map((value) => validateAttributeValue(value as AttributeValue));
  },
};
