/**
 * The cost of SigV4 verification: GetItem and PutItem on Cairn without `--auth` and with it (a file of one
 * account), each on its own server (durable), in alternating rounds (without, with, then with, without...), the
 * `--auth` figures reported as ratios of those without in the same round (target: within 15%).
 *
 * Every request is signed, for both servers alike (Cairn without `--auth` accepts any signature), so the load
 * generator spends the same on each and only the server differs. Requests are signed as they are sent, in closed
 * loops, since a signature covers the body and its date must stay within 15 minutes. As in the capacity part,
 * the server's CPU time per request (from /proc) is measured too: it moves much less than throughput when other
 * work shares the machine.
 */
import type { AlternatingOptions } from './alternating-rounds.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProcCpuMs, registerTempDirectory } from './children.js';
import { describeAnswer, postOperation, signSetupRequests } from './http-call.js';
import { closedLoop, type ClosedLoopResult } from './closed-loop.js';
import type { Peer } from './peers.js';
import { launchServer, type RunningServer } from './server-process.js';
import { createBenchTable, preloadItems } from './setup.js';
import { signedHeaders, type BenchCredentials } from './sigv4-sign.js';
import { median, pairedMedian } from './stats.js';
import { awsHeaders, createRandom, keyOf, putItemBody, randomIndex, TABLE_NAME } from './wire.js';

export type AuthSide = 'without' | 'with';
export const AUTH_SCENARIOS = ['GetItem', 'PutItem'] as const;
export type AuthScenario = (typeof AUTH_SCENARIOS)[number];

export interface AuthSideFigures {
  readonly side: AuthSide;
  readonly requestsPerSecond: number[];
  readonly p50Ms: number[];
  readonly cpuMicrosPerRequest: number[];
  failed: number;
}

export interface AuthScenarioFigures {
  readonly scenario: AuthScenario;
  readonly without: AuthSideFigures;
  readonly with: AuthSideFigures;
}

export interface AuthCostResult {
  readonly settings: string;
  readonly scenarios: readonly AuthScenarioFigures[];
  readonly failures: readonly string[];
}

/** Connections, round length and count, warm-up and the progress log: the same for every part. */
export type AuthCostOptions = AlternatingOptions;

/** Items preloaded in each server: GetItem reads them, PutItem overwrites them. */
const ITEMS = 2_000;
const CREDENTIALS: BenchCredentials = { accessKeyId: 'AKIABENCHBENCHBENCH0', secretAccessKey: 'bench-secret' };
const TARGET_RATIO = 0.85;

function authFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'cairn-bench-auth-'));
  registerTempDirectory(directory);
  const path = join(directory, 'auth.json');
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] };
  writeFileSync(path, JSON.stringify({ accounts: [{ id: '111122223333', users: [{ name: 'bench', ...CREDENTIALS, policies: [policy] }] }] }));
  return path;
}

/** Cairn launched with `--auth <file>`. */
function withAuth(cairn: Peer, file: string): Peer {
  return {
    ...cairn,
    label: 'Cairn --auth',
    launch: (port, dataDirectory) => {
      const launch = cairn.launch(port, dataDirectory);
      return { ...launch, args: [...launch.args, '--auth', file] };
    },
  };
}

function bodyOf(scenario: AuthScenario, index: number): string {
  return scenario === 'GetItem' ? JSON.stringify({ TableName: TABLE_NAME, Key: { pk: { S: keyOf(index) } } }) : putItemBody(index);
}

/** A closed-loop load whose every request is signed as it is sent (a signature covers its body and time). */
function signedLoad(url: string, scenario: AuthScenario, connections: number, seconds: number, random: () => number): Promise<ClosedLoopResult> {
  const base = awsHeaders(scenario);
  return closedLoop(url, connections, seconds, () => {
    const payload = Buffer.from(bodyOf(scenario, randomIndex(random, ITEMS)));
    return { payload, headers: signedHeaders(url, base, payload, CREDENTIALS) };
  });
}

