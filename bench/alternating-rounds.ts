/**
 * One scenario measured on several Cairn servers that differ in one setting (capacity mode, encryption...), in
 * alternating rounds (A, B, C, then C, B, A...), so that what the shared machine does meanwhile falls on every
 * server alike. Besides throughput, each round takes the server's CPU time per completed request from /proc: it
 * moves far less than throughput when other work shares the machine, so the parts' targets are judged on it.
 */
import { readProcCpuMs } from './children.js';
import { runLoad, type LoadFigures } from './load.js';
import type { RunningServer } from './server-process.js';
import { median } from './stats.js';
import { probeScenario } from './setup.js';
import { bodyPoolShape, createRandom, scenarioBodies, scenarioOperation, SCENARIO_NAMES, type ScenarioName } from './wire.js';

export interface AlternatingOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly log: (message: string) => void;
}

/** A server's figures for one scenario: index i of both lists is round i. */
export interface ModeFigures<M extends string> {
  readonly mode: M;
  readonly rounds: readonly LoadFigures[];
  /** The server's CPU time per completed request in each round (microseconds; NaN when /proc is not readable). */
  readonly cpuMicrosPerRequest: readonly number[];
  /**
   * When the mode ran on several servers in several processes (mergeProcesses): each one's median CPU time per
   * request over the rounds, to show how far processes of one build and settings differ.
   */
  readonly processCpuMicros?: readonly number[];
}

/**
 * What one mode is measured on: a server, or several (`moreServers`: front ends of one store) that the load's
 * connections are spread over and whose CPU time is summed.
 */
export interface AlternatingEntry<M extends string> {
  readonly mode: M;
  readonly server: RunningServer;
  readonly moreServers?: readonly RunningServer[];
  /** false for a server that answers every request with a canned item (a bare baseline): it is not probed. */
  readonly probe?: boolean;
}

/**
 * Measures `scenario` on every entry (each server probed first, unless `probe: false`). `part` names the benchmark
 * part in the log, `seedOffset` keeps parts' request bodies apart. Returns a problem (the scenario's probe failed on
 * a server) instead of figures.
 */
export async function measureAlternating<M extends string>(
  part: string,
  servers: readonly AlternatingEntry<M>[],
  scenario: ScenarioName,
  options: AlternatingOptions,
  seed: number,
  seedOffset: number,
): Promise<readonly ModeFigures<M>[] | string> {
  const shape = bodyPoolShape(scenario);
  const bodies = scenarioBodies(scenario, shape.poolSize, createRandom(seed + seedOffset * (SCENARIO_NAMES.indexOf(scenario) + 1)));
  // Every server of an entry is probed: each must serve the tables another one created.
  const probes = await Promise.all(
    servers.flatMap((entry) =>
      entry.probe === false
        ? []
        : serversOf(entry).map(async (server) => {
            const problem = await probeScenario(server.url, scenario, bodies[0] ?? '');
            return problem === undefined ? undefined : `${scenario} on ${entry.mode}: ${problem}`;
          }),
    ),
  );
  const problem = probes.find((probe) => probe !== undefined);
  if (problem !== undefined) return problem;
  const load = (entry: AlternatingEntry<M>, seconds: number, round: number) =>
    runLoad({
      url: entry.server.url,
      moreUrls: (entry.moreServers ?? []).map((server) => server.url),
      operation: scenarioOperation(scenario),
      bodies,
      connections: options.connections,
      durationSeconds: seconds,
      sequenceLength: shape.sequenceLength,
      random: createRandom(seed + round),
    });
  if (options.warmupSeconds > 0) {
    for (const entry of servers) {
      options.log(`${part} ${scenario}: warm-up ${entry.mode}`);
      await load(entry, options.warmupSeconds, -1);
    }
  }
  const figures = servers.map(({ mode }) => ({ mode, rounds: [] as LoadFigures[], cpuMicrosPerRequest: [] as number[] }));
  for (let round = 0; round < options.rounds; round++) {
    const order = servers.map((entry, index) => ({ entry, index }));
    if (round % 2 === 1) order.reverse();
    for (const { entry, index } of order) {
      const mode = entry.mode;
      const cpuBefore = totalCpuMs(serversOf(entry));
      const measured = await load(entry, options.durationSeconds, round);
      const cpuAfter = totalCpuMs(serversOf(entry));
      const figure = figures[index] as (typeof figures)[number];
      figure.rounds.push(measured);
      figure.cpuMicrosPerRequest.push(
        cpuBefore === undefined || cpuAfter === undefined || measured.completed === 0 ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / measured.completed,
      );
      const failed = measured.non2xx + measured.errors;
      options.log(
        `${part} ${scenario} round ${round + 1}/${options.rounds} ${mode}: ${Math.round(measured.requestsPerSecond)} req/s, ` +
          `p50 ${measured.p50Ms.toFixed(2)} ms, p99 ${measured.p99Ms.toFixed(2)} ms${failed > 0 ? `, ${failed} failed` : ''}`,
      );
    }
  }
  return figures;
}

