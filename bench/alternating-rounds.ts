/**
 * One scenario measured on several Cairn servers that differ in one setting (capacity mode, encryption...), in
 * alternating rounds (A, B, C, then C, B, A...), so that what the shared machine does meanwhile falls on every
 * server alike. Besides throughput, each round takes the server's CPU time per completed request from /proc: it
 * moves far less than throughput when other work shares the machine, so the parts' targets are judged on it.
 */
import { readProcCpuMs } from './children.js';
import { runLoad, type LoadFigures } from './load.js';
import type { RunningServer } from './server-process.js';
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
}

/**
 * Measures `scenario` on every server (each probed first, unless `probe: false`). `part` names the benchmark part in the log, `seedOffset` keeps parts'
 * request bodies apart. Returns a problem (the scenario's probe failed on a server) instead of figures.
 */
export async function measureAlternating<M extends string>(
  part: string,
  servers: readonly { readonly mode: M; readonly server: RunningServer; readonly probe?: boolean }[],
  scenario: ScenarioName,
  options: AlternatingOptions,
  seed: number,
  seedOffset: number,
): Promise<readonly ModeFigures<M>[] | string> {
  const shape = bodyPoolShape(scenario);
  const bodies = scenarioBodies(scenario, shape.poolSize, createRandom(seed + seedOffset * (SCENARIO_NAMES.indexOf(scenario) + 1)));
  // `probe: false` for the bare baseline server, which answers every request with the same canned item.
  const probes = await Promise.all(
    servers.map(({ server, probe }) => (probe === false ? undefined : probeScenario(server.url, scenario, bodies[0] ?? ''))),
  );
  const problem = probes.find((probe) => probe !== undefined);
  if (problem !== undefined) return `${scenario}: ${problem}`;
  const load = (server: RunningServer, seconds: number, round: number) =>
    runLoad({
      url: server.url,
      operation: scenarioOperation(scenario),
      bodies,
      connections: options.connections,
      durationSeconds: seconds,
      sequenceLength: shape.sequenceLength,
      random: createRandom(seed + round),
    });
  if (options.warmupSeconds > 0) {
    for (const { mode, server } of servers) {
      options.log(`${part} ${scenario}: warm-up ${mode}`);
      await load(server, options.warmupSeconds, -1);
    }
  }
  const figures = servers.map(({ mode }) => ({ mode, rounds: [] as LoadFigures[], cpuMicrosPerRequest: [] as number[] }));
  for (let round = 0; round < options.rounds; round++) {
    const order = servers.map((server, index) => ({ ...server, index }));
    if (round % 2 === 1) order.reverse();
    for (const { mode, server, index } of order) {
      const cpuBefore = readProcCpuMs(server.child.pid);
      const measured = await load(server, options.durationSeconds, round);
      const cpuAfter = readProcCpuMs(server.child.pid);
      const entry = figures[index] as (typeof figures)[number];
      entry.rounds.push(measured);
      entry.cpuMicrosPerRequest.push(
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

/** measureAlternating for each scenario in turn; a scenario whose probe failed goes to `failures` instead. */
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
    else measuredScenarios.push({ scenario, modes: measured });
  }
  return measuredScenarios;
}
