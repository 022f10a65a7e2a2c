/**
 * The slice of autocannon's programmatic API the benchmark uses. autocannon ships no TypeScript types, so they
 * are declared here (shapes checked against its README and lib/run.js): only what we call, nothing speculative.
 */
declare module 'autocannon' {
  namespace autocannon {
    /** One request of the sequence a connection loops over. */
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    /** One connection of the load generator. */
    interface Client {
      /** Replaces the sequence this connection loops over (encoded once, so no per-request cost). */
      setRequests(requests: Request[]): void;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Total requests; takes precedence over duration. */
      amount?: number;
      /** Seconds before a request counts as a timeout. */
      timeout?: number;
      pipelining?: number;
      title?: string;
      requests?: Request[];
      setupClient?: (client: Client) => void;
    }

    /** hdr-histogram-percentiles-obj: latency in milliseconds, requests and throughput per second. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
      p99_9: number;
      total?: number;
      sent?: number;
    }

    interface Result {
      title?: string;
      url: string;
      connections: number;
      /** Seconds actually measured. */
      duration: number;
      latency: Histogram;
      requests: Histogram & { total: number; sent: number };
      throughput: Histogram;
      errors: number;
      timeouts: number;
      mismatches: number;
      non2xx: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    /** An EventEmitter that is also a promise of the result when no callback is given. */
    interface Instance extends PromiseLike<Result> {
      /** Every completed response; `responseTimeMs` is fractional (from process.hrtime). */
      on(
        event: 'response',
        listener: (client: Client, statusCode: number, responseBytes: number, responseTimeMs: number) => void,
      ): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;

  export = autocannon;
}
