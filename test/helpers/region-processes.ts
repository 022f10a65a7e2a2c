/**
 * Cairn servers of one region each (`--region-name`), every one knowing the others as `peers`, run as processes
 * (the CLI) so that a test can kill one (-9) and start it again on the same port and data directory; the
 * in-process kind is region-servers.ts.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawnCairn, type CairnProcess } from './cairn-process.js';
import { freePort } from './free-port.js';

export interface RegionProcess {
  readonly region: string;
  readonly port: number;
  readonly args: readonly string[];
  process: CairnProcess;
  /** An SDK client of the server (no retries), signing for its region. */
  client: DynamoDBClient;
}

function clientOf(url: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint: url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
}

/** A region's server-to-be: its port (free now), its directory, and a configuration file naming its peers. */
export interface RegionPlace {
  readonly region: string;
  readonly port: number;
  readonly dir: string;
  readonly configFile: string;
}

/** Picks a port for each of `regions` and writes, in a directory of its own under `root`, the others as its peers. */
export async function regionPlaces(root: string, regions: readonly string[]): Promise<RegionPlace[]> {
  const ports = await Promise.all(regions.map(() => freePort()));
  const places: RegionPlace[] = [];
  for (const [position, region] of regions.entries()) {
    const peers = Object.fromEntries(
      regions.flatMap((other, index) => (other === region ? [] : [[other, `http://127.0.0.1:${ports[index] as number}`]])),
    );
    const dir = await mkdtemp(join(root, `${region}-`));
    const configFile = join(dir, 'cairn.config.json');
    await writeFile(configFile, JSON.stringify({ peers }));
    places.push({ region, port: ports[position] as number, dir, configFile });
  }
  return places;
}

/**
 * Starts a server for each of `regions` under `root`, each with the others as its peers; every process started
 * (restarts included) is pushed to `running`, which the caller kills after its tests (killedAfterTests).
 */
export async function startRegionProcesses(root: string, regions: readonly string[], running: CairnProcess[]): Promise<RegionProcess[]> {
  const servers: RegionProcess[] = [];
  for (const { region, port, dir, configFile } of await regionPlaces(root, regions)) {
    const args = ['--port', String(port), '--data', join(dir, 'data'), '--region-name', region, '--config', configFile, '--replication-interval-ms', '20'];
    const process = await spawnCairn(args);
    running.push(process);
    servers.push({ region, port, args, process, client: clientOf(process.url, region) });
  }
  return servers;
}

/** Kills the server's process (-9) and waits until it is gone. */
export async function killServer(server: RegionProcess): Promise<void> {
  server.process.child.kill('SIGKILL');
  await server.process.exited;
  server.client.destroy();
}

/** Starts the server again, on its port and data directory. */
export async function restartServer(server: RegionProcess, running: CairnProcess[]): Promise<void> {
  server.process = await spawnCairn(server.args);
  running.push(server.process);
  server.client = clientOf(server.process.url, server.region);
}
