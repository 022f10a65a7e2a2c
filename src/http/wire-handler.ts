/**
 * DynamoDB's wire protocol on node:http: one POST `/` per operation, `X-Amz-Target: DynamoDB_20120810.<Op>`,
 * a JSON body, a JSON answer with `x-amzn-RequestId` and `x-amz-crc32` (the SDKs verify the checksum).
 *
 * DynamoDB checks a raw request in this order, and Cairn answers each step exactly as it does:
 *  1. body over 16 MiB: 413, empty chunked body — refused while streaming, never buffered whole (a compressed
 *     body is held to the same limit once decoded, at step 5);
 *  2. (a request id is assigned from here on) with an `Origin` header every answer allows any origin, and an
 *     OPTIONS request with `Origin` is a CORS preflight: 200, empty, echoing the requested headers and method;
 *  3. GET `/`: 200 `healthy: dynamodb.<region>.amazonaws.com ` (trailing space included) — load balancers use it;
 *  4. any other method, a path other than `/`, or a non-empty body whose Content-Type (before any `;`) is none of
 *     `application/x-amz-json-1.0`, `application/x-amz-json-1.1` and `application/json`: 404 with the body
 *     `<UnknownOperationException/>\n`. (DynamoDB itself refuses 1.1 that way; Cairn accepts it on purpose, because
 *     some generic AWS JSON-protocol clients send 1.1 to every service.)
 *  5. a body with Content-Encoding gzip or deflate is decoded (content-encoding.ts): an unknown coding or a body
 *     that does not decode is answered 500 InternalServerError, as DynamoDB does; then a non-empty body that is
 *     not JSON: SerializationException without a message;
 *  6. a missing or unknown X-Amz-Target: UnknownOperationException without a message (DynamoDB's answer to a name
 *     it does not know); a DynamoDB operation Cairn does not implement gets the same type with a message naming it;
 *  7. authentication (see authorization.ts): MissingAuthenticationToken / IncompleteSignature / InvalidSignature;
 *     with `--auth`, the signature verified against the file's keys over the body as sent (before decoding):
 *     UnrecognizedClient / InvalidSignature / ExpiredToken (src/auth/sigv4-verify.ts);
 *  8. an empty body: SerializationException without a message; a JSON value that is not an object: the
 *     SerializationException Coral's deserializer raises for it;
 *  9. the request's members (validateRequest); then, with `--auth`, IAM's policies (src/api/access/): a denial is
 *     AccessDeniedException before anything is read or written; then the operation itself.
 * JSON answers carry the request's content type (`application/x-amz-json-1.0` or `-1.1`, else `application/json`),
 * compressed as the request's Accept-Encoding allows when they are large enough (accept-encoding.ts); the checksum
 * then covers the compressed bytes, as DynamoDB's does (the SDKs check it before decompressing).
 * Anything unexpected is logged with its stack and answered 500 InternalServerError; a request never crashes the
 * process.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflate, gzip } from 'node:zlib';
import { DYNAMODB_OPERATIONS } from '../api/dynamodb-operations.js';
import type { Engine } from '../engine/engine.js';
import { DynamoDbError, internalServerError, serializationError } from '../errors.js';
import { JsonText, type JsonObject, type OperationHandler, type RequestContext } from '../api/operation.js';
import { validateRequest } from '../validation/validate-request.js';
import { throttleOf } from '../capacity/throttle.js';
import { COMPRESSION_THRESHOLD_BYTES, responseCoding, type ResponseCoding } from './accept-encoding.js';
import { authenticate, authorize } from './authorization.js';
import type { Principal } from '../auth/principal.js';
import type { AuthDirectory } from '../auth/auth-file.js';
import { authorizeRequest } from '../api/access/authorize-request.js';
import { BodyDecodeError, contentCodings, decodeBody } from './content-encoding.js';
import { crc32 } from '../util/crc32.js';
import { errorBody } from './error-body.js';
import type { AnsweredRequest } from './answered-request.js';
import type { Logger } from './logger.js';
import { newRequestId } from './request-id.js';
import { RequestNotes } from '../observe/request-notes.js';

/** DynamoDB's maximum HTTP request body. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const TARGET_PREFIX = 'DynamoDB_20120810.';
/** DynamoDB Streams shares the endpoint; its operations are keyed `DynamoDBStreams.<Op>`. */
const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';
const STREAMS_OPERATION_PREFIX = 'DynamoDBStreams.';
const AMZ_JSON = 'application/x-amz-json-1.0';
const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';
const PLAIN_JSON = 'application/json';
const NOT_FOUND_BODY = Buffer.from('<UnknownOperationException/>\n');
const NOT_FOUND_CRC = String(crc32(NOT_FOUND_BODY));
/** The answer of every write that returns nothing (PutItem, DeleteItem, UpdateItem without ReturnValues...). */
const EMPTY_OBJECT_BODY = Buffer.from('{}');
const EMPTY_OBJECT_CRC = String(crc32(EMPTY_OBJECT_BODY));
const EXPOSED_HEADERS = 'x-amzn-RequestId,x-amz-crc32';
/** After a 413, how much more of the refused body is read (and dropped) before the connection is cut. */
const DISCARD_LIMIT = 4 * 1024 * 1024;

