/**
 * Child processes of the benchmark (the servers under test). Servers run in their own processes so the load
 * generator never shares their event loop. Every child is registered here and killed when the benchmark exits,
 * whether it finishes, throws or is interrupted: a stray server left behind would skew the next run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** Keep only the tail of a child's output: enough to explain a crash, bounded in memory. */
const OUTPUT_TAIL_BYTES = 8192;

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  /** The last few KB of stdout+stderr, for error messages. */
  output(): string;
  /** Whether the process has exited (then `exitCode` says how). */
  hasExited(): boolean;
  exitDescription(): string;
  /** SIGTERM, then SIGKILL if it is still alive after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const liveChildren = new Set<ChildProcess>();
const tempDirectories = new Set<string>();
let handlersInstalled = false;

/** Spawns a registered child with piped output (always drained, so a chatty server never blocks on a full pipe). */
export function spawnChild(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildHandle {
  installExitHandlers();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    // No pid: it could not start at all (e.g. ENOENT). spawn reports that as an 'error' event a tick later,
    // which would crash the process without a listener.
    child.once('error', () => undefined);
    throw new Error(`could not start ${name} (${command})`);
  }
  liveChildren.add(child);
  let tail = '';
  const collect = (chunk: Buffer): void => {
    tail += chunk.toString('utf8');
    if (tail.length > OUTPUT_TAIL_BYTES * 2) tail = tail.slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitDescription = 'running';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
      liveChildren.delete(child);
      resolve();
    });
    child.once('error', (error) => {
      exitDescription = `failed: ${error.message}`;
      liveChildren.delete(child);
      resolve();
    });
  });
  const pid = child.pid;
  return {
    name,
    pid,
    output: () => tail.slice(-OUTPUT_TAIL_BYTES),
    hasExited: () => !liveChildren.has(child),
    exitDescription: () => exitDescription,
    async stop(graceMs = 3000): Promise<void> {
      if (!liveChildren.has(child)) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gave = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!gave) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Registers a directory to delete when the benchmark exits (server data directories). */
export function registerTempDirectory(path: string): void {
  tempDirectories.add(path);
}

/** Synchronous, so it also works from the process 'exit' event. */
export function killAllChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
  for (const directory of tempDirectories) {
    try {
      rmSync(directory, { recursive: true, force: true });
    } catch {
      // Best effort: a leftover temp directory is harmless, a throw inside an exit handler is not.
    }
  }
  tempDirectories.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** A free loopback port (the OS picks it; the tiny window before the child binds it is acceptable here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * A `Vm*:   1234 kB` line of /proc/<pid>/status, in KiB (VmRSS = resident now, VmHWM = peak resident);
 * undefined when the process is gone or the system has no /proc.
 */
export function readProcStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStatusKb(status, field);
}

export function parseProcStatusKb(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * CPU time (user + system, in milliseconds) a process has used so far, from /proc/<pid>/stat; undefined if
 * unreadable. Clock ticks are taken as 100 a second, Linux's USER_HZ on every common architecture.
 */
export function readProcCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStatCpuMs(stat);
}

export function parseProcStatCpuMs(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and the state.
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? (user + system) * 10 : undefined;
}
