/**
 * The PostgreSQL baseline: the least work a DynamoDB front end over PostgreSQL must do per request. It reads the
 * body, JSON.parses it and runs the one SQL statement the operation needs on a node-postgres pool (as many
 * connections as Cairn's), answering what DynamoDB would:
 * - PutItem: `INSERT ... ON CONFLICT (pk) DO UPDATE` of the item's JSON text under its `pk`, answering `{}`;
 * - GetItem: `SELECT item WHERE pk = $1`, answering `{"Item": <the stored JSON text>}` (no parse, no re-serialise);
 * - Query (the composite-key table, `pk = :pk` with a Limit): `SELECT sk, item WHERE pk = $1 ORDER BY sk LIMIT $2`
 *   (descending when ScanIndexForward is false), answering Items, Count, ScannedCount and the LastEvaluatedKey;
 * - TransactWriteItems of Puts: BEGIN, one upsert per Put, COMMIT on one connection, answering `{}`;
 * - BatchWriteItem of PutRequests (only for loading the Query table): one multi-row upsert over unnest arrays;
 * - CreateTable / DescribeTable / ListTables: answered ACTIVE at once (one fixed table), so the benchmark's set-up
 *   runs unchanged.
 * No validation, no conditions, no transaction around the statement, no indexes, streams or statistics: Cairn over
 * PostgreSQL is printed as a ratio of this floor.
 *
 * Run as a child process: `node postgres-baseline-server.js <port> <postgres URL>`; prints `listening <port>`.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { CONTENT_TYPE, QUERY_TABLE_NAME } from './wire.js';

const POOL_SIZE = 10;

const url = process.argv[3];
if (url === undefined) throw new Error('usage: postgres-baseline-server.js <port> <postgres URL>');
const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
pool.on('error', () => undefined);
await pool.query('CREATE TABLE IF NOT EXISTS bench_items (pk text PRIMARY KEY, item bytea NOT NULL)');
await pool.query('CREATE TABLE IF NOT EXISTS bench_query (pk text NOT NULL, sk numeric NOT NULL, item bytea NOT NULL, PRIMARY KEY (pk, sk))');

const PUT = { name: 'bench_put', text: 'INSERT INTO bench_items (pk, item) VALUES ($1, $2) ON CONFLICT (pk) DO UPDATE SET item = excluded.item' };
const GET = { name: 'bench_get', text: 'SELECT item FROM bench_items WHERE pk = $1' };
const QUERY_FORWARD = { name: 'bench_query_forward', text: 'SELECT sk::text AS sort_key, item FROM bench_query WHERE pk = $1 ORDER BY bench_query.sk LIMIT $2' };
const QUERY_BACKWARD = { name: 'bench_query_backward', text: 'SELECT sk::text AS sort_key, item FROM bench_query WHERE pk = $1 ORDER BY bench_query.sk DESC LIMIT $2' };
const PUT_SORTED = {
  name: 'bench_put_sorted',
  text:
    'INSERT INTO bench_query (pk, sk, item) SELECT p, s, i FROM unnest($1::text[], $2::numeric[], $3::bytea[]) AS r (p, s, i) ' +
    'ON CONFLICT (pk, sk) DO UPDATE SET item = excluded.item',
};

type Key = { pk?: { S?: string }; sk?: { N?: string } };
type Request = {
  TableName?: string;
  Item?: Key;
  Key?: Key;
  Limit?: number;
  ScanIndexForward?: boolean;
  ExpressionAttributeValues?: { ':pk'?: { S?: string } };
  TransactItems?: { Put?: { Item?: Key } }[];
  RequestItems?: Record<string, { PutRequest?: { Item?: Key } }[]>;
};

async function query(request: Request): Promise<string> {
  const pk = request.ExpressionAttributeValues?.[':pk']?.S ?? '';
  const statement = request.ScanIndexForward === false ? QUERY_BACKWARD : QUERY_FORWARD;
  const limit = request.Limit ?? 1000;
  const { rows } = await pool.query<{ sort_key: string; item: Buffer }>({ ...statement, values: [pk, limit] });
  const last = rows[rows.length - 1];
  // Like DynamoDB, a page that stopped at its Limit says where to go on.
  const lastKey = last !== undefined && rows.length === limit ? `,"LastEvaluatedKey":${JSON.stringify({ pk: { S: pk }, sk: { N: last.sort_key } })}` : '';
  return `{"Items":[${rows.map((row) => row.item.toString('utf8')).join(',')}],"Count":${rows.length},"ScannedCount":${rows.length}${lastKey}}`;
}

async function transactPuts(request: Request): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const action of request.TransactItems ?? []) {
      await client.query({ ...PUT, values: [action.Put?.Item?.pk?.S ?? '', Buffer.from(JSON.stringify(action.Put?.Item), 'utf8')] });
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return '{}';
}

async function batchPuts(request: Request): Promise<string> {
  for (const [table, writes] of Object.entries(request.RequestItems ?? {})) {
    const items = writes.map((write) => write.PutRequest?.Item ?? {});
    if (table === QUERY_TABLE_NAME) {
      await pool.query({
        ...PUT_SORTED,
        values: [items.map((item) => item.pk?.S ?? ''), items.map((item) => item.sk?.N ?? '0'), items.map((item) => Buffer.from(JSON.stringify(item), 'utf8'))],
      });
    } else {
      for (const item of items) await pool.query({ ...PUT, values: [item.pk?.S ?? '', Buffer.from(JSON.stringify(item), 'utf8')] });
    }
  }
  return '{"UnprocessedItems":{}}';
}

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
    case 'DynamoDB_20120810.Query':
      return query(request);
    case 'DynamoDB_20120810.TransactWriteItems':
      return transactPuts(request);
    case 'DynamoDB_20120810.BatchWriteItem':
      return batchPuts(request);
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
