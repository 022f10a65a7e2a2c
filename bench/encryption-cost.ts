/**
 * The cost of encryption at rest: GetItem and PutItem of the same ~1 KB items on Cairn servers (durable, sharing a
 * process: bench/settings-host.ts), one without a key and one with `--encryption-key-file`, measured in
 * alternating rounds (plain, encrypted, then encrypted, plain...), the encrypted server reported as a ratio of
 * the plain one in the same round (target:
 * within 15%). As in the capacity part, the server's CPU time per request is measured in each round (from /proc),
 * the steadier figure on a shared machine.
 *
 * GetItem reads items merged into LMDB (the preload is merged within a second, long before the first round), so
 * every read opens a sealed value; PutItem seals its log record at once and its value when the next merge runs.
 */
import { measureScenarios, perProcessSeconds, type ModeFigures, type AlternatingOptions } from './alternating-rounds.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Peer } from './peers.js';
import type { RunningServer } from './server-process.js';
import { SHARED_PROCESSES, startSharedProcesses } from './shared-process.js';
import { createBenchTable, preloadItems } from './setup.js';
import { median, pairedMedian } from './stats.js';
import type { ScenarioName } from './wire.js';

export type EncryptionMode = 'plain' | 'encrypted';

const MODES: readonly EncryptionMode[] = ['plain', 'encrypted'];

export const ENCRYPTION_SCENARIOS = ['GetItem', 'PutItem'] as const satisfies readonly ScenarioName[];

/** The encrypted server's throughput (and plain's CPU per request over its own) must be at least this. */
export const ENCRYPTION_COST_TARGET = 0.85;

export type EncryptionModeFigures = ModeFigures<EncryptionMode>;

export interface EncryptionScenarioFigures {
  readonly scenario: ScenarioName;
  readonly modes: readonly EncryptionModeFigures[];
}

export interface EncryptionCostResult {
  readonly settings: string;
  readonly scenarios: readonly EncryptionScenarioFigures[];
  readonly failures: readonly string[];
}

/** Connections, round length and count, warm-up and the progress log: the same for every part. */
export type EncryptionCostOptions = AlternatingOptions;

export async function measureEncryptionCost(cairn: Peer, options: EncryptionCostOptions, seed: number): Promise<EncryptionCostResult> {
  const failures: string[] = [];
  const servers: { mode: EncryptionMode; server: RunningServer }[] = [];
  const scenarios: EncryptionScenarioFigures[] = [];
  const keyDirectory = mkdtempSync(join(tmpdir(), 'cairn-bench-key-'));
  const seconds = perProcessSeconds(options.durationSeconds, SHARED_PROCESSES);
  try {
    const keyFile = join(keyDirectory, 'bench.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    await startSharedProcesses(
      'encryption',
      cairn,
      MODES,
      (mode) => (mode === 'plain' ? {} : { encryptionKeyFile: keyFile }),
      async (server) => {
        await createBenchTable(server.url);
        await preloadItems(server.url);
      },
      servers,
      options.log,
    );
    scenarios.push(...(await measureScenarios('encryption', servers, ENCRYPTION_SCENARIOS, { ...options, durationSeconds: seconds }, seed, 2000, failures)));
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const { server } of servers) await server.stop();
    rmSync(keyDirectory, { recursive: true, force: true });
  }
  return {
    settings:
      `${options.connections} keep-alive connections, ${SHARED_PROCESSES} processes each serving one Cairn (durable) without and ` +
      `one with a key (bench/settings-host.ts: servers in separate processes differ by up to 10%), each Cairn measured for ` +
      `${seconds} s in each of ${options.rounds} alternating round(s) after a ${options.warmupSeconds} s warm-up`,
    scenarios,
    failures,
  };
}

export function renderEncryptionCost(lines: string[], result: EncryptionCostResult): void {
  lines.push('## Encryption at rest cost (Cairn)', '');
  lines.push(
    `GetItem and PutItem on Cairn without a key and with \`--encryption-key-file\` (AES-256-GCM of every value and ` +
      `log record). ${result.settings}. "x plain" is the encrypted server's throughput over the plain one's, round by ` +
      `round; "x plain (CPU)" is plain's CPU time per request over the encrypted server's (1.00x: no extra CPU). ` +
      `Target: within 15% (>= 0.85x), judged on CPU as in the capacity part; throughput ratios are shown as measured.`,
    '',
  );
  lines.push('| Scenario | server | req/s | x plain | CPU/request | x plain (CPU) | p50 | p99 | failed requests | target |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const figures of result.scenarios) {
    const plain = figures.modes.find((mode) => mode.mode === 'plain');
    for (const mode of figures.modes) {
      const isPlain = mode.mode === 'plain';
      const ratio = pairedMedian(mode.rounds.map((round) => round.requestsPerSecond), plain?.rounds.map((round) => round.requestsPerSecond) ?? []);
      const cpuRatio = pairedMedian(plain?.cpuMicrosPerRequest ?? [], mode.cpuMicrosPerRequest);
      const failed = mode.rounds.reduce((sum, round) => sum + round.non2xx + round.errors, 0);
      const cpu = median(mode.cpuMicrosPerRequest.filter(Number.isFinite));
      const target = isPlain ? '' : `>= ${ENCRYPTION_COST_TARGET.toFixed(2)}x: ${cpuRatio >= ENCRYPTION_COST_TARGET && failed === 0 ? 'met' : 'not met'}`;
      lines.push(
        `| ${figures.scenario} | ${mode.mode} | ${Math.round(median(mode.rounds.map((round) => round.requestsPerSecond)))} | ` +
          `${isPlain ? '1.00x' : `${ratio.toFixed(2)}x`} | ${Number.isFinite(cpu) ? `${cpu.toFixed(1)} µs` : 'n/a'} | ` +
          `${isPlain ? '1.00x' : `${cpuRatio.toFixed(2)}x`} | ${median(mode.rounds.map((round) => round.p50Ms)).toFixed(2)} ms | ` +
          `${median(mode.rounds.map((round) => round.p99Ms)).toFixed(2)} ms | ${failed} | ${target} |`,
      );
    }
  }
  lines.push('');
  for (const failure of result.failures) lines.push(`- not measured: ${failure.replace(/\|/g, '\\|')}`);
  if (result.failures.length > 0) lines.push('');
}
