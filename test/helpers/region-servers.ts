/**
 * Cairn servers of one region each, in this process, each with the others as its peers (global tables across
 * servers), on loopback ports chosen before they start so that each can name the others.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server.js';
import { freePort } from './free-port.js';

export interface RegionServer {
  readonly region: string;
  readonly port: number;
  readonly options: ServerOptions;
  server: RunningServer;
  client: DynamoDBClient;
}


const clients: DynamoDBClient[] = [];

function clientOf(server: RunningServer, region: string): DynamoDBClient {
  const client = new DynamoDBClient({ region, endpoint: server.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, maxAttempts: 1 });
  clients.push(client);
  return client;
}

/** Starts in-memory servers of `regions`, each with the others as its peers; `options` go to every one. */
export async function startRegionServers(regions: readonly string[], options: ServerOptions = {}): Promise<RegionServer[]> {
  const ports = await Promise.all(regions.map(() => freePort()));
  const servers: RegionServer[] = [];
  for (const [position, region] of regions.entries()) {
    const peers = Object.fromEntries(regions.flatMap((other, index) => (other === region ? [] : [[other, `http://127.0.0.1:${ports[index] as number}`]])));
    const serverOptions: ServerOptions = {
      host: '127.0.0.1',
      port: ports[position] as number,
      inMemory: true,
      logLevel: 'silent',
      regionName: region,
      peers,
      replicationIntervalMs: 20,
      ...options,
    };
    const server = await startServer(serverOptions);
    servers.push({ region, port: serverOptions.port as number, options: serverOptions, server, client: clientOf(server, region) });
  }
  return servers;
}

/** Starts a stopped server again, on its port, with its options (in memory: it comes back empty). */
export async function restartRegionServer(server: RegionServer): Promise<void> {
  server.server = await startServer(server.options);
  server.client = clientOf(server.server, server.region);
}

/** Closes the clients and the servers still running. */
export async function stopRegionServers(servers: readonly RegionServer[]): Promise<void> {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.map((server) => server.server.close()));
}
