/**
 * Connections a client holds without using them: they are closed after their timeouts, capped in number, and
 * never keep SIGTERM from finishing. Cairn runs as a process here (as in production), with short timeouts.
 * Every case runs over plain HTTP and over HTTPS (`--tls-cert`, `--tls-key`), which must keep the same limits.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { spawnCairn, type CairnProcess } from '../helpers/cairn-process.js';
import { selfSignedCertificate } from '../helpers/tls-files.js';

interface HeldSocket {
  readonly socket: Socket;
  /** What the server sent so far. */
  received(): string;
  /** Resolves with the milliseconds from opening to the server closing the connection. */
  readonly closed: Promise<number>;
  /** Resolves once the connection is established. */
  readonly connected: Promise<void>;
}

/** A connection to `url` (TLS for https, trusting the test certificate) that sends `data`, if any, once open. */
function hold(url: string, data?: string): HeldSocket {
  const { hostname, port, protocol } = new URL(url);
  const opened = Date.now();
  const secure = protocol === 'https:';
  const socket = secure ? tlsConnect({ host: hostname, port: Number(port), ca: certificate.cert }) : connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) =>
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      if (data !== undefined) socket.write(data);
      resolve();
    }),
  );
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  return { socket, received: () => received, closed, connected };
}

/** Rejects when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} took more than ${ms} ms`);
    await sleep(10);
  }
}

const HALF_SENT = 'POST / HTTP/1.1\r\nHost: cairn\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 100\r\n\r\n{"Ta';
const HEALTH_CHECK = 'GET / HTTP/1.1\r\nHost: cairn\r\n\r\n';

const processes: CairnProcess[] = [];
after(() => {
  for (const running of processes) if (running.child.exitCode === null) running.child.kill('SIGKILL');
});

const certificate = selfSignedCertificate();
const TRANSPORTS = [
  { name: 'HTTP', args: [] },
  { name: 'HTTPS', args: ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile] },
] as const;

for (const transport of TRANSPORTS) {
  const start = async (args: readonly string[]): Promise<CairnProcess> => {
    const running = await spawnCairn(['--in-memory', ...transport.args, ...args]);
    processes.push(running);
    return running;
  };

  describe(`shutdown (${transport.name})`, () => {
    test('SIGTERM finishes within the shutdown timeout although clients hold an idle and a half-sent request', async () => {
      const cairn = await start(['--shutdown-timeout-ms', '300']);
      const idle = hold(cairn.url);
      const halfSent = hold(cairn.url, HALF_SENT);
      const answered = hold(cairn.url, HEALTH_CHECK);
      await Promise.all([idle.connected, halfSent.connected, answered.connected]);
      // The server has read the half-sent request once it answered the request sent after it.
      await until(() => answered.received().includes('healthy'), 2_000, 'the health check');
      const signalled = Date.now();
      cairn.child.kill('SIGTERM');
      assert.equal(await within(cairn.exited, 5_000, 'SIGTERM'), 0);
      const took = Date.now() - signalled;
      assert.ok(took >= 250, `exited after ${took} ms, before the half-sent request's grace period`);
      // Every held connection was closed by the server.
      await within(Promise.all([idle.closed, halfSent.closed, answered.closed]), 1_000, 'closing the held connections');
    });
  });

  describe(`timeouts (${transport.name})`, () => {
    test('idle, silent and half-sent connections are closed after their timeouts', async () => {
      const cairn = await start(['--keep-alive-timeout-ms', '200', '--headers-timeout-ms', '300', '--request-timeout-ms', '600']);
      const silent = hold(cairn.url);
      const halfSent = hold(cairn.url, HALF_SENT);
      const keptAlive = hold(cairn.url, HEALTH_CHECK);

      // A connection that never sends a request head: 408 after the headers timeout.
      const silentFor = await within(silent.closed, 3_000, 'closing a silent connection');
      assert.ok(silentFor >= 250, `closed after ${silentFor} ms`);
      assert.match(silent.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);

      // A keep-alive connection after its answer: closed after the keep-alive timeout (node adds up to a second).
      const keptAliveFor = await within(keptAlive.closed, 3_000, 'closing an idle keep-alive connection');
      assert.ok(keptAliveFor >= 150, `closed after ${keptAliveFor} ms`);
      assert.match(keptAlive.received(), /^HTTP\/1\.1 200 OK\r\n[\s\S]*healthy: dynamodb\.us-east-1\.amazonaws\.com $/);

      // A request whose body never completes: 408 after the request timeout.
      const halfSentFor = await within(halfSent.closed, 3_000, 'closing a half-sent request');
      assert.ok(halfSentFor >= 500, `closed after ${halfSentFor} ms`);
      assert.match(halfSent.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);

      cairn.child.kill('SIGTERM');
      assert.equal(await within(cairn.exited, 5_000, 'SIGTERM'), 0);
    });
  });

  describe(`connection cap (${transport.name})`, () => {
    test('connections beyond --max-connections are closed at once, and the held ones keep the server answering', async () => {
      const cairn = await start(['--max-connections', '2', '--log-level', 'warn']);
      const held = [hold(cairn.url), hold(cairn.url)];
      await Promise.all(held.map((socket) => socket.connected));
      await sleep(100);
      const refused = hold(cairn.url, HEALTH_CHECK);
      await within(refused.closed, 2_000, 'refusing a connection over the cap');
      assert.equal(refused.received(), '');

      // One held connection goes away: a new one is served.
      held[0]?.socket.destroy();
      await held[0]?.closed;
      await sleep(100);
      const served = hold(cairn.url, HEALTH_CHECK);
      await until(() => served.received().includes('healthy'), 2_000, 'the health check');
      assert.match(served.received(), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(cairn.stderr(), /WARN refusing connections: 2 are open \(the maximum\)/);

      served.socket.destroy();
      held[1]?.socket.destroy();
      cairn.child.kill('SIGTERM');
      assert.equal(await within(cairn.exited, 5_000, 'SIGTERM'), 0);
    });

    test('bad connection settings are refused before anything starts', async () => {
      await assert.rejects(start(['--headers-timeout-ms', '5000', '--request-timeout-ms', '1000']), /the headers timeout \(5000 ms\) cannot exceed the request timeout \(1000 ms\)/);
      await assert.rejects(start(['--keep-alive-timeout-ms', '0']), /invalid --keep-alive-timeout-ms: 0/);
    });
  });
}
