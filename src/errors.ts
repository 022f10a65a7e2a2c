/**
 * The one error type of Cairn. Everything that DynamoDB would answer with an error throws a DynamoDbError;
 * only src/http/ turns it into the wire shape `{"__type": "<namespace>#<type>", "message": "..."}`.
 */
export type ErrorNamespace =
  | 'com.amazonaws.dynamodb.v20120810'
  | 'com.amazon.coral.validate'
  | 'com.amazon.coral.service'
  // ThrottlingException's home.
  | 'com.amazon.coral.availability';

export class DynamoDbError extends Error {
  constructor(
    /** The wire error type, e.g. `ValidationException`. */
    readonly type: string,
    message: string,
    readonly status: number = 400,
    readonly namespace: ErrorNamespace = 'com.amazonaws.dynamodb.v20120810',
    /** Extra members of the error body (CancellationReasons, Item on ConditionalCheckFailed...). */
    readonly extra?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = type;
  }

  /** The `__type` value DynamoDB puts in the error body. */
  get wireType(): string {
    return `${this.namespace}#${this.type}`;
  }
}

/**
 * ValidationException (400): by far the most common error; DynamoDB words each one precisely. Its wire type is
 * `com.amazon.coral.validate#ValidationException`, not the service namespace.
 */
export function validationError(message: string): DynamoDbError {
  return new DynamoDbError('ValidationException', message, 400, 'com.amazon.coral.validate');
}

export function resourceNotFound(message = 'Requested resource not found'): DynamoDbError {
  return new DynamoDbError('ResourceNotFoundException', message);
}

export function resourceInUse(message: string): DynamoDbError {
  return new DynamoDbError('ResourceInUseException', message);
}

export function conditionalCheckFailed(item?: Readonly<Record<string, unknown>>): DynamoDbError {
  return new DynamoDbError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    'com.amazonaws.dynamodb.v20120810',
    item ? { Item: item } : undefined,
  );
}

export function serializationError(message: string): DynamoDbError {
  return new DynamoDbError('SerializationException', message, 400, 'com.amazon.coral.service');
}

export function internalServerError(message = 'Internal server error'): DynamoDbError {
  return new DynamoDbError('InternalServerError', message, 500);
}
