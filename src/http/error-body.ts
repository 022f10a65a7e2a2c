/**
 * The one place a DynamoDbError becomes DynamoDB's wire error body: `{"__type":"<namespace>#<Type>","message":...}`.
 *
 * DynamoDB's front end (Coral) is not uniform here, and SDKs accept all of it:
 * - framework errors raised before any message is known (a body that is not JSON, an unknown X-Amz-Target) carry
 *   no message member at all: `{"__type":"com.amazon.coral.service#SerializationException"}`;
 * - deserialization errors, access denials and the transaction errors whose model member is `Message`
 *   (TransactionCanceledException, IdempotentParameterMismatchException, TransactionInProgressException) spell
 *   it with a capital M;
 * - everything else uses `message`.
 * Extra members (CancellationReasons, Item...) follow the message.
 */
import type { DynamoDbError } from '../errors.js';

const CAPITALISED_MESSAGE: ReadonlySet<string> = new Set([
  'SerializationException',
  'AccessDeniedException',
  'TransactionCanceledException',
  'IdempotentParameterMismatchException',
  'TransactionInProgressException',
]);

export function errorBody(error: DynamoDbError): string {
  const body: Record<string, unknown> = { __type: error.wireType };
  if (error.message !== '') {
    const member = CAPITALISED_MESSAGE.has(error.type) ? 'Message' : 'message';
    body[member] = error.message;
  }
  if (error.extra !== undefined) {
    for (const name in error.extra) body[name] = error.extra[name];
  }
  return JSON.stringify(body);
}