function serversOf(entry: AlternatingEntry<string>): readonly RunningServer[] {
  return [entry.server, ...(entry.moreServers ?? [])];
}

/** The servers' CPU time summed (ms), or undefined when /proc cannot tell one of them. */
function totalCpuMs(servers: readonly RunningServer[]): number | undefined {
  let total = 0;
  for (const server of servers) {
    const cpu = readProcCpuMs(server.child.pid);
    if (cpu === undefined) return undefined;
    total += cpu;
  }
  return total;
}

/**
 * measureAlternating for each scenario in turn; a scenario whose probe failed goes to `failures` instead. `servers`
 * may hold several servers of one mode (in several processes): their figures are merged into the mode's.
 */
export async function measureScenarios<M extends string, S extends ScenarioName>(
  part: string,
  servers: readonly { readonly mode: M; readonly server: RunningServer }[],
  scenarios: readonly S[],
  options: AlternatingOptions,
  seed: number,
  seedOffset: number,
  failures: string[],
): Promise<{ scenario: S; modes: readonly ModeFigures<M>[] }[]> {
  const measuredScenarios: { scenario: S; modes: readonly ModeFigures<M>[] }[] = [];
  for (const scenario of scenarios) {
    const measured = await measureAlternating(part, servers, scenario, options, seed, seedOffset);
    if (typeof measured === 'string') failures.push(measured);
    else measuredScenarios.push({ scenario, modes: mergeProcesses(measured) });
  }
  return measuredScenarios;
}

/**
 * The measurement length of each server when a mode runs on `processes` of them, so that a mode's share of a round
 * stays near `durationSeconds` (at least 2 s each: a shorter measurement is mostly its own ramp-up).
 */
export function perProcessSeconds(durationSeconds: number, processes: number): number {
  return Math.max(2, Math.ceil(durationSeconds / Math.max(1, processes)));
}

/**
 * Merges the figures of the processes of one mode, round by round: the mode's throughput is the processes'
 * mean (each was measured for the same time), its CPU time per request their total over their requests, its
 * percentiles the processes' median, its counts their sums. Modes keep their first appearance's order.
 */
export function mergeProcesses<M extends string>(figures: readonly ModeFigures<M>[]): ModeFigures<M>[] {
  const byMode = new Map<M, ModeFigures<M>[]>();
  for (const figure of figures) {
    const list = byMode.get(figure.mode);
    if (list === undefined) byMode.set(figure.mode, [figure]);
    else list.push(figure);
  }
  const merged: ModeFigures<M>[] = [];
  for (const [mode, processes] of byMode) {
    if (processes.length === 1) {
      merged.push(processes[0] as ModeFigures<M>);
      continue;
    }
    const roundCount = Math.min(...processes.map((process) => process.rounds.length));
    const rounds: LoadFigures[] = [];
    const cpuMicrosPerRequest: number[] = [];
    for (let round = 0; round < roundCount; round++) {
      const parts = processes.map((process) => ({ load: process.rounds[round] as LoadFigures, cpu: process.cpuMicrosPerRequest[round] ?? Number.NaN }));
      const completed = parts.reduce((sum, part) => sum + part.load.completed, 0);
      const statusCodes: Record<string, number> = {};
      for (const { load } of parts) for (const [code, count] of Object.entries(load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
      rounds.push({
        requestsPerSecond: parts.reduce((sum, part) => sum + part.load.requestsPerSecond, 0) / parts.length,
        p50Ms: median(parts.map((part) => part.load.p50Ms)),
        p99Ms: median(parts.map((part) => part.load.p99Ms)),
        completed,
        errors: parts.reduce((sum, part) => sum + part.load.errors, 0),
        non2xx: parts.reduce((sum, part) => sum + part.load.non2xx, 0),
        statusCodes,
      });
      cpuMicrosPerRequest.push(completed === 0 ? Number.NaN : parts.reduce((sum, part) => sum + part.cpu * part.load.completed, 0) / completed);
    }
    merged.push({ mode, rounds, cpuMicrosPerRequest, processCpuMicros: processes.map((process) => median(process.cpuMicrosPerRequest.filter(Number.isFinite))) });
  }
  return merged;
}