export interface WireOptions {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly operations: Readonly<Record<string, OperationHandler>>;
  readonly maxBodyBytes?: number;
  /**
   * Told of every request that named an operation, once its answer is decided (metrics, the access-pattern
   * report). Called only while capacity is counted (`--capacity off` records nothing, at no cost).
   */
  readonly onRequest?: (notes: RequestNotes) => void;
  /** The `--auth` file's accounts and keys: every request must then be signed by one of its keys. */
  readonly auth?: AuthDirectory;
  /** Told of every request that named an operation Cairn implements, once its answer is sent (the audit log). */
  readonly onAnswered?: (answered: AnsweredRequest) => void;
}

export interface WireHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Resolves once no operation is running (a graceful close waits for it before closing the store). */
  settled(): Promise<void>;
  /** From now on, answers ask clients to close their connection. */
  drain(): void;
}

/** What every answer to one request shares. */
interface Exchange {
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly origin: string | undefined;
  /** The request: its Accept-Encoding says how an answer large enough to compress may be compressed. */
  readonly req: IncomingMessage;
}

export function createWireHandler(options: WireOptions): WireHandler {
  const { engine, logger, onRequest, auth, onAnswered } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BYTES;
  // A Map, not the record: a target such as `DynamoDB_20120810.constructor` must not find Object's prototype.
  const operations = new Map<string, OperationHandler>(Object.entries(options.operations));
  const defaultRegion = engine.options.defaultRegion;
  const servesOneRegion = engine.options.servesOneRegion === true;
  const defaultAccountId = engine.options.accountId;
  const healthBody = Buffer.from(`healthy: dynamodb.${defaultRegion}.amazonaws.com `);
  const healthCrc = String(crc32(healthBody));
  let running = 0;
  let whenSettled: (() => void) | undefined;
  let draining = false;

  /**
   * Writes a complete answer: `body` as is, or compressed when the client accepts it and it is large enough. The
   * checksum covers exactly the bytes sent.
   */
  function send(
    exchange: Exchange,
    status: number,
    contentType: string | undefined,
    body: Buffer,
    crc?: string,
  ): void {
    // Most answers are too small to compress: only a large one looks at Accept-Encoding.
    const coding = body.length < COMPRESSION_THRESHOLD_BYTES ? undefined : responseCoding(firstHeader(exchange.req, 'accept-encoding'));
    if (coding === undefined) {
      write(exchange, status, contentType, body, crc ?? String(crc32(body)), undefined);
      return;
    }
    // zlib's asynchronous form runs on the thread pool: a large answer does not stall other requests.
    (coding === 'gzip' ? gzip : deflate)(body, (error, compressed) => {
      if (error !== null) write(exchange, status, contentType, body, crc ?? String(crc32(body)), undefined);
      else write(exchange, status, contentType, compressed, String(crc32(compressed)), coding);
    });
  }

  function write(
    { res, requestId, origin }: Exchange,
    status: number,
    contentType: string | undefined,
    body: Buffer,
    crc: string,
    coding: ResponseCoding | undefined,
  ): void {
    if (res.destroyed) return;
    const headers: Record<string, string | number> = {
      'x-amzn-RequestId': requestId,
      'x-amz-crc32': crc,
      'Content-Length': body.length,
    };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (coding !== undefined) headers['Content-Encoding'] = coding;
    if (origin !== undefined) {
      headers['Access-Control-Allow-Origin'] = '*';
      headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
    }
    if (draining) headers.Connection = 'close';
    res.writeHead(status, headers);
    res.end(body);
  }

  function sendError(exchange: Exchange, contentType: string, error: DynamoDbError): void {
    send(exchange, error.status, contentType, Buffer.from(errorBody(error), 'utf8'));
  }

  function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
    // DynamoDB answers 413 with an empty chunked body. The rest of the request is read and dropped (bounded),
    // so the client gets to read the answer instead of a connection reset, then the connection is closed.
    res.writeHead(413, { 'Transfer-Encoding': 'chunked', Connection: 'close' });
    res.end();
    let discarded = 0;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT) req.socket.destroy();
    });
    req.resume();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) {
      refuseTooLarge(req, res);
      return;
    }
    let first: Buffer | undefined;
    let rest: Buffer[] | undefined;
    let length = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBodyBytes) {
        refused = true;
        first = undefined;
        rest = undefined;
        refuseTooLarge(req, res);
        return;
      }
      if (first === undefined) first = chunk;
      else (rest ??= []).push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = first === undefined ? EMPTY : rest === undefined ? first : Buffer.concat([first, ...rest], length);
      const exchange: Exchange = {
        res,
        requestId: newRequestId(),
        origin: req.headers.origin,
        req,
      };
      try {
        dispatch(req, exchange, body);
      } catch (error) {
        fail(exchange, AMZ_JSON, undefined, error);
      }
    });
    // A client that goes away mid-request: nothing to answer.
    req.on('error', () => req.socket.destroy());
  }

  /** A failure of Cairn itself: logged with its cause (the request id lets the client's report be matched). */
  function fail(exchange: Exchange, contentType: string, operationName: string | undefined, error: unknown): void {
    logger.error(`${exchange.requestId}${operationName === undefined ? '' : ` ${operationName}`}: unexpected error while answering a request`, error);
    if (exchange.res.headersSent) {
      exchange.res.destroy();
      return;
    }
    sendError(exchange, contentType, internalServerError());
  }

  function dispatch(req: IncomingMessage, exchange: Exchange, body: Buffer): void {
    const { res, requestId, origin } = exchange;
    const headers = req.headers;
    const method = req.method;
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);

    if (origin !== undefined && method === 'OPTIONS') {
      const preflight: Record<string, string | number> = {
        'x-amzn-RequestId': requestId,
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Max-Age': 172800,
        'Content-Length': 0,
      };
      const requestHeaders = headers['access-control-request-headers'];
      if (requestHeaders !== undefined) preflight['Access-Control-Allow-Headers'] = requestHeaders;
      const requestMethod = headers['access-control-request-method'];
      if (requestMethod !== undefined) preflight['Access-Control-Allow-Methods'] = requestMethod;
      res.writeHead(200, preflight);
      res.end();
      return;
    }
    if (method === 'GET' && path === '/') {
      send(exchange, 200, undefined, healthBody, healthCrc);
      return;
    }
    const contentType = mediaType(headers['content-type']);
    if (method !== 'POST' || path !== '/' || (body.length > 0 && contentType !== AMZ_JSON && contentType !== AMZ_JSON_1_1 && contentType !== PLAIN_JSON)) {
      send(exchange, 404, undefined, NOT_FOUND_BODY, NOT_FOUND_CRC);
      return;
    }
    const responseType = contentType === AMZ_JSON || contentType === AMZ_JSON_1_1 ? contentType : PLAIN_JSON;
    const codings = contentCodings(headers['content-encoding']);
    if (codings.length === 0) {
      dispatchCurrent(req, exchange, responseType, body, body, url);
      return;
    }
    decodeBody(body, codings, maxBodyBytes).then(
      (decoded) => dispatchCurrent(req, exchange, responseType, decoded, body, url),
      (error: unknown) => {
        if (!(error instanceof BodyDecodeError)) {
          fail(exchange, responseType, undefined, error);
          return;
        }
        const failure = error.failure;
        if (failure.kind === 'too-large') {
          // The 413 of a body over the limit (step 1), for the decoded size.
          res.writeHead(413, { 'Transfer-Encoding': 'chunked' });
          res.end();
          return;
        }
        // DynamoDB answers these with a 500 (see content-encoding.ts). The client's mistake, not Cairn's: a warning,
        // without a stack. The messages are Cairn's own: DynamoDB's wording for them is not known.
        const message =
          failure.kind === 'unknown-coding'
            ? `The request's Content-Encoding ${failure.coding} is not supported (gzip and deflate are)`
            : `The request body could not be decoded as ${failure.coding}: ${failure.reason}`;
        logger.warn(`${requestId}: ${message}`);
        sendError(exchange, responseType, internalServerError(message));
      },
    );
  }

  /**
   * Dispatches once the catalog is current: with several processes on one storage, a table another process
   * created, changed or deleted is seen as such by the next request here (one read of the catalog version, shared
   * by the requests that arrive while it runs). One process alone dispatches at once.
   */
  function dispatchCurrent(req: IncomingMessage, exchange: Exchange, responseType: string, body: Buffer, sentBody: Buffer, url: string): void {
    if (!engine.catalog.multiProcess) {
      dispatchJson(req, exchange, responseType, body, sentBody, url);
      return;
    }
    engine.catalog.sync().then(
      () => dispatchJson(req, exchange, responseType, body, sentBody, url),
      (error: unknown) => fail(exchange, responseType, undefined, error),
    );
  }

  /** `body` is the decoded body; `sentBody` the body as sent, which a signature's payload hash covers. */
  function dispatchJson(req: IncomingMessage, exchange: Exchange, responseType: string, body: Buffer, sentBody: Buffer, url: string): void {
    const headers = req.headers;
    let parsed: unknown;
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(exchange, responseType, serializationError(''));
        return;
      }
    }
    const target = headers['x-amz-target'];
    const operationName =
      typeof target !== 'string'
        ? undefined
        : target.startsWith(TARGET_PREFIX) && !target.includes('.', TARGET_PREFIX.length)
          ? target.slice(TARGET_PREFIX.length)
          : target.startsWith(STREAMS_TARGET_PREFIX)
            ? STREAMS_OPERATION_PREFIX + target.slice(STREAMS_TARGET_PREFIX.length)
            : undefined;
    const operation = operationName === undefined ? undefined : operations.get(operationName);
    if (operation === undefined || operationName === undefined) {
      // DynamoDB's answer to a name it does not know carries no message. For an operation of DynamoDB's API that
      // Cairn lacks, the message is Cairn's own, so that a gap is not mistaken for a typo.
      const message =
        operationName !== undefined && DYNAMODB_OPERATIONS.has(operationName)
          ? `${operationName} is a DynamoDB operation that Cairn does not implement`
          : '';
      sendError(exchange, responseType, new DynamoDbError('UnknownOperationException', message, 400, 'com.amazon.coral.service'));
      return;
    }

    let context: RequestContext;
    let request: JsonObject;
    const notes = onRequest !== undefined && engine.capacity.counting ? new RequestNotes() : undefined;
    const started = notes === undefined ? 0 : performance.now();
    if (notes !== undefined) notes.operation = operationName;
    // Declared out here so that a request refused after its authentication is audited under its signer.
    let region: string | undefined;
    let principal: Principal | undefined;
    try {
      const hasDateHeader = headers['x-amz-date'] !== undefined || headers.date !== undefined;
      if (auth === undefined) {
        // Without --auth only the shape of the authentication is checked: no clock, no hashing.
        const queryAt = url.indexOf('?');
        region = authorize(headers.authorization, hasDateHeader, queryAt === -1 ? undefined : url.slice(queryAt + 1), defaultRegion);
      } else {
        ({ region, principal } = authenticate(
          { method: req.method ?? 'POST', url, rawHeaders: req.rawHeaders, authorization: headers.authorization, hasDateHeader, body: sentBody },
          auth,
          defaultRegion,
          Date.now(),
        ));
      }
      // A server of one region (--region-name) is that region's endpoint: DynamoDB's endpoint of a region answers a
      // request signed for another region so (400, the text recorded from DynamoDB with its trailing space).
      if (servesOneRegion && region !== defaultRegion) {
        throw new DynamoDbError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'. `, 400, 'com.amazon.coral.service');
      }
      // With --auth, the signer's account is the request's namespace; without it, the one default account.
      const accountId = principal === undefined ? defaultAccountId : principal.accountId;
      if (notes !== undefined) {
        notes.region = region;
        notes.accountId = accountId;
      }
      request = requestObject(parsed, body.length, operationName);
      validateRequest(operationName, request);
      if (notes !== undefined) {
        notes.request = request;
        if (typeof request.TableName === 'string') notes.table = request.TableName;
      }
      // One shape for every request's context, whatever is absent: the operations' property reads stay monomorphic.
      context = { region, accountId, engine, requestId: exchange.requestId, host: headers.host, principal, notes, deniedStatements: undefined };
      // Only with `--auth` is there a principal whose policies are evaluated; without it nothing runs here.
      if (principal !== undefined) {
        const deniedStatements = authorizeRequest(operationName, request, context, { sourceIp: req.socket.remoteAddress, secure: isSecure(req) });
        if (deniedStatements !== undefined) context = { ...context, deniedStatements };
      }
    } catch (error) {
      const ended = notes === undefined ? 0 : performance.now();
      if (error instanceof DynamoDbError) sendError(exchange, responseType, error);
      else fail(exchange, responseType, operationName, error);
      if (notes !== undefined) record(notes, started, ended, error);
      if (onAnswered !== undefined) answered(req, exchange, operationName, { region, principal }, parsed, undefined, error);
      return;
    }

    if (logger.enabled('debug')) logger.debug(`${exchange.requestId} ${operationName} ${body.length} bytes`);
    // One `then` and no further promise per request: this is the path every operation takes.
    running++;
    operation(context, request).then(
      (result) => {
        operationEnded();
        // The answer goes out first and the request is recorded after: recording costs the client nothing, and
        // answers sent without delay let the socket writes of one event-loop turn go out together.
        const ended = notes === undefined ? 0 : performance.now();
        try {
          if (result instanceof JsonText) send(exchange, 200, responseType, result.bytes);
          else if (isEmpty(result)) send(exchange, 200, responseType, EMPTY_OBJECT_BODY, EMPTY_OBJECT_CRC);
          else send(exchange, 200, responseType, Buffer.from(JSON.stringify(result), 'utf8'));
        } catch (error) {
          fail(exchange, responseType, operationName, error);
        }
        if (notes !== undefined) record(notes, started, ended, undefined);
        if (onAnswered !== undefined) answered(req, exchange, operationName, context, request, result, undefined);
      },
      (error: unknown) => {
        operationEnded();
        const ended = notes === undefined ? 0 : performance.now();
        if (error instanceof DynamoDbError) sendError(exchange, responseType, error);
        else fail(exchange, responseType, operationName, error);
        if (notes !== undefined) record(notes, started, ended, error);
        if (onAnswered !== undefined) answered(req, exchange, operationName, context, request, undefined, error);
      },
    );
  }

  /** Hands an answered request to the audit log; its failure never changes the answer, which is already sent. */
  function answered(
    req: IncomingMessage,
    exchange: Exchange,
    operation: string,
    known: RequestContext | { region: string | undefined; principal: Principal | undefined },
    request: unknown,
    result: JsonObject | JsonText | undefined,
    error: unknown,
  ): void {
    const members = typeof request === 'object' && request !== null && !Array.isArray(request) ? (request as JsonObject) : undefined;
    const context = 'engine' in known ? known : undefined;
    const principal = context === undefined ? known.principal : undefined;
    const region = context === undefined ? known.region : undefined;
    try {
      onAnswered?.({ operation, req, requestId: exchange.requestId, context, principal, region, request: members, result, error });
    } catch (failure) {
      logger.error('recording a request in the audit log failed', failure);
    }
  }

  /**
   * Completes a request's notes (its latency runs until its answer was decided) and hands them on, once the answer
   * is sent; an observer's failure never changes the answer.
   */
  function record(notes: RequestNotes, started: number, ended: number, error: unknown): void {
    notes.latencyMs = ended - started;
    if (error !== undefined) {
      if (error instanceof DynamoDbError) {
        notes.status = error.status;
        notes.errorType = error.type;
        const throttle = throttleOf(error);
        if (throttle !== undefined) notes.throttleReasons = throttle.reasons.map((entry) => entry.reason);
      } else {
        notes.status = 500;
        notes.errorType = 'InternalServerError';
      }
    }
    try {
      onRequest?.(notes);
    } catch (failure) {
      logger.error('recording a request failed', failure);
    }
  }

  function operationEnded(): void {
    running--;
    if (running === 0) whenSettled?.();
  }

  const handler = handle as WireHandler;
  Object.assign(handler, {
    settled: (): Promise<void> => {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const previous = whenSettled;
        whenSettled = () => {
          whenSettled = undefined;
          previous?.();
          resolve();
        };
      });
    },
    drain: () => {
      draining = true;
    },
  });
  return handler;
}

