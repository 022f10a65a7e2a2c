/**
 * Cairn's replication endpoint: `POST /cairn/replication/<operation>` with a JSON body, through which the servers
 * of a global table's regions create replicas on each other, copy items and follow each other's streams
 * (src/engine/replication/peers.ts and peer-service.ts). Like Cairn's other endpoints it serves loopback clients
 * only. Answers: 200 with the operation's JSON result; 409 when the table to create exists; 400 for a request it
 * cannot carry out; 403 to a client off loopback; 405 for a method other than POST; all with `{"message": ...}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDbError } from '../errors.js';
import { servePeer } from '../engine/replication/peer-service.js';
import { REPLICATION_PATH } from '../engine/replication/peers.js';
import type { Engine } from '../engine/engine.js';
import { answer, pathOf } from './endpoint-io.js';
import type { Logger } from './logger.js';
import { isLoopback } from './loopback.js';

/** The largest body accepted: a copy batch of 256 items of up to 400 KB each, with room. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

export function isReplicationRequest(url: string | undefined): boolean {
  return url !== undefined && pathOf(url).startsWith(REPLICATION_PATH);
}

export function createReplicationEndpoint(engine: Engine, logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  const context = {
    storage: engine.storage,
    catalog: engine.catalog,
    capacity: engine.capacity,
    itemCollectionLimitBytes: engine.itemCollectionLimitBytes,
    shardLimits: engine.shardLimits,
    region: engine.options.defaultRegion,
    peerPositions: engine.peerReadPositions,
    get localSource() {
      return engine.localReplicationSource;
    },
  };
  const reply = (res: ServerResponse, status: number, body: unknown): void => answer(res, status, 'application/json', JSON.stringify(body));
  return (req, res) => {
    const operation = pathOf(req.url ?? '').slice(REPLICATION_PATH.length);
    if (!isLoopback(req.socket.remoteAddress)) {
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
      .then(async (text) => {
        const body: unknown = JSON.parse(text);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DynamoDbError('ValidationException', 'replication: expected a JSON object');
        reply(res, 200, await servePeer(context, operation, body as Record<string, unknown>));
      })
      .catch((error: unknown) => {
        if (error instanceof DynamoDbError) reply(res, error.type === 'ResourceInUseException' ? 409 : 400, { message: error.message });
        else if (error instanceof SyntaxError) reply(res, 400, { message: `replication: ${error.message}` });
        else {
          logger.error('replication request failed', error);
          reply(res, 500, { message: 'internal error' });
        }
      });
  };
}

function readBody(req: IncomingMessage): Promise<string> {
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
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
