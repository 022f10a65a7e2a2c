/**
 * One measurement: autocannon (keep-alive, a fixed number of connections, a fixed duration) replaying a table of
 * pre-built request bodies. Each connection gets its own random window of the table, encoded once when the
 * connection is set up, so the generator spends its CPU on sending, not on building requests, and the 64
 * connections do not walk the same keys in lockstep.
 */
import autocannon from 'autocannon';
import { LatencyRecorder } from './latency-recorder.js';
import { awsHeaders, randomIndex } from './wire.js';

/** One recorder for the whole process: measurements run one at a time. */
const recorder = new LatencyRecorder();

export interface LoadOptions {
  readonly url: string;
  /**
   * More servers to spread the load over besides `url` (front ends of one database): the connections are divided
   * among them as evenly as they go, all measured together, one set of figures for the lot.
   */
  readonly moreUrls?: readonly string[];
  readonly operation: string;
  /** The pre-built request bodies (random keys). */
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** How many bodies each connection loops over. */
  readonly sequenceLength: number;
  readonly random: () => number;
  /**
   * Instead of random windows: this run's slot. Connection k of the run replays window `slot * connections + k`
   * of the bodies (windows of sequenceLength, in order), so that no two connections and no two runs with distinct
   * slots share a body (DeleteItem: each body deletes its own item once).
   */
  readonly disjointWindow?: number;
}

export interface LoadFigures {
  readonly requestsPerSecond: number;
  /** Latency percentiles of the successful (2xx) responses, in milliseconds (fractional). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly completed: number;
  /** Connection errors and timeouts: the server did not answer. */
  readonly errors: number;
  /** Answers that were not 2xx: the server answered, but the scenario did not do its work. */
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  if (options.bodies.length === 0) throw new Error('runLoad needs at least one request body');
  const headers = awsHeaders(options.operation);
  let nextWindow = 0;
  const windowStart = (): number =>
    options.disjointWindow === undefined
      ? randomIndex(options.random, options.bodies.length)
      : ((options.disjointWindow * options.connections + nextWindow++) * options.sequenceLength) % options.bodies.length;
  const windowFor = (start = windowStart()): autocannon.Request[] => {
    const sequence: autocannon.Request[] = [];
    for (let i = 0; i < options.sequenceLength; i++) {
      const body = options.bodies[(start + i) % options.bodies.length] ?? '';
      sequence.push({ method: 'POST', path: '/', headers, body });
    }
    return sequence;
  };
  recorder.reset();
  const urls = [options.url, ...(options.moreUrls ?? [])];
  const instances = urls.map((url, index) => {
    const connections = Math.floor(options.connections / urls.length) + (index < options.connections % urls.length ? 1 : 0);
    const instance = autocannon({
      url,
      connections: Math.max(1, connections),
      duration: options.durationSeconds,
      timeout: 10,
      pipelining: 1,
      // The instance's own first request (each connection then takes its window): not one of the disjoint windows.
      requests: windowFor(options.disjointWindow === undefined ? undefined : 0).slice(0, 1),
      setupClient: (client) => client.setRequests(windowFor()),
    });
    // Like autocannon's own latency figures, only successful answers count: an error answered in 0.1 ms says
    // nothing about how fast the server does the work.
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) recorder.record(responseTimeMs);
    });
    return instance;
  });
  const results = await Promise.all(instances);
  const [p50Ms = Number.NaN, p99Ms = Number.NaN] = recorder.percentiles([0.5, 0.99]);
  const statusCodes: Record<string, number> = {};
  let total = 0;
  let errors = 0;
  let non2xx = 0;
  let duration = 0;
  for (const result of results) {
    for (const [code, stats] of Object.entries(result.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + stats.count;
    total += result.requests.total;
    errors += result.errors;
    non2xx += result.non2xx;
    // The instances run side by side for the same duration: the rate is the total over the longest of them.
    duration = Math.max(duration, result.duration);
  }
  return {
    requestsPerSecond: duration > 0 ? total / duration : 0,
    p50Ms,
    p99Ms,
    completed: total,
    errors,
    non2xx,
    statusCodes,
  };
}