/** Only the first of repeated headers counts, as DynamoDB reads Accept-Encoding (node would join them). */
function firstHeader(req: IncomingMessage, name: string): string | undefined {
  // headersDistinct builds an object of every header: only worth it when the header is there at all.
  if (req.headers[name] === undefined) return undefined;
  return req.headersDistinct[name]?.[0];
}

const EMPTY = Buffer.alloc(0);

/** Whether the request came over TLS (`aws:SecureTransport`). */
function isSecure(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/** An answer without members goes out as the constant `{}`: no serialization, no checksum per request. */
function isEmpty(result: JsonObject): boolean {
  for (const _ in result) return false;
  return true;
}

/** `application/json; charset=utf-8` -> `application/json` (DynamoDB ignores parameters and surrounding spaces). */
function mediaType(header: string | undefined): string {
  if (header === undefined) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim();
}

/**
 * The request members, or the SerializationException DynamoDB answers: an empty body has no members at all, and
 * a JSON value other than an object cannot be read as the operation's input structure. `null` reads as an input
 * with no members (Coral treats a null structure as absent members), which validation then reports.
 */
function requestObject(parsed: unknown, bodyLength: number, operationName: string): JsonObject {
  if (bodyLength === 0) throw serializationError('');
  if (parsed === null) return {};
  if (Array.isArray(parsed)) {
    throw serializationError(`Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${operationName}Input`);
  }
  if (typeof parsed !== 'object') throw serializationError('Unexpected value type in payload');
  return parsed as JsonObject;
}
