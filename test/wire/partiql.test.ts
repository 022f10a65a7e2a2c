/**
 * ExecuteStatement through the AWS SDK: every statement form, parameters, Query/Scan planning, ORDER BY, Limit
 * and NextToken pagination, RETURNING, ReturnValuesOnConditionCheckFailure, ConsumedCapacity, and DynamoDB's
 * exact errors (type, message, status).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-dynamodb';
import { compositeKeyTable, hashKeyTable } from '../helpers/tables.js';
import { startCairn, type Cairn } from '../helpers/cairn.js';
import { rejectsWith } from '../helpers/assertions.js';

let cairn: Cairn;
let client: DynamoDBClient;
const HASH = 'pq_hash';
const COMPOSITE = 'pq_composite';
const INDEXED = 'pq_indexed';
const PROJECTED = 'pq_projected';
const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

const run = async (Statement: string, extra: Partial<ExecuteStatementCommandInput> = {}) =>
  client.send(new ExecuteStatementCommand({ Statement, ...extra }));
const items = async (Statement: string, extra: Partial<ExecuteStatementCommandInput> = {}) => (await run(Statement, extra)).Items;
const getHash = async (id: string) =>
  (await client.send(new GetItemCommand({ TableName: HASH, Key: { id: { S: id } }, ConsistentRead: true }))).Item;

/** Every page of a SELECT, following NextToken. */
async function allPages(Statement: string, extra: Partial<ExecuteStatementCommandInput> = {}) {
  const pages: Record<string, AttributeValue>[][] = [];
  let NextToken: string | undefined;
  do {
    const out = await run(Statement, { ...extra, ...(NextToken !== undefined ? { NextToken } : {}) });
    pages.push(out.Items ?? []);
    NextToken = out.NextToken;
  } while (NextToken !== undefined);
  return pages;
}

