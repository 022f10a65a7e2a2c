/** BatchExecuteStatement: 1..25 PartiQL statements, each with its own parameters. Members in model order. */
import {
  attributeValue,
  boolean,
  list,
  maxLength,
  minLength,
  required,
  string,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';
import type { AttributeValue } from '../../model/attribute-value.js';
import { validateAttributeValue } from '../../model/validate-attribute-value.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from './common.js';

/** PartiQLStatement: 1..8192 characters (the model's bounds; the byte bound is checked on the text). */
export const partiqlStatement = required(string(minLength(1), maxLength(8192)));
/** PreparedStatementParameters: the values of the `?` in order, at least one when present. */
export const statementParameters = list(attributeValue, minLength(1));

/**
 * After the constraints, each statement's parameters are checked and normalised as any AttributeValue of a
 * request (as ExecuteStatement's are): a bad value refuses the whole request.
 */
export function normaliseStatementParameters(statements: unknown): void {
  if (!Array.isArray(statements)) return;
  for (const statement of statements as Record<string, unknown>[]) {
    const parameters = statement.Parameters;
    if (Array.isArray(parameters)) statement.Parameters = parameters.map((value) => validateAttributeValue(value as AttributeValue));
  }
}

export const batchExecuteStatementSchema: OperationSchema = {
  operation: 'BatchExecuteStatement',
  members: {
    Statements: required(
      list(
        structure('BatchStatementRequest', {
          Statement: partiqlStatement,
          Parameters: statementParameters,
          ConsistentRead: boolean,
          ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
        }),
        minLength(1),
        maxLength(25),
      ),
    ),
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
  custom(body) {
    normaliseStatementParameters(body.Statements);
  },
};
