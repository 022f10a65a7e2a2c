/**
 * The admin endpoint for triggers, on the server's own port under a path DynamoDB never uses (its API is POST `/`):
 *   GET    /cairn/triggers          -> 200 {"Triggers": [description, ...]}
 *   GET    /cairn/triggers/<id>     -> 200 description | 404
 *   POST   /cairn/triggers          -> 201 description (body: the trigger's settings; 409 if the id exists)
 *   PUT    /cairn/triggers/<id>     -> 201 created | 200 replaced (body: the settings; the Id may be left out)
 *   DELETE /cairn/triggers/<id>     -> 200 description of the removed trigger | 404
 * A description is the trigger's settings plus Source ("config" or "api"), State, StateTransitionReason,
 * EventSourceArn, LastProcessingResult, NextSequenceNumber and Statistics. Errors answer
 * `{"message": "..."}` with 400 (bad settings), 403, 404, 405, 409 (a configured trigger, or an existing id) or 413.
 * Only loopback clients are served, whatever address the server listens on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../http/logger.js';
import { isLoopback } from '../http/loopback.js';
import { ADMIN_PREFIX } from './admin-path.js';
import { answer as answerText, drain, pathOf } from '../http/endpoint-io.js';
import { TriggerRequestError, type TriggerService } from './trigger-service.js';

const MAX_BODY_BYTES = 1024 * 1024;

export type AdminHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createAdminHandler(service: () => TriggerService | undefined, logger: Logger): AdminHandler {
  return (req, res) => {
    handle(req, res, service()).catch((error: unknown) => {
      if (error instanceof TriggerRequestError) {
        answer(res, error.status, { message: error.message });
        return;
      }
      logger.error('admin request failed', error);
      answer(res, 500, { message: 'internal error' });
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, service: TriggerService | undefined): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) throw new TriggerRequestError(403, 'the admin endpoint serves loopback clients only');
  if (service === undefined) throw new TriggerRequestError(503, 'triggers are not running');
  const rest = pathOf(req.url ?? '').slice(ADMIN_PREFIX.length);
  let id: string | undefined;
  if (rest !== '' && rest !== '/') {
    try {
      id = decodeURIComponent(rest.slice(1));
    } catch {
      throw new TriggerRequestError(404, 'no such trigger');
    }
    if (id.includes('/')) throw new TriggerRequestError(404, 'no such trigger');
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' && id === undefined) {
    await drain(req);
    answer(res, 200, { Triggers: service.list() });
  } else if (method === 'GET') {
    await drain(req);
    const description = service.describe(id as string);
    if (description === undefined) throw new TriggerRequestError(404, `trigger ${id} not found`);
    answer(res, 200, description);
  } else if (method === 'POST' && id === undefined) {
    const { description } = await service.create(await readJson(req));
    answer(res, 201, description);
  } else if (method === 'PUT' && id !== undefined) {
    const { description, created } = await service.create(await readJson(req), id);
    answer(res, created ? 201 : 200, description);
  } else if (method === 'DELETE' && id !== undefined) {
    await drain(req);
    answer(res, 200, await service.remove(id));
  } else {
    await drain(req);
    res.setHeader('Allow', id === undefined ? 'GET, POST' : 'GET, PUT, DELETE');
    throw new TriggerRequestError(405, `${method} is not allowed here`);
  }
}

/** A JSON answer (every answer of this endpoint is one). */
function answer(res: ServerResponse, status: number, body: unknown): void {
  answerText(res, status, 'application/json', JSON.stringify(body));
}


function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) refused = true;
      else chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (refused) {
        reject(new TriggerRequestError(413, `the body exceeds ${MAX_BODY_BYTES} bytes`));
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new TriggerRequestError(400, 'the body is not JSON'));
      }
    });
  });
}