describe('ExecuteStatement', () => {
  before(async () => {
    cairn = await startCairn({ inMemory: true });
    client = cairn.client;
    await client.send(new CreateTableCommand(hashKeyTable(HASH)));
    await client.send(new CreateTableCommand(compositeKeyTable(COMPOSITE)));
    await client.send(
      new CreateTableCommand({
        TableName: INDEXED,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          { IndexName: 'by_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
      }),
    );
    await client.send(
      new CreateTableCommand({
        TableName: PROJECTED,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'rank', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        LocalSecondaryIndexes: [
          { IndexName: 'by_rank', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'keys_g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
      }),
    );
    for (const sk of [1, 2, 3, 4, 5]) {
      for (const pk of ['a', 'b', 'c']) {
        await client.send(new PutItemCommand({ TableName: COMPOSITE, Item: { pk: { S: pk }, sk: { N: String(sk) }, v: { N: String(sk * 10) } } }));
      }
    }
  });
  after(async () => {
    await cairn.close();
  });

  describe('INSERT', () => {
    test('inserts an item of every literal type, numbers exact and normalised', async () => {
      const out = await run(
        `INSERT INTO "${HASH}" VALUE {'id': 'lit', 's': 'it''s', 'n': 1.50, 'neg': -7, 'big': 12345678901234567890123456789012345678,` +
          ` 'b': TRUE, 'z': NULL, 'l': [1, 'x', [2]], 'm': {'k': {'deep': 'v'}}, 'ss': <<'p', 'q'>>, 'ns': <<3, 1.0>>}`,
      );
      assert.deepEqual(out.Items, []);
      assert.deepEqual(await getHash('lit'), {
        id: { S: 'lit' },
        s: { S: "it's" },
        n: { N: '1.5' },
        neg: { N: '-7' },
        big: { N: '12345678901234567890123456789012345678' },
        b: { BOOL: true },
        z: { NULL: true },
        l: { L: [{ N: '1' }, { S: 'x' }, { L: [{ N: '2' }] }] },
        m: { M: { k: { M: { deep: { S: 'v' } } } } },
        ss: { SS: ['p', 'q'] },
        ns: { NS: ['3', '1'] },
      });
    });

    test('binds parameters, binary only through them', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': ?, 'bin': ?, 'n': ?}`, {
        Parameters: [{ S: 'param' }, { B: Buffer.from('hi') }, { N: '0010.0' }],
      });
      assert.deepEqual(await getHash('param'), { id: { S: 'param' }, bin: { B: new Uint8Array(Buffer.from('hi')) }, n: { N: '10' } });
    });

    test('an existing key is DuplicateItemException and writes nothing', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'dup', 'v': 1}`);
      await rejectsWith(run(`INSERT INTO "${HASH}" VALUE {'id': 'dup', 'v': 2}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
      assert.deepEqual(await getHash('dup'), { id: { S: 'dup' }, v: { N: '1' } });
    });

    test('refuses items without the key, with a key of the wrong type, RETURNING, and non-tuples', async () => {
      await rejectsWith(run(`INSERT INTO "${HASH}" VALUE {'v': 1}`), 'ValidationException', 'Key attribute should be present in the item: Key id');
      await rejectsWith(
        run(`INSERT INTO "${HASH}" VALUE {'id': 1}`),
        'ValidationException',
        "Key attribute's data type should match its data type in table's schema: Key id",
      );
      await rejectsWith(
        run(`INSERT INTO "${HASH}" VALUE {'id': 'r'} RETURNING ALL OLD *`),
        'ValidationException',
        'RETURNING is not supported in INSERT',
      );
      await rejectsWith(
        run(`INSERT INTO "${HASH}" VALUE ['id']`),
        'ValidationException',
        'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
      );
      await rejectsWith(run(`INSERT INTO "${HASH}" VALUE {'id': 'e', 's': <<>>}`), 'ValidationException', 'Empty bags are not supported');
      await rejectsWith(run(`INSERT INTO "${HASH}" VALUE {'id': 'e', 's': <<1, 1>>}`), 'ValidationException', 'Input collection contains duplicates');
      await rejectsWith(run(`INSERT INTO "${HASH}" VALUE {'id': 'e', 'a': 1, 'a': 2}`), 'ValidationException', 'Duplicate keys in tuple. Key: a under item');
      await rejectsWith(
        run(`INSERT INTO "${HASH}" VALUE {'id': 'e', 'n': 123456789012345678901234567890123456789}`),
        'ValidationException',
        'Attempting to store more than 38 significant digits in a Number',
      );
    });
  });

  describe('parameters', () => {
    test('fewer values than ? is refused; the request needs at least one value when it has Parameters', async () => {
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE id = ? AND v = ?`, { Parameters: [{ S: 'x' }] }),
        'ValidationException',
        "Number of parameters in request and statement don't match.",
      );
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE id = ?`, { Parameters: [] }),
        'ValidationException',
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });
  });

  describe('SELECT', () => {
    test('a point read returns the item, projected paths under their last component', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'p', 'm': {'k': [0, {'x': 1}], 'z': 'zz'}, 'top': 't'}`);
      assert.deepEqual(await items(`SELECT * FROM "${HASH}" WHERE id = 'p'`), [
        { id: { S: 'p' }, m: { M: { k: { L: [{ N: '0' }, { M: { x: { N: '1' } } }] }, z: { S: 'zz' } } }, top: { S: 't' } },
      ]);
      assert.deepEqual(await items(`SELECT top, m.z, m.k[1].x FROM "${HASH}" WHERE "id" = ?`, { Parameters: [{ S: 'p' }] }), [
        { top: { S: 't' }, z: { S: 'zz' }, x: { N: '1' } },
      ]);
      assert.deepEqual(await items(`SELECT nothing FROM "${HASH}" WHERE id = 'p'`), [{}]);
      assert.deepEqual(await items(`SELECT * FROM "${HASH}" WHERE id = 'absent'`), []);
      assert.deepEqual(await items(`SELECT * FROM "${HASH}" WHERE id = 'p' AND top = 'other'`), []);
      await rejectsWith(run(`SELECT m.z, z FROM "${HASH}" WHERE id = 'p'`), 'ValidationException', 'Duplicate identifiers in select clause: z');
    });

    test('a partition key = is a Query in sort key order; ORDER BY DESC reverses it', async () => {
      const query = await items(`SELECT sk FROM "${COMPOSITE}" WHERE pk = 'b' AND sk > 2`);
      assert.deepEqual(query, [{ sk: { N: '3' } }, { sk: { N: '4' } }, { sk: { N: '5' } }]);
      const between = await items(`SELECT sk FROM "${COMPOSITE}" WHERE pk = 'b' AND sk BETWEEN 2 AND 3 ORDER BY sk DESC`);
      assert.deepEqual(between, [{ sk: { N: '3' } }, { sk: { N: '2' } }]);
      const filtered = await items(`SELECT v FROM "${COMPOSITE}" WHERE pk = 'a' AND (v = 20 OR v >= 50)`);
      assert.deepEqual(filtered, [{ v: { N: '20' } }, { v: { N: '50' } }]);
    });

    test('IN on the partition key runs one Query per value, in ORDER BY order', async () => {
      const out = await items(`SELECT pk, sk FROM "${COMPOSITE}" WHERE pk IN ['c', 'a'] AND sk <= 2 ORDER BY pk DESC`);
      assert.deepEqual(out, [
        { pk: { S: 'c' }, sk: { N: '2' } },
        { pk: { S: 'c' }, sk: { N: '1' } },
        { pk: { S: 'a' }, sk: { N: '2' } },
        { pk: { S: 'a' }, sk: { N: '1' } },
      ]);
      const unordered = await items(`SELECT pk, sk FROM "${COMPOSITE}" WHERE (pk = 'c' OR pk = 'a') AND sk = 5`);
      assert.deepEqual(unordered, [
        { pk: { S: 'c' }, sk: { N: '5' } },
        { pk: { S: 'a' }, sk: { N: '5' } },
      ]);
    });

    test('anything else is a Scan with the WHERE as filter', async () => {
      const out = await items(`SELECT pk, sk FROM "${COMPOSITE}" WHERE v > 40 AND begins_with(pk, 'b') AND sk IS NOT MISSING`);
      assert.deepEqual(out, [{ pk: { S: 'b' }, sk: { N: '5' } }]);
      assert.equal((await items(`SELECT * FROM "${COMPOSITE}"`))?.length, 15);
      assert.equal((await items(`SELECT * FROM "${COMPOSITE}" WHERE attribute_type(v, 'N') AND size(pk) = 1 AND NOT contains(pk, 'z')`))?.length, 15);
      assert.deepEqual(await items(`SELECT * FROM "${COMPOSITE}" WHERE nope IS NOT MISSING`), []);
    });

    test('Limit counts items read; NextToken resumes, across the partitions of an IN', async () => {
      const pages = await allPages(`SELECT pk, sk FROM "${COMPOSITE}" WHERE pk IN ['a', 'b'] AND sk >= 3`, { Limit: 2 });
      assert.deepEqual(
        pages.map((page) => page.map((item) => `${item.pk?.S}${item.sk?.N}`)),
        // The page that stops at Limit carries a token even when nothing follows (DynamoDB does not look ahead).
        [['a3', 'a4'], ['a5', 'b3'], ['b4', 'b5'], []],
      );
      const scan = await allPages(`SELECT pk, sk FROM "${COMPOSITE}"`, { Limit: 4 });
      assert.deepEqual(scan.map((page) => page.length), [4, 4, 4, 3]);
      assert.equal(new Set(scan.flat().map((item) => `${item.pk?.S}${item.sk?.N}`)).size, 15);
      // A filter applies after Limit: a page can be empty and still have a token.
      const sparse = await run(`SELECT * FROM "${COMPOSITE}" WHERE v = 50`, { Limit: 1 });
      assert.equal(sparse.Items?.length ?? 0, sparse.Items?.[0] === undefined ? 0 : 1);
      assert.notEqual(sparse.NextToken, undefined);
    });

    test('a tampered token, or one from another statement, is refused', async () => {
      const { NextToken } = await run(`SELECT * FROM "${COMPOSITE}"`, { Limit: 1 });
      assert.ok(NextToken);
      const tampered = `${NextToken.slice(0, 5)}${NextToken[5] === 'A' ? 'B' : 'A'}${NextToken.slice(6)}`;
      await rejectsWith(run(`SELECT * FROM "${COMPOSITE}"`, { NextToken: tampered }), 'ValidationException', 'Invalid NextToken');
      await rejectsWith(run(`SELECT * FROM "${COMPOSITE}"`, { NextToken: 'garbage' }), 'ValidationException', 'Invalid NextToken');
      await rejectsWith(
        run(`SELECT pk FROM "${COMPOSITE}"`, { NextToken }),
        'ValidationException',
        'NextToken does not match request',
      );
      // Another Limit or ConsistentRead keeps the token valid.
      const next = await run(`SELECT * FROM "${COMPOSITE}"`, { NextToken, Limit: 2, ConsistentRead: true });
      assert.equal(next.Items?.length, 2);
    });

    test('pages stop at 1 MB of items read', async () => {
      const big = 'x'.repeat(100_000);
      for (let i = 0; i < 12; i++) await run(`INSERT INTO "${INDEXED}" VALUE {'pk': ?, 'g': 'big', 'blob': ?}`, { Parameters: [{ S: `big${i}` }, { S: big }] });
      const pages = await allPages(`SELECT pk FROM "${INDEXED}"."by_g" WHERE g = 'big'`);
      // 11 items of ~100 KB reach 1 MB (the item that crosses the mark is part of the page).
      assert.deepEqual(pages.map((page) => page.length), [11, 1]);
    });

    test('an index is read by its own key; ConsistentRead on a GSI is refused', async () => {
      await run(`INSERT INTO "${INDEXED}" VALUE {'pk': 'i1', 'g': 'green'}`);
      await run(`INSERT INTO "${INDEXED}" VALUE {'pk': 'i2', 'g': 'green'}`);
      await run(`INSERT INTO "${INDEXED}" VALUE {'pk': 'i3'}`);
      const out = await items(`SELECT pk FROM "${INDEXED}"."by_g" WHERE g = 'green'`);
      assert.deepEqual(out?.map((item) => item.pk?.S).sort(), ['i1', 'i2']);
      await rejectsWith(
        run(`SELECT * FROM "${INDEXED}"."by_g" WHERE g = 'green'`, { ConsistentRead: true }),
        'ValidationException',
        'Strongly consistent read is not supported on Global Secondary Indexes',
      );
    });

    test('SELECT * on a KEYS_ONLY index returns what it projects; an LSI reads in its own sort order', async () => {
      for (const [sk, rank] of [[1, 30], [2, 10], [3, 20]] as const) {
        await run(`INSERT INTO "${PROJECTED}" VALUE {'pk': 'p', 'sk': ${sk}, 'rank': ${rank}, 'g': 'k', 'other': 'x'}`);
      }
      assert.deepEqual(await items(`SELECT * FROM "${PROJECTED}"."keys_g" WHERE g = 'k' AND sk = 2`), [
        { pk: { S: 'p' }, sk: { N: '2' }, g: { S: 'k' } },
      ]);
      assert.deepEqual(
        (await items(`SELECT sk FROM "${PROJECTED}"."by_rank" WHERE pk = 'p' AND rank >= 20`))?.map((item) => item.sk?.N),
        ['3', '1'],
      );
      // An LSI fetches from the table what it does not hold, as a Query on it does.
      assert.deepEqual(await items(`SELECT other FROM "${PROJECTED}"."by_rank" WHERE pk = 'p' AND rank = 10`), [{ other: { S: 'x' } }]);
      // A write that moves an item in an index is seen there at once (the one write path maintains indexes).
      await run(`UPDATE "${PROJECTED}" SET rank = 5 WHERE pk = 'p' AND sk = 1`);
      assert.deepEqual(
        (await items(`SELECT sk FROM "${PROJECTED}"."by_rank" WHERE pk = 'p'`))?.map((item) => item.sk?.N),
        ['1', '2', '3'],
      );
      const pages = await allPages(`SELECT sk FROM "${PROJECTED}"."by_rank" WHERE pk = 'p' ORDER BY rank DESC`, { Limit: 2 });
      assert.deepEqual(pages.map((page) => page.map((item) => item.sk?.N)), [['3', '2'], ['1']]);
    });

    test('ORDER BY rules', async () => {
      await rejectsWith(
        run(`SELECT * FROM "${COMPOSITE}" ORDER BY sk`),
        'ValidationException',
        'Must have WHERE clause in the statement when using ORDER BY clause.',
      );
      await rejectsWith(
        run(`SELECT * FROM "${COMPOSITE}" WHERE sk = 1 ORDER BY sk`),
        'ValidationException',
        'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
      );
      await rejectsWith(
        run(`SELECT * FROM "${COMPOSITE}" WHERE pk = 'a' ORDER BY v`),
        'ValidationException',
        'Variable reference v in ORDER BY clause must be part of the primary key',
      );
      await rejectsWith(
        run(`SELECT * FROM "${COMPOSITE}" WHERE pk IN ['a', 'b'] ORDER BY sk`),
        'ValidationException',
        'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
      );
    });

    test('unsupported clauses and projections', async () => {
      await rejectsWith(run(`SELECT * FROM "${HASH}" LIMIT 1`), 'ValidationException', 'Unsupported clause: LIMIT');
      await rejectsWith(run(`SELECT DISTINCT id FROM "${HASH}"`), 'ValidationException', 'Unsupported token in expression: DISTINCT');
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE exists(id)`),
        'ValidationException',
        `EXISTS can only be used in ExecuteTransaction write requests. at 1:${`SELECT * FROM "${HASH}" WHERE `.length + 1}:6`,
      );
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE nofunc(id)`),
        'ValidationException',
        `Unrecognized function: nofunc at 1:${`SELECT * FROM "${HASH}" WHERE `.length + 1}:6`,
      );
    });
  });

  describe('UPDATE', () => {
    test('SET and REMOVE with arithmetic, list_append, set_add, set_delete; RETURNING', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'u', 'n': 1, 'l': [1], 's': <<'a', 'b'>>, 'gone': 'x', 'm': {'a': 1}}`);
      const out = await run(
        `UPDATE "${HASH}" SET n = n + 2 SET l = list_append(l, [2, 3]) SET s = set_add(s, <<'c'>>) REMOVE gone SET m.b = 'new' WHERE id = 'u' RETURNING ALL NEW *`,
      );
      assert.deepEqual(out.Items, [
        { id: { S: 'u' }, n: { N: '3' }, l: { L: [{ N: '1' }, { N: '2' }, { N: '3' }] }, s: { SS: ['a', 'b', 'c'] }, m: { M: { a: { N: '1' }, b: { S: 'new' } } } },
      ]);
      const modified = await run(`UPDATE "${HASH}" SET s = set_delete(s, <<'a'>>), n = 10 WHERE id = 'u' RETURNING MODIFIED OLD *`);
      assert.deepEqual(modified.Items, [{ s: { SS: ['a', 'b', 'c'] }, n: { N: '3' } }]);
      assert.deepEqual((await getHash('u'))?.s, { SS: ['b', 'c'] });
      const plain = await run(`UPDATE "${HASH}" SET n = n - 1 WHERE id = 'u' AND n = 10`);
      assert.deepEqual(plain.Items, []);
      assert.deepEqual((await getHash('u'))?.n, { N: '9' });
    });

    test('an UPDATE never creates an item: absent item and false condition are ConditionalCheckFailedException', async () => {
      await rejectsWith(
        run(`UPDATE "${HASH}" SET v = 1 WHERE id = 'never'`),
        'ConditionalCheckFailedException',
        'The conditional request failed',
      );
      assert.equal(await getHash('never'), undefined);
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'cond', 'v': 1}`);
      const error = await rejectsWith(
        run(`UPDATE "${HASH}" SET v = 2 WHERE id = 'cond' AND v = 5`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        'ConditionalCheckFailedException',
        'The conditional request failed',
      );
      assert.deepEqual(error.Item, { id: { S: 'cond' }, v: { N: '1' } });
    });

    test('the WHERE must fix the whole key; keys cannot be set', async () => {
      await rejectsWith(
        run(`UPDATE "${COMPOSITE}" SET v = 1 WHERE pk = 'a'`),
        'ValidationException',
        'Where clause does not contain a mandatory equality on all key attributes',
      );
      await rejectsWith(
        run(`UPDATE "${COMPOSITE}" SET v = 1 WHERE pk = 'a' AND sk = 1 AND sk = 2`),
        'ValidationException',
        'Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported',
      );
      await rejectsWith(
        run(`UPDATE "${COMPOSITE}" SET v = 1 WHERE pk = 'a' AND sk = 'one'`),
        'ValidationException',
        "Key attribute's data type should match its data type in table's schema: Key sk",
      );
    });
  });

  describe('DELETE', () => {
    test('deletes by key, RETURNING ALL OLD, absent item succeeds, false condition fails', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'd1', 'v': 1}`);
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'd2', 'v': 2}`);
      assert.deepEqual((await run(`DELETE FROM "${HASH}" WHERE id = 'd1'`)).Items, []);
      assert.equal(await getHash('d1'), undefined);
      assert.deepEqual((await run(`DELETE FROM "${HASH}" WHERE id = 'absent' AND v = 9`)).Items, []);
      await rejectsWith(run(`DELETE FROM "${HASH}" WHERE id = 'd2' AND v = 9`), 'ConditionalCheckFailedException', 'The conditional request failed');
      assert.deepEqual((await run(`DELETE FROM "${HASH}" WHERE id = 'd2' AND v = 2 RETURNING ALL OLD *`)).Items, [
        { id: { S: 'd2' }, v: { N: '2' } },
      ]);
      await rejectsWith(
        run(`DELETE FROM "${HASH}" WHERE id = 'd2' RETURNING ALL NEW *`),
        'ValidationException',
        'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
      );
      await rejectsWith(
        run(`DELETE FROM "${INDEXED}"."by_g" WHERE pk = 'x'`),
        'ValidationException',
        'This operation is not supported on an index',
      );
    });
  });

  describe('errors', () => {
    test('unknown tables and indexes, syntax, EXISTS outside transactions, statement length', async () => {
      await rejectsWith(run(`SELECT * FROM "nope"`), 'ResourceNotFoundException', 'Requested resource not found');
      await rejectsWith(run(`SELECT * FROM "nope"."idx"`), 'ResourceNotFoundException', 'Requested resource not found');
      await rejectsWith(run(`SELECT * FROM "${INDEXED}"."nope"`), 'ValidationException', 'The table does not have the specified index');
      await rejectsWith(run(`SELECT * FROM "${HASH}" WHERE`), 'ValidationException', `${NOT_WELL_FORMED}Unexpected term`);
      await rejectsWith(
        run(`EXISTS(SELECT * FROM "${HASH}" WHERE id = 'a')`),
        'ValidationException',
        'EXISTS can only be used in ExecuteTransaction write requests.',
      );
      const long = `SELECT * FROM "${HASH}" WHERE id = '${'x'.repeat(8192)}'`;
      await assert.rejects(run(long), (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'ValidationException');
        assert.equal(error.$metadata.httpStatusCode, 400);
        assert.match(error.message, /^1 validation error detected: Value '.*' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192$/s);
        return true;
      });
    });

    test('IN takes at most 50 partition-key values and 100 values elsewhere', async () => {
      const strings = (count: number) => Array.from({ length: count }, (_, i) => `'v${i}'`).join(', ');
      assert.deepEqual(await items(`SELECT * FROM "${HASH}" WHERE id IN [${strings(50)}]`), []);
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE id IN [${strings(51)}]`),
        'ValidationException',
        'Too many decomposed read operations for a given query.',
      );
      assert.deepEqual(await items(`SELECT * FROM "${HASH}" WHERE colour IN [${strings(100)}]`), []);
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE colour IN [${strings(101)}]`),
        'ValidationException',
        'The IN operator is provided with too many operands; number of operands: 101',
      );
    });

    test('request members are checked against the service model', async () => {
      await rejectsWith(
        run(`SELECT * FROM "${HASH}"`, { Limit: 0 }),
        'ValidationException',
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await rejectsWith(
        run(`DELETE FROM "${HASH}" WHERE id = 'x'`, { ReturnValuesOnConditionCheckFailure: 'ALL_NEW' as 'ALL_OLD' }),
        'ValidationException',
        "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
      );
      await rejectsWith(
        run(`SELECT * FROM "${HASH}" WHERE id = ?`, { Parameters: [{ N: '1e400' }] }),
        'ValidationException',
        'Number overflow. Attempting to store a number with magnitude larger than supported range',
      );
    });

    test('ConsumedCapacity: a point SELECT as GetItem, an INSERT as PutItem', async () => {
      await run(`INSERT INTO "${HASH}" VALUE {'id': 'cap'}`);
      const read = await run(`SELECT * FROM "${HASH}" WHERE id = 'cap'`, { ReturnConsumedCapacity: 'TOTAL' });
      assert.deepEqual(read.ConsumedCapacity, { TableName: HASH, CapacityUnits: 0.5 });
      const consistent = await run(`SELECT * FROM "${HASH}" WHERE id = 'cap'`, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
      assert.deepEqual(consistent.ConsumedCapacity, { TableName: HASH, CapacityUnits: 1 });
      const write = await run(`INSERT INTO "${HASH}" VALUE {'id': 'cap2'}`, { ReturnConsumedCapacity: 'INDEXES' });
      assert.deepEqual(write.ConsumedCapacity, { TableName: HASH, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    });
  });
});

describe('ExecuteStatement in the metrics', () => {
  let metered: Cairn;
  before(async () => {
    metered = await startCairn({ inMemory: true, capacity: { mode: 'account' } });
    await metered.client.send(new CreateTableCommand(compositeKeyTable('pq_metered')));
  });
  after(async () => {
    await metered.close();
  });

  test('units, scanned and returned items are counted under the statement\'s table', async () => {
    const send = (Statement: string) => metered.client.send(new ExecuteStatementCommand({ Statement }));
    for (const sk of [1, 2, 3]) await send(`INSERT INTO "pq_metered" VALUE {'pk': 'a', 'sk': ${sk}}`);
    await send(`SELECT * FROM "pq_metered" WHERE pk = 'a' AND sk >= 2`);
    const text = (await metered.rawRequest({ method: 'GET', path: '/metrics' })).bytes.toString('utf8');
    const lines = text.split('\n').filter((line) => /^cairn_(consumed_(read|write)_capacity_units|scanned_item_count|returned_item_count)_total\{table="pq_metered"/.test(line));
    assert.deepEqual(lines, [
      'cairn_consumed_read_capacity_units_total{table="pq_metered",index="",operation="ExecuteStatement"} 0.5',
      'cairn_consumed_write_capacity_units_total{table="pq_metered",index="",operation="ExecuteStatement"} 3',
      'cairn_returned_item_count_total{table="pq_metered",index="",operation="ExecuteStatement"} 2',
      'cairn_scanned_item_count_total{table="pq_metered",index="",operation="ExecuteStatement"} 2',
    ]);
  });
});
