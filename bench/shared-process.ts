/**
 * Servers that differ in one setting, served from one process (bench/settings-host.ts explains why): the parts
 * that judge what a setting costs (capacity, encryption) measure them so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, registerTempDirectory, spawnChild } from './children.js';
import { waitUntilAnswering } from './http-call.js';
import type { Peer } from './peers.js';
import type { RunningServer } from './server-process.js';
import type { HostedServer } from './settings-host.js';

/** How many such processes a part measures in: processes still differ, and a mode's figure sums over them. */
export const SHARED_PROCESSES = 2;

/** A server of the host: its mode (as the part names it) and its settings. */
export interface SharedServer<M extends string> {
  readonly mode: M;
  readonly settings: Omit<HostedServer, 'name' | 'port'>;
}

/**
 * Starts one process serving `servers` (in that order), and returns each as a RunningServer whose stop() stops the
 * whole process. Its CPU time is the process's: measure one server at a time. `cairn` gives the labels and the
 * start-up timeout.
 */
async function launchSharedProcess<M extends string>(cairn: Peer, servers: readonly SharedServer<M>[]): Promise<{ mode: M; server: RunningServer }[]> {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'cairn-bench-shared-'));
  registerTempDirectory(dataDirectory);
  const hosted: HostedServer[] = [];
  for (const { mode, settings } of servers) hosted.push({ ...settings, name: mode, port: await freePort() });
  const host = fileURLToPath(new URL('./settings-host.js', import.meta.url));
  const startedAt = performance.now();
  const child = spawnChild('cairn-shared', process.execPath, [host, dataDirectory, JSON.stringify(hosted)]);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= child.stop().then(() => rmSync(dataDirectory, { recursive: true, force: true })));
  try {
    const running: { mode: M; server: RunningServer }[] = [];
    for (const [index, { mode }] of servers.entries()) {
      const url = `http://127.0.0.1:${String(hosted[index]?.port)}`;
      const startupMs = await waitUntilAnswering(url, startedAt, {
        timeoutMs: cairn.startupTimeoutMs,
        isDead: () => (child.hasExited() ? child.exitDescription() : undefined),
      });
      running.push({ mode, server: { peer: { ...cairn, label: `Cairn (${mode})` }, url, child, startupMs, idleRssKb: undefined, stop } });
    }
    return running;
  } catch (error) {
    const output = child.output().trim();
    await stop();
    throw new Error(`Cairn servers sharing a process: ${error instanceof Error ? error.message : String(error)}${output ? `; its output ended with: ${output.slice(-500)}` : ''}`);
  }
}

/**
 * Starts SHARED_PROCESSES processes, each serving one server per mode (settings from `settingsOf`), and prepares
 * every server (its table, its items). The modes' order rotates from one process to the next (A B C, then B C A...),
 * so that each mode is measured early and late in a round. Every started server goes into `started` before it is
 * prepared, so the caller stops them all also when a later step fails.
 */
export async function startSharedProcesses<M extends string>(
  part: string,
  cairn: Peer,
  modes: readonly M[],
  settingsOf: (mode: M) => SharedServer<M>['settings'],
  prepare: (server: RunningServer) => Promise<void>,
  started: { mode: M; server: RunningServer }[],
  log: (message: string) => void,
): Promise<void> {
  for (let host = 0; host < SHARED_PROCESSES; host++) {
    log(`${part}: starting process ${host + 1} of ${SHARED_PROCESSES}, one Cairn per mode (${modes.join(', ')})`);
    const order = modes.map((_, place) => modes[(place + host) % modes.length] as M);
    const hosted = await launchSharedProcess(cairn, order.map((mode) => ({ mode, settings: settingsOf(mode) })));
    started.push(...hosted);
    for (const { server } of hosted) await prepare(server);
  }
}
