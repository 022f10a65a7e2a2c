/**
 * The baseline: the least work any DynamoDB server on Node.js must do per request. It reads the whole body,
 * JSON.parses it and answers a same-size item as JSON (serialized per request, as a real server must), whatever
 * the operation: that is the baseline the performance targets are defined against. No validation, no storage:
 * Cairn's figures are printed as a ratio of this floor.
 *
 * Run as a child process: `node baseline-server.js <port>`; prints `listening <port>` once bound (loopback only).
 */
import { createServer } from 'node:http';
import { buildItem, CONTENT_TYPE } from './wire.js';

const ITEM = buildItem(0);
let requestCounter = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let answer: string;
    let status = 200;
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const target = req.headers['x-amz-target'];
      // ListTables answers too, so the startup probe works unchanged against the baseline.
      answer =
        target === 'DynamoDB_20120810.ListTables' ? '{"TableNames":[]}' : JSON.stringify({ Item: ITEM });
    } catch {
      status = 400;
      answer = '{"__type":"com.amazon.coral.service#SerializationException"}';
    }
    res.writeHead(status, {
      'content-type': CONTENT_TYPE,
      'content-length': Buffer.byteLength(answer),
      // A request id is the one header every DynamoDB answer carries, so the floor pays for one too.
      'x-amzn-requestid': String(++requestCounter),
    });
    res.end(answer);
  });
});

const port = Number(process.argv[2] ?? '0');
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`listening ${bound}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
