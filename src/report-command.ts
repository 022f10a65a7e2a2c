/**
 * `cairn report`: the access-pattern report of a running Cairn, fetched over HTTP from its `/cairn/report`
 * endpoint (which serves loopback clients only, so this runs on the server's machine).
 *
 *   cairn report [--endpoint URL] [--json] [--since WHEN] [--reset]
 */
import { parseArgs } from 'node:util';

export const REPORT_USAGE = `Usage: cairn report [options]

Prints the access-pattern report of a running Cairn: per table and index, each access pattern with its count,
consumed units, latency, filter waste, hot keys, GSI write amplification, throttles and cost.

Options:
  --endpoint URL  the server (default http://127.0.0.1:8000)
  --json          the report as JSON instead of text
  --since WHEN    only what was recorded since WHEN (an ISO date, or milliseconds of capacity time)
  --reset         start a new recorded interval (after printing the report, if one is asked for)
  --help          show this help
`;

export async function runReport(args: readonly string[], out: (text: string) => void): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        endpoint: { type: 'string' },
        json: { type: 'boolean' },
        since: { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`cairn report: ${error instanceof Error ? error.message : String(error)}\n\n${REPORT_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    out(REPORT_USAGE);
    return 0;
  }
  const endpoint = (values.endpoint ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');
  const query = new URLSearchParams();
  if (values.json === true) query.set('format', 'json');
  if (values.since !== undefined) query.set('since', values.since);
  try {
    const search = query.toString();
    const response = await fetch(`${endpoint}/cairn/report${search === '' ? '' : `?${search}`}`);
    const text = await response.text();
    if (response.status !== 200) {
      process.stderr.write(`cairn report: ${endpoint} answered ${response.status}: ${text}\n`);
      return 1;
    }
    out(values.json === true ? `${text}\n` : text);
    if (values.reset === true) {
      const reset = await fetch(`${endpoint}/cairn/report/reset`, { method: 'POST' });
      await reset.text();
      if (reset.status !== 200) {
        process.stderr.write(`cairn report: resetting answered ${reset.status}\n`);
        return 1;
      }
    }
    return 0;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`cairn report: cannot reach ${endpoint}: ${cause}\n`);
    return 1;
  }
}
