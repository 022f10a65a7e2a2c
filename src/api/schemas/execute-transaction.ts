/** ExecuteTransaction: 1..100 PartiQL statements applied (or read) as one transaction. Members in model order. */
import { list, maxLength, minLength, required, string, structure, type OperationSchema } from '../../validation/schema.js';
import { normaliseStatementParameters, partiqlStatement, statementParameters } from './batch-execute-statement.js';
import { returnConsumedCapacity, returnValuesOnConditionCheckFailure } from './common.js';

export const executeTransactionSchema: OperationSchema = {
  operation: 'ExecuteTransaction',
  members: {
    TransactStatements: required(
      list(
        structure('ParameterizedStatement', {
          Statement: partiqlStatement,
          Parameters: statementParameters,
          ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
        }),
        minLength(1),
        maxLength(100),
      ),
    ),
    ClientRequestToken: string(minLength(1), maxLength(36)),
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
  custom(body) {
    normaliseStatementParameters(body.TransactStatements);
  },
};
