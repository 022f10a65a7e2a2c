/**
 * One request that named an operation, once its answer has been sent: what the audit log records (src/audit/).
 * Handed over by reference and read synchronously; listeners keep nothing of it but what they copy.
 */
import type { IncomingMessage } from 'node:http';
import type { JsonObject, JsonText, RequestContext } from '../api/operation.js';
import type { Principal } from '../auth/principal.js';

export interface AnsweredRequest {
  /** The operation as the registry names it: `GetItem`, `DynamoDBStreams.GetRecords`. */
  readonly operation: string;
  /** The HTTP request: its headers (Authorization, User-Agent), its socket (address, TLS session). */
  readonly req: IncomingMessage;
  readonly requestId: string;
  /** The request's context, when the request got as far as having one (absent when authentication or validation refused it). */
  readonly context: RequestContext | undefined;
  /** Without a context: the signer, when the request was refused after its signature was verified (by validation). */
  readonly principal?: Principal | undefined;
  /** Without a context: the request's region, when its authentication got as far as reading it. */
  readonly region?: string | undefined;
  /** The request's members, when the body was a JSON object. */
  readonly request: JsonObject | undefined;
  /** The answer of a request that succeeded. */
  readonly result: JsonObject | JsonText | undefined;
  /** Why it failed: a DynamoDbError, or anything else (answered 500 InternalServerError). Undefined on success. */
  readonly error: unknown;
}
