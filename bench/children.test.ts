import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { freePort, parseProcStatCpuMs, parseProcStatusKb, readProcStatusKb, spawnChild } from './children.js';

describe('parseProcStatusKb', () => {
  const status = 'Name:\tnode\nVmHWM:\t  123456 kB\nVmRSS:\t   98765 kB\nThreads:\t7\n';
  it('reads VmRSS and VmHWM in KiB', () => {
    assert.equal(parseProcStatusKb(status, 'VmRSS'), 98_765);
    assert.equal(parseProcStatusKb(status, 'VmHWM'), 123_456);
  });
  it('is undefined for a missing field', () => assert.equal(parseProcStatusKb(status, 'VmSwap'), undefined));
});

describe('readProcStatusKb', { skip: process.platform !== 'linux' }, () => {
  it('reads this process resident size', () => {
    const rss = readProcStatusKb(process.pid, 'VmRSS');
    assert.ok(rss !== undefined && rss > 1024, `VmRSS ${String(rss)}`);
  });
});

describe('freePort', () => {
  it('returns a loopback port that can be bound', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65_536);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('spawnChild', () => {
  it('fails cleanly when the command does not exist', async () => {
    assert.throws(() => spawnChild('ghost', '/nonexistent/command', []), { message: 'could not start ghost (/nonexistent/command)' });
    // The asynchronous 'error' event of the failed spawn must not crash the process.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('captures output and stops a child that ignores SIGTERM with SIGKILL', async () => {
    const child = spawnChild('stubborn', process.execPath, [
      '-e',
      "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);",
    ]);
    for (let i = 0; i < 200 && !child.output().includes('ready'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(child.output().trim(), 'ready');
    assert.equal(child.hasExited(), false);
    await child.stop(200);
    assert.equal(child.hasExited(), true);
    assert.equal(child.exitDescription(), 'killed by SIGKILL');
  });
});

describe('parseProcStatCpuMs', () => {
  it('adds user and system ticks (100 a second), past a command name with spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 2 3 0 -1 4194304 129 0 0 0 250 75 0 0 20 0 1 0 342656 3133440 379';
    assert.equal(parseProcStatCpuMs(stat), 3250);
    assert.equal(parseProcStatCpuMs('garbage'), undefined);
  });
});
