import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runLoad } from './load.js';
import { createRandom, getItemBody } from './wire.js';

// An in-process stand-in server that records what it was sent, to check what the generator sends.
const seenBodies = new Set<string>();
const seenTargets = new Set<string>();
let failNext = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    seenBodies.add(Buffer.concat(chunks).toString('utf8'));
    seenTargets.add(`${req.method ?? ''} ${req.headers['x-amz-target'] ?? ''} ${req.headers['content-type'] ?? ''}`);
    const status = failNext > 0 ? (failNext--, 400) : 200;
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{}');
  });
});
let url = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('runLoad', () => {
  it('replays the pre-built bodies as AWS JSON requests and reports exact counts', async () => {
    const bodies = [0, 1, 2, 3, 4, 5, 6, 7].map(getItemBody);
    failNext = 5;
    const figures = await runLoad({
      url,
      operation: 'GetItem',
      bodies,
      connections: 4,
      durationSeconds: 1,
      sequenceLength: 3,
      random: createRandom(1),
    });
    assert.deepEqual([...seenTargets], ['POST DynamoDB_20120810.GetItem application/x-amz-json-1.0']);
    assert.ok([...seenBodies].every((body) => bodies.includes(body)));
    assert.ok(seenBodies.size > 1, 'connections replay different windows of the pool');
    assert.ok(figures.completed > 100, `completed ${figures.completed}`);
    assert.equal(figures.non2xx, 5);
    assert.equal(figures.statusCodes['400'], 5);
    assert.equal(figures.statusCodes['200'], figures.completed - 5);
    assert.equal(figures.errors, 0);
    assert.ok(figures.requestsPerSecond > 100);
    assert.ok(figures.p50Ms > 0 && figures.p50Ms <= figures.p99Ms, `p50 ${figures.p50Ms}, p99 ${figures.p99Ms}`);
  });

  it('with disjointWindow, gives each connection of the run its own window of the bodies, after the slots before', async () => {
    // 2 connections, windows of 3: slot 1 is windows 2 and 3, bodies 6-8 and 9-11; nothing else is sent.
    // Bodies of their own: a request of an earlier test still in flight cannot count.
    const bodies = Array.from({ length: 16 }, (_, index) => JSON.stringify({ TableName: 'disjoint', Key: { pk: { S: String(index) } } }));
    await runLoad({ url, operation: 'GetItem', bodies, connections: 2, durationSeconds: 1, sequenceLength: 3, random: createRandom(1), disjointWindow: 1 });
    const sent = [...seenBodies].filter((body) => body.includes('"disjoint"'));
    assert.deepEqual(sent.sort(), bodies.slice(6, 12).sort());
  });

  it('spreads the connections over several servers and sums their figures', async () => {
    // A second stand-in that counts the connections it is opened and the requests it answers.
    let secondConnections = 0;
    let secondRequests = 0;
    const second = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        secondRequests++;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
    second.on('connection', () => secondConnections++);
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
    try {
      const figures = await runLoad({
        url,
        moreUrls: [`http://127.0.0.1:${(second.address() as AddressInfo).port}`],
        operation: 'GetItem',
        bodies: [0, 1, 2, 3].map(getItemBody),
        connections: 5,
        durationSeconds: 1,
        sequenceLength: 2,
        random: createRandom(2),
      });
      // 5 connections over 2 servers: 3 to the first, 2 to the second.
      assert.equal(secondConnections, 2);
      assert.ok(secondRequests > 10 && secondRequests < figures.completed, `${secondRequests} of ${figures.completed}`);
      assert.equal(figures.statusCodes['200'], figures.completed);
      assert.equal(figures.errors + figures.non2xx, 0);
    } finally {
      second.closeAllConnections();
      second.close();
    }
  });

  it('refuses an empty body table', async () => {
    await assert.rejects(
      runLoad({ url, operation: 'GetItem', bodies: [], connections: 1, durationSeconds: 1, sequenceLength: 1, random: createRandom(1) }),
      { message: 'runLoad needs at least one request body' },
    );
  });
});
