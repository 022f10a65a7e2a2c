/**
 * Cairn's replication endpoint: `POST /cairn/replication/<operation>` with a JSON body, through which the servers
 * of a global table's regions create replicas on each other, copy items and follow each other's streams
 * (src/engine/replication/peers.ts and peer-service.ts). Without `--auth` it serves loopback clients only, like
 * Cairn's other endpoints; with `--auth` it serves any client whose request is signed (SigV4) by the `replication`
 * user of the account it names (src/engine/replication/peer-signing.ts). Answers: 200 with the operation's JSON
 * result; 409 when the table to create exists; 400 for a request it cannot carry out; 403 to a client off loopback
 * without `--auth`, or to a request not signed by a replication user of its account; 405 for a method other than
 * POST; all with `{"message": ...}`, and a refusal with the DynamoDB error `type` too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDbError } from '../errors.js';
import { servePeer, type PeerApiOperation } from '../engine/replication/peer-service.js';
import { REPLICATION_PATH } from '../engine/replication/peers.js';
import type { Engine } from '../engine/engine.js';
import { answer, pathOf } from './endpoint-io.js';
import type { Logger } from './logger.js';
import { isLoopback } from './loopback.js';
import { verifySignature, type SignedRequest } from '../auth/sigv4-verify.js';
import type { Principal } from '../auth/principal.js';
import { mayReplicate } from '../engine/replication/peer-signing.js';

/** The largest body accepted: a copy batch of 256 items of up to 400 KB each, with room. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

export function isReplicationRequest(url: string | undefined): boolean {
  return url !== undefined && pathOf(url).startsWith(REPLICATION_PATH);
}

export function createReplicationEndpoint(
  engine: Engine,
  logger: Logger,
  apiOperations: ReadonlyMap<string, PeerApiOperation>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const context = {
    storage: engine.storage,
    catalog: engine.catalog,
    capacity: engine.capacity,
    itemCollectionLimitBytes: engine.itemCollectionLimitBytes,
    shardLimits: engine.shardLimits,
    region: engine.options.defaultRegion,
    peerPositions: engine.peerReadPositions,
    apiOperations,
    grants: engine.grants,
    replicationStatus: engine.replicationStatus,
    get localSource() {
      return engine.localReplicationSource;
    },
  };
  const reply = (res: ServerResponse, status: number, body: unknown): void => answer(res, status, 'application/json', JSON.stringify(body));
  return (req, res) => {
    const operation = pathOf(req.url ?? '').slice(REPLICATION_PATH.length);
    const auth = engine.options.auth;
    if (auth === undefined && !isLoopback(req.socket.remoteAddress)) {
      req.resume();
      reply(res, 403, { message: 'Cairn endpoints serve loopback clients only' });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      reply(res, 405, { message: `${req.method ?? ''} is not allowed here` });
      return;
    }
    readBody(req)
      .then(async (bytes) => {
        let principal: Principal | undefined;
        try {
          principal = auth === undefined ? undefined : verifySignature(signedRequest(req, bytes), auth, Date.now()).principal;
        } catch (error) {
          // Whatever is wrong with the signature, the call is not authenticated: 403 with the verifier's message.
          throw error instanceof DynamoDbError ? new DynamoDbError('AccessDeniedException', error.message, 403) : error;
        }
        const body: unknown = JSON.parse(bytes.toString('utf8'));
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DynamoDbError('ValidationException', 'replication: expected a JSON object');
        const accountId = (body as Record<string, unknown>).accountId;
        if (principal !== undefined && (typeof accountId !== 'string' || !mayReplicate(principal, accountId))) {
          throw new DynamoDbError('AccessDeniedException', `${principal.arn} may not replicate tables of account ${String(accountId)}`, 403);
        }
        reply(res, 200, await servePeer(context, operation, body as Record<string, unknown>));
      })
      .catch((error: unknown) => {
        if (error instanceof DynamoDbError) {
          const status = error.type === 'ResourceInUseException' ? 409 : error.status === 403 ? 403 : 400;
          reply(res, status, { message: error.message, type: error.type });
        }
        else if (error instanceof SyntaxError) reply(res, 400, { message: `replication: ${error.message}` });
        else {
          logger.error('replication request failed', error);
          reply(res, 500, { message: 'internal error' });
        }
      });
  };
}

/** The request as SigV4 verification reads it. */
function signedRequest(req: IncomingMessage, body: Buffer): SignedRequest {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(req.rawHeaders[i + 1] as string);
    headers.set(name, values);
  }
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  return { method: req.method ?? 'POST', path: queryAt === -1 ? url : url.slice(0, queryAt), query: queryAt === -1 ? '' : url.slice(queryAt + 1), headers, body };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        reject(new DynamoDbError('ValidationException', 'replication: request too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
