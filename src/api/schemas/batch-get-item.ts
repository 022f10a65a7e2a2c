/**
 * BatchGetItem. RequestItems keys are table names or ARNs. After the constraints, per table: expression against
 * legacy parameters, duplicate AttributesToGet, the ProjectionExpression and its names, each key's values,
 * duplicate keys, and the 100-key limit. All of it before any table is looked up: a bad expression for a missing
 * table is a ValidationException, not ResourceNotFoundException.
 */
import { validationError } from '../../errors.js';
import { compileExpressions, type ExpressionRequest } from '../../expressions/compile.js';
import {
  attributesToGetProblem,
  expressionParameterProblem,
  ruleCheck,
  validateAttributeMapMember,
} from '../../validation/request-rules.js';
import {
  attributeMap,
  boolean,
  list,
  map,
  maxLength,
  minLength,
  required,
  string,
  structure,
  type OperationSchema,
} from '../../validation/schema.js';
import { MODEL, attributesToGet, expressionAttributeNames, returnConsumedCapacity } from './common.js';

type Json = Record<string, unknown>;

export const batchGetItemSchema: OperationSchema = {
  operation: 'BatchGetItem',
  members: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    RequestItems: required(
      map(
        structure('KeysAndAttributes', {
          Keys: required(list(attributeMap, minLength(1), maxLength(100))),
          AttributesToGet: attributesToGet,
          ConsistentRead: boolean,
          ProjectionExpression: string(),
          ExpressionAttributeNames: expressionAttributeNames,
        }),
        `${MODEL}KeysAndAttributes`,
        minLength(1),
        { kind: 'mapKeys', constraints: [{ kind: 'tableNameOrArn', emptyMinimumOne: true }] },
      ),
    ),
  },
  custom(body) {
    const requestItems = body.RequestItems as Readonly<Record<string, Json>>;
    let keyCount = 0;
    for (const table in requestItems) {
      const request = requestItems[table] as Json;
      ruleCheck(
        () => expressionParameterProblem(request, 'BatchGetItem'),
        () => attributesToGetProblem(request),
      );
      // Checked (and thrown away: the operation compiles again, from the parse cache) before the keys' values.
      compileExpressions(keysAndAttributesExpressions(request) as ExpressionRequest, { valueExpressions: [] });
      const keys = request.Keys as Json[];
      const seen = new Set<string>();
      for (let i = 0; i < keys.length; i++) {
        validateAttributeMapMember(keys as unknown as Json, String(i), 'current', false);
        const key = keys[i] as Json;
        const identity = keyIdentity(key);
        if (seen.has(identity)) throw validationError('Provided list of item keys contains duplicates');
        seen.add(identity);
        if (++keyCount > 100) throw validationError('Too many items requested for the BatchGetItem call');
      }
    }
  },
};

/**
 * The expression members of one table's KeysAndAttributes. Only these: members the model does not know (a
 * ConditionExpression sent by mistake) are ignored by validation and must not be compiled either.
 */
export function keysAndAttributesExpressions(request: Readonly<Json>): Json {
  const picked: Json = {};
  for (const member of ['ProjectionExpression', 'ExpressionAttributeNames', 'AttributesToGet']) {
    if (request[member] != null) picked[member] = request[member];
  }
  return picked;
}

/** The same key however its attributes are ordered. */
function keyIdentity(key: Json): string {
  return Object.keys(key)
    .sort()
    .map((name) => `${name}\u0000${JSON.stringify(key[name])}`)
    .join('\u0001');
}
