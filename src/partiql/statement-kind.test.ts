import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatement } from './parser.js';
import { statementKind } from './statement-kind.js';

test('statementKind: SELECT reads, INSERT/UPDATE/DELETE write, EXISTS is a check, other expressions are neither', () => {
  const cases: [string, string][] = [
    [`SELECT * FROM "t" WHERE pk = 1`, 'read'],
    [`INSERT INTO "t" VALUE {'pk': 1}`, 'write'],
    [`UPDATE "t" SET a = 1 WHERE pk = 1`, 'write'],
    [`DELETE FROM "t" WHERE pk = 1`, 'write'],
    [`EXISTS(SELECT * FROM "t" WHERE pk = 1 AND a = 2)`, 'exists'],
    [`1 + 1`, 'other'],
  ];
  for (const [text, kind] of cases) assert.equal(statementKind(parseStatement(text).statement), kind, text);
});
