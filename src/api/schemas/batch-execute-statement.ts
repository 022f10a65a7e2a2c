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
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from './common.js';

/** PartiQLStatement: 1..8192 characters (the model's bounds; the byte bound is checked on the text). */
export const partiqlStatement = required(string(minLength(1), maxLength(8192)));
/** PreparedStatementParameters: the values of the `?` in order, at least one when present. */
export const statementParameters = list(attributeValue, minLength(1));

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
};
