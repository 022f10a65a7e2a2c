/**
 * Launching one peer as a child process on a fresh loopback port and a fresh data directory, and timing how long
 * it takes to answer its first request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, readProcStatusKb, registerTempDirectory, spawnChild, type ChildHandle } from './children.js';
import { waitUntilAnswering } from './http-call.js';
import type { Peer } from './peers.js';

export interface RunningServer {
  readonly peer: Peer;
  readonly url: string;
  readonly child: ChildHandle;
  /** From spawn to the first 200 answer to ListTables. */
  readonly startupMs: number;
  /** VmRSS right after the first answer (KiB), if /proc is readable. */
  readonly idleRssKb: number | undefined;
  /** Stops the child and deletes its data directory. */
  stop(): Promise<void>;
}

export async function launchServer(peer: Peer): Promise<RunningServer> {
  const dataDirectory = mkdtempSync(join(tmpdir(), `cairn-bench-${peer.name}-`));
  registerTempDirectory(dataDirectory);
  const port = await freePort();
  const launch = peer.launch(port, dataDirectory);
  const startedAt = performance.now();
  const child = spawnChild(peer.name, launch.command, launch.args);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await child.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  try {
    const startupMs = await waitUntilAnswering(url, startedAt, {
      timeoutMs: peer.startupTimeoutMs,
      isDead: () => (child.hasExited() ? child.exitDescription() : undefined),
    });
    const idleRssKb = readProcStatusKb(child.pid, 'VmRSS');
    return { peer, url, child, startupMs, idleRssKb, stop };
  } catch (error) {
    const output = child.output().trim();
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${peer.label}: ${message}${output ? `; its output ended with: ${output.slice(-500)}` : ''}`);
  }
}

/** `runs` cold starts, one after another (each on an empty data directory), stopped right after answering. */
export async function measureStartup(peer: Peer, runs: number): Promise<{ startupMs: number[]; idleRssKb: number[] }> {
  const startupMs: number[] = [];
  const idleRssKb: number[] = [];
  for (let run = 0; run < runs; run++) {
    const server = await launchServer(peer);
    startupMs.push(server.startupMs);
    if (server.idleRssKb !== undefined) idleRssKb.push(server.idleRssKb);
    await server.stop();
  }
  return { startupMs, idleRssKb };
}
