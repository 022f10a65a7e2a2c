import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { postgresUnavailable, startPostgres } from '../helpers/postgres-server.js';

test('a PostgreSQL server starts, gives each caller a database of its own, restarts and stops', { skip: postgresUnavailable() }, async () => {
  const server = await startPostgres();
  try {
    const first = await server.createDatabase();
    const second = await server.createDatabase();
    assert.notEqual(first, second);
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    await client.query('CREATE TABLE t (k int PRIMARY KEY)');
    await client.query('INSERT INTO t VALUES (1)');
    await client.end();
    const other = new pg.Client({ connectionString: second });
    await other.connect();
    const { rows } = await other.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 't'");
    assert.equal(rows[0]?.n, '0');
    await other.end();
    await server.stopServer();
    await server.start();
    const again = new pg.Client({ connectionString: first });
    await again.connect();
    assert.deepEqual((await again.query('SELECT k FROM t')).rows, [{ k: 1 }]);
    await again.end();
  } finally {
    await server.stop();
  }
});
