/**
 * Cairn's own HTTP endpoints, on the server's port beside DynamoDB's API (which is POST `/` only, so these paths
 * can never collide with it), answered before DynamoDB's dispatch and only to loopback clients, whatever address
 * the server listens on:
 *   GET  /metrics                              Prometheus text format (src/observe/metrics.ts); this process's
 *                                              own, also with several processes on one storage
 *   GET  /cairn/tables/<name>/partitions       the capacity model's partitions of a table and its GSIs (JSON);
 *                                              `?region=` (default: the server's region); with several
 *                                              processes, every process's units (src/capacity/capacity-ledger.ts)
 *   GET  /cairn/report                         the access-pattern report: text, or JSON with `?format=json`;
 *                                              `?since=` (ISO date or milliseconds of capacity time); with
 *                                              several processes on one storage, every process's requests
 *                                              (fleet-slices.ts)
 *   POST /cairn/report/reset                   starts a new recorded interval
 *   /cairn/triggers...                         the triggers' admin endpoint (src/triggers/admin-endpoint.ts)
 * Errors answer `{"message": "..."}` with 400, 403, 404 or 405.
 */
import { answer, drain, pathOf } from './endpoint-io.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessReport } from '../observe/access-report.js';
import type { Observability } from '../observe/observability.js';
import { partitionsView } from '../observe/partitions-view.js';
import { reportText } from '../observe/report-text.js';
import type { Logger } from './logger.js';
import { isLoopback } from './loopback.js';

const METRICS_PATH = '/metrics';
const CAIRN_PREFIX = '/cairn/';
const PARTITIONS_PATH = /^\/cairn\/tables\/([^/]+)\/partitions$/;

/** Whether a request is for one of Cairn's own endpoints rather than DynamoDB's API. */
export function isCairnRequest(url: string | undefined): boolean {
  if (url === undefined) return false;
  const path = pathOf(url);
  return path === METRICS_PATH || path === '/cairn' || path.startsWith(CAIRN_PREFIX);
}


class EndpointError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly allow?: string,
  ) {
    super(message);
  }
}

export type EndpointHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The handler of every Cairn endpoint but the triggers' (which the server routes to their own handler). */
export function createCairnEndpoints(observability: Observability, logger: Logger): EndpointHandler {
  return (req, res) => {
    handle(req, res, observability).catch((error: unknown) => {
      if (error instanceof EndpointError) {
        if (error.allow !== undefined) res.setHeader('Allow', error.allow);
        answer(res, error.status, 'application/json', JSON.stringify({ message: error.message }));
        return;
      }
      logger.error('endpoint request failed', error);
      answer(res, 500, 'application/json', JSON.stringify({ message: 'internal error' }));
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, observability: Observability): Promise<void> {
  await drain(req);
  if (!isLoopback(req.socket.remoteAddress)) throw new EndpointError(403, 'Cairn endpoints serve loopback clients only');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const engine = observability.engine;

  if (path === METRICS_PATH) {
    if (method !== 'GET') throw new EndpointError(405, `${method} is not allowed here`, 'GET');
    observability.flush();
    const { contentType, text } = await observability.metrics.scrape();
    answer(res, 200, contentType, text);
    return;
  }
  const partitions = PARTITIONS_PATH.exec(path);
  if (partitions !== null) {
    if (method !== 'GET') throw new EndpointError(405, `${method} is not allowed here`, 'GET');
    const name = decode(partitions[1] as string);
    const region = url.searchParams.get('region') ?? engine.options.defaultRegion;
    const accountId = url.searchParams.get('account') ?? engine.options.accountId;
    const table = engine.catalog.getTable({ accountId, region }, name);
    if (table === undefined) throw new EndpointError(404, `table ${name} not found in ${region}${accountId === engine.options.accountId ? '' : ` of account ${accountId}`}`);
    // Requests answered so far may carry their capacity charges in their records (account mode).
    observability.flush();
    answer(res, 200, 'application/json', JSON.stringify(partitionsView(engine.capacity, table)));
    return;
  }
  if (path === '/cairn/report') {
    if (method !== 'GET') throw new EndpointError(405, `${method} is not allowed here`, 'GET');
    const format = url.searchParams.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new EndpointError(400, `unknown format ${format} (text or json)`);
    const sinceText = url.searchParams.get('since');
    const since = sinceText === null ? undefined : parseSince(sinceText);
    observability.flush();
    const others = await observability.fleet?.others();
    const report = accessReport(observability.recorder, engine.catalog, {
      ...(others !== undefined ? { others } : {}),
      now: engine.capacity.clock.now(),
      ...(since !== undefined ? { since } : {}),
      prices: observability.prices,
      mode: engine.capacity.mode,
    });
    if (format === 'json') answer(res, 200, 'application/json', JSON.stringify(report));
    else answer(res, 200, 'text/plain; charset=utf-8', reportText(report));
    return;
  }
  if (path === '/cairn/report/reset') {
    if (method !== 'POST') throw new EndpointError(405, `${method} is not allowed here`, 'POST');
    // Requests answered before the reset belong to the interval it ends.
    observability.flush();
    observability.recorder.reset();
    answer(res, 200, 'application/json', JSON.stringify({ Since: new Date(observability.recorder.startedAt).toISOString() }));
    return;
  }
  throw new EndpointError(404, `no endpoint at ${path}`);
}

/** `?since=`: an ISO date, or milliseconds of capacity time. */
function parseSince(text: string): number {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  if (!Number.isFinite(value)) throw new EndpointError(400, `since must be an ISO date or milliseconds, got ${text}`);
  return value;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new EndpointError(404, `no endpoint at /cairn/tables/${segment}/partitions`);
  }
}


