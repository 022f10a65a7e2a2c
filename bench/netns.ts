/**
 * DynamoDB Local listens on every interface and has no option to bind loopback only, so it may only run inside a
 * private network namespace (`unshare --net`), where loopback is the sole interface. The load generator must
 * reach it, so the whole benchmark re-runs itself inside the namespace rather than just the JVM.
 */
import { spawn, spawnSync } from 'node:child_process';

export const NETNS_ENV = 'CAIRN_BENCH_NETNS';

export function insideNetworkNamespace(): boolean {
  return process.env[NETNS_ENV] === '1';
}

/** The fresh namespace's loopback starts down; bring it up, then replace the shell with the benchmark. */
const BRING_UP_LOOPBACK = 'ip link set lo up && exec "$0" "$@"';

/** Whether `unshare --net` works here (needs root or unprivileged user namespaces, and iproute2). */
export function canUseNetworkNamespace(): string | undefined {
  const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link set lo up'], { timeout: 5000, encoding: 'utf8' });
  if (probe.error) return `unshare is not available: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare --net failed: ${(probe.stderr || '').trim() || `exit ${String(probe.status)}`}`;
  return undefined;
}

/** Runs `node <script> <args>` inside a private network namespace, inheriting stdio; resolves with its exit code. */
export function rerunInNetworkNamespace(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['--net', 'sh', '-c', BRING_UP_LOOPBACK, process.execPath, script, ...args], {
      stdio: 'inherit',
      env: { ...process.env, [NETNS_ENV]: '1' },
    });
    // Forward interruptions: the inner benchmark kills its own servers on the way out.
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
