/**
 * One process serving one Cairn server per capacity mode, each on its own loopback port with its own engine and data
 * directory (bench/capacity-cost.ts). Usage: `node dist/bench/modes-host.js <dataDirectory> <mode>=<port>...`;
 * prints `ready` once every server listens, and closes them all on SIGTERM or SIGINT.
 *
 * Why one process: two Cairn processes of the same build and settings differ by up to 10% in CPU time per
 * request for their whole life (code placement, hash seeds, the optimiser's choices), more than the 5% the
 * capacity model may cost, so modes in separate processes compare processes as much as modes. Servers sharing a
 * process share its luck, and its code: what differs between them is the mode alone.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CAPACITY_MODES, type CapacityMode } from '../src/capacity/capacity-tracker.js';
import { startServer, type RunningServer as CairnServer } from '../src/server.js';

async function main(argv: readonly string[]): Promise<void> {
  const [dataDirectory, ...assignments] = argv;
  if (dataDirectory === undefined || assignments.length === 0) throw new Error('usage: modes-host <dataDirectory> <mode>=<port>...');
  const servers: CairnServer[] = [];
  const close = async (): Promise<void> => {
    for (const server of servers) await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void close());
  process.on('SIGINT', () => void close());
  for (const assignment of assignments) {
    const [mode, port] = assignment.split('=');
    if (!CAPACITY_MODES.includes(mode as CapacityMode) || !/^\d+$/.test(port ?? '')) throw new Error(`not <mode>=<port>: ${assignment}`);
    const dataDir = join(dataDirectory, mode as string);
    mkdirSync(dataDir, { recursive: true });
    // The settings `npm start` serves with, but the mode.
    servers.push(await startServer({ host: '127.0.0.1', port: Number(port), dataDir, logLevel: 'info', capacity: { mode: mode as CapacityMode, timeScale: 1 } }));
  }
  process.stdout.write('ready\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`modes-host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
