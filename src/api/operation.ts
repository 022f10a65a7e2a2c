/**
 * The contract between the wire layer and an operation: a handler gets the parsed JSON body and the request
 * context, and returns the JSON response body (or throws a DynamoDbError).
 */
import type { Principal } from '../auth/principal.js';
import type { Engine } from '../engine/engine.js';
import type { DynamoDbError } from '../errors.js';
import type { RequestNotes } from '../observe/request-notes.js';

export interface RequestContext {
  /** From the credential scope of the Authorization header (DynamoDB namespaces tables by region). */
  readonly region: string;
  /** The signer's account with `--auth`, else the one default account. */
  readonly accountId: string;
  /** The verified signer with `--auth`; absent without it (any credentials accepted, no policy evaluated). */
  readonly principal?: Principal;
  readonly engine: Engine;
  readonly requestId: string;
  /** The Host header of the request (`host:port`), for DescribeEndpoints; absent when not known. */
  readonly host?: string;
  /**
   * What the request did, for metrics and the access-pattern report (src/observe/): present while capacity is
   * counted. Operations add what only they know (consumed units, partition-key values, Count and ScannedCount).
   */
  readonly notes?: RequestNotes;
  /**
   * BatchExecuteStatement under `--auth`: the statements (by position) IAM denied. DynamoDB answers each with its
   * own `AccessDenied` error and runs the others, as it does for any statement's failure.
   */
  readonly deniedStatements?: ReadonlyMap<number, DynamoDbError>;
}

export type JsonObject = Record<string, unknown>;

/**
 * A response body already serialized: the fast path of reads that answer with stored JSON bytes (see
 * Storage.getEncoded) instead of parsing and re-serializing them. The bytes must be one JSON object.
 */
export class JsonText {
  constructor(readonly bytes: Buffer) {}
}

export type OperationHandler = (context: RequestContext, request: JsonObject) => Promise<JsonObject | JsonText>;
