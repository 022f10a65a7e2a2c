/**
 * The five expression parameters of the API, and the message prefix DynamoDB puts on every error about one of
 * them (`Invalid ConditionExpression: ...`). Condition, Filter and KeyCondition expressions share one grammar but
 * are reported under their own names.
 */
import { validationError, type DynamoDbError } from '../errors.js';

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

/** Which grammar (and which function table) an expression kind uses. */
export type Grammar = 'condition' | 'update' | 'projection';

export function grammarOf(kind: ExpressionKind): Grammar {
  switch (kind) {
    case 'ConditionExpression':
    case 'FilterExpression':
    case 'KeyConditionExpression':
      return 'condition';
    case 'UpdateExpression':
      return 'update';
    case 'ProjectionExpression':
      return 'projection';
  }
}

/** A ValidationException about an expression, with DynamoDB's `Invalid <Kind>: ` prefix. */
export function expressionError(kind: ExpressionKind, message: string): DynamoDbError {
  return validationError(`Invalid ${kind}: ${message}`);
}
