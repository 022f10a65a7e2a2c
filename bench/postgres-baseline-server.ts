/**
 * The PostgreSQL baseline: the least work a DynamoDB front end over PostgreSQL must do per request. It reads the
 * body, JSON.parses it and runs the one SQL statement the operation needs on a node-postgres pool (as many
 * connections as Cairn's), answering what DynamoDB would:
 * - PutItem: `INSERT ... ON CONFLICT (pk) DO UPDATE` of the item's JSON text under its `pk`, answering `{}`;
 * - GetItem: `SELECT item WHERE pk = $1`, answering `{"Item": <the stored JSON text>}` (no parse, no re-serialise);
 * - CreateTable / DescribeTable / ListTables: answered ACTIVE at once (one fixed table), so the benchmark's set-up
 *   runs unchanged.
 * No validation, no conditions, no transaction around the statement, no indexes, streams or statistics: Cairn over
 * PostgreSQL is printed as a ratio of this floor.
 *
 * Run as a child process: `node postgres-baseline-server.js <port> <postgres URL>`; prints `listening <port>`.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { CONTENT_TYPE } from './wire.js';

const POOL_SIZE = 10;

const url = process.argv[3];
if (url === undefined) throw new Error('usage: postgres-baseline-server.js <port> <postgres URL>');
const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
pool.on('error', () => undefined);
await pool.query('CREATE TABLE IF NOT EXISTS bench_items (pk text PRIMARY KEY, item bytea NOT NULL)');

const PUT = { name: 'bench_put', text: 'INSERT INTO bench_items (pk, item) VALUES ($1, $2) ON CONFLICT (pk) DO UPDATE SET item = excluded.item' };
const GET = { name: 'bench_get', text: 'SELECT item FROM bench_items WHERE pk = $1' };

type Request = { TableName?: string; Item?: { pk?: { S?: string } }; Key?: { pk?: { S?: string } } };

async function answerFor(target: string | undefined, request: Request): Promise<string> {
  switch (target) {
    case 'DynamoDB_20120810.ListTables':
      return '{"TableNames":[]}';
    case 'DynamoDB_20120810.CreateTable':
    case 'DynamoDB_20120810.DescribeTable':
      return JSON.stringify({ Table: { TableName: request.TableName, TableStatus: 'ACTIVE' }, TableDescription: { TableName: request.TableName, TableStatus: 'ACTIVE' } });
    case 'DynamoDB_20120810.PutItem':
      await pool.query({ ...PUT, values: [request.Item?.pk?.S ?? '', Buffer.from(JSON.stringify(request.Item), 'utf8')] });
      return '{}';
    case 'DynamoDB_20120810.GetItem': {
      const { rows } = await pool.query<{ item: Buffer }>({ ...GET, values: [request.Key?.pk?.S ?? ''] });
      const row = rows[0];
      return row === undefined ? '{}' : `{"Item":${row.item.toString('utf8')}}`;
    }
    default:
      throw new Error(`the PostgreSQL baseline does not answer ${String(target)}`);
  }
}

let requestCounter = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const reply = (status: number, answer: string): void => {
      res.writeHead(status, {
        'content-type': CONTENT_TYPE,
        'content-length': Buffer.byteLength(answer),
        'x-amzn-requestid': String(++requestCounter),
      });
      res.end(answer);
    };
    let request: Request;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
    } catch {
      reply(400, '{"__type":"com.amazon.coral.service#SerializationException"}');
      return;
    }
    const target = req.headers['x-amz-target'];
    answerFor(typeof target === 'string' ? target : undefined, request).then(
      (answer) => reply(200, answer),
      (error: unknown) => reply(500, JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error) })),
    );
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
    void pool.end().finally(() => process.exit(0));
  });
}