export async function measureAuthCost(cairn: Peer, options: AuthCostOptions, seed: number): Promise<AuthCostResult> {
  const failures: string[] = [];
  const scenarios: AuthScenarioFigures[] = [];
  const servers: { side: AuthSide; server: RunningServer }[] = [];
  // Set-up requests (start-up polling, the table, the preload) are signed too: the --auth server refuses others.
  signSetupRequests((url, headers, body) => signedHeaders(url, headers, body, CREDENTIALS));
  try {
    const file = authFile();
    for (const side of ['without', 'with'] as const) {
      options.log(`auth: starting Cairn ${side} --auth`);
      const server = await launchServer(side === 'with' ? withAuth(cairn, file) : cairn);
      servers.push({ side, server });
      await createBenchTable(server.url);
      await preloadItems(server.url, ITEMS);
    }
    for (const scenario of AUTH_SCENARIOS) {
      for (const { side, server } of servers) {
        const answer = await postOperation(server.url, scenario, bodyOf(scenario, 0));
        if (answer.status !== 200) throw new Error(`${scenario} ${side} --auth: ${describeAnswer(answer)}`);
      }
      const random = createRandom(seed + (scenario === 'GetItem' ? 11 : 12));
      if (options.warmupSeconds > 0) {
        for (const { server } of servers) await signedLoad(server.url, scenario, options.connections, options.warmupSeconds, random);
      }
      const figures = new Map<AuthSide, AuthSideFigures>(
        servers.map(({ side }) => [side, { side, requestsPerSecond: [], p50Ms: [], cpuMicrosPerRequest: [], failed: 0 }]),
      );
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const { side, server } of order) {
          const cpuBefore = readProcCpuMs(server.child.pid);
          const result = await signedLoad(server.url, scenario, options.connections, options.durationSeconds, random);
          const cpuAfter = readProcCpuMs(server.child.pid);
          const entry = figures.get(side) as AuthSideFigures;
          entry.requestsPerSecond.push(result.requestsPerSecond);
          entry.p50Ms.push(result.p50Ms);
          entry.cpuMicrosPerRequest.push(
            cpuBefore === undefined || cpuAfter === undefined || result.completed === 0 ? Number.NaN : ((cpuAfter - cpuBefore) * 1000) / result.completed,
          );
          entry.failed += result.failed;
          if (result.firstFailure !== undefined) failures.push(`${scenario} ${side} --auth: ${result.firstFailure}`);
          options.log(
            `auth ${scenario} round ${round + 1}/${options.rounds} ${side} --auth: ${Math.round(result.requestsPerSecond)} req/s, ` +
              `p50 ${result.p50Ms.toFixed(2)} ms${result.failed > 0 ? `, ${result.failed} failed` : ''}`,
          );
        }
      }
      scenarios.push({ scenario, without: figures.get('without') as AuthSideFigures, with: figures.get('with') as AuthSideFigures });
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    signSetupRequests(undefined);
    for (const { server } of servers) await server.stop();
  }
  return {
    settings:
      `${options.connections} keep-alive connections in closed loops, ${options.rounds} alternating round(s) of ` +
      `${options.durationSeconds} s after a ${options.warmupSeconds} s warm-up, one Cairn (durable) without and one with --auth, ` +
      `${ITEMS.toLocaleString('en-US')} preloaded ~1 KB items each`,
    scenarios,
    failures,
  };
}


export function renderAuthCost(lines: string[], result: AuthCostResult): void {
  lines.push('## SigV4 verification cost (Cairn --auth)', '');
  lines.push(
    `GetItem (random preloaded keys) and PutItem (overwriting them) on Cairn without \`--auth\` and with it; every ` +
      `request is signed for both, so only the server differs. ${result.settings}. "CPU ratio" is the server's CPU ` +
      `per request without over with (1.00: no extra CPU), the steadier figure on a shared machine. Target: with ` +
      `--auth within 15% (ratio >= ${TARGET_RATIO.toFixed(2)}).`,
    '',
  );
  lines.push('| Scenario | req/s without | req/s with | throughput ratio | CPU µs/req without | with | CPU ratio | p50 without / with | failed | target |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---|');
  for (const { scenario, without, with: authed } of result.scenarios) {
    const throughput = pairedMedian(authed.requestsPerSecond, without.requestsPerSecond);
    // CPU: lower is better, so the ratio is without over with.
    const cpu = pairedMedian(without.cpuMicrosPerRequest, authed.cpuMicrosPerRequest);
    const failed = without.failed + authed.failed;
    lines.push(
      `| ${scenario} | ${Math.round(median(without.requestsPerSecond))} | ${Math.round(median(authed.requestsPerSecond))} | ${throughput.toFixed(3)} | ` +
        `${median(without.cpuMicrosPerRequest).toFixed(1)} | ${median(authed.cpuMicrosPerRequest).toFixed(1)} | ${cpu.toFixed(3)} | ` +
        `${median(without.p50Ms).toFixed(2)} / ${median(authed.p50Ms).toFixed(2)} ms | ${failed} | ${cpu >= TARGET_RATIO && failed === 0 ? 'met' : 'not met'} |`,
    );
  }
  lines.push('');
  for (const failure of result.failures) lines.push(`- failed: ${failure.replace(/\|/g, '\\|')}`);
  if (result.failures.length > 0) lines.push('');
}
