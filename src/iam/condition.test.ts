import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsHold } from './condition.js';
import { parseConditionOperator } from './condition-operator.js';
import type { ConditionClause } from './policy-document.js';
import { conditionKeys } from './evaluate.js';

function clause(operator: string, key: string, values: string[]): ConditionClause {
  const parsed = parseConditionOperator(operator);
  assert.ok(parsed, operator);
  return { operator: parsed, key, values };
}

const keys = conditionKeys([
  ['aws:username', ['alice']],
  ['aws:userid', ['AIDAALICE']],
  ['aws:SourceIp', ['127.0.0.1']],
  ['aws:SecureTransport', ['false']],
  ['aws:CurrentTime', ['2026-06-01T12:00:00Z']],
  ['aws:PrincipalArn', ['arn:aws:iam::111122223333:user/alice']],
  ['dynamodb:LeadingKeys', ['alice']],
  ['dynamodb:Attributes', ['id', 'name']],
  ['dynamodb:ReturnValues', ['NONE']],
  ['test:Number', ['42']],
]);

test('condition operators: each against present and absent keys, with IfExists, and variables in values', () => {
  const cases: [ConditionClause, boolean][] = [
    [clause('StringEquals', 'aws:username', ['alice']), true],
    [clause('StringEquals', 'AWS:UserName', ['alice']), true],
    [clause('StringEquals', 'aws:username', ['Alice']), false],
    [clause('StringEquals', 'aws:username', ['bob', 'alice']), true],
    [clause('StringNotEquals', 'aws:username', ['alice']), false],
    [clause('StringNotEquals', 'aws:username', ['bob']), true],
    [clause('StringEqualsIgnoreCase', 'aws:username', ['ALICE']), true],
    [clause('StringNotEqualsIgnoreCase', 'aws:username', ['ALICE']), false],
    [clause('StringLike', 'aws:username', ['al*']), true],
    [clause('StringLike', 'aws:username', ['al?ce']), true],
    [clause('StringNotLike', 'aws:username', ['b*']), true],
    [clause('NumericEquals', 'test:Number', ['42']), true],
    [clause('NumericNotEquals', 'test:Number', ['42']), false],
    [clause('NumericLessThan', 'test:Number', ['43']), true],
    [clause('NumericLessThanEquals', 'test:Number', ['42']), true],
    [clause('NumericGreaterThan', 'test:Number', ['42']), false],
    [clause('NumericGreaterThanEquals', 'test:Number', ['42']), true],
    [clause('NumericEquals', 'aws:username', ['42']), false],
    [clause('DateLessThan', 'aws:CurrentTime', ['2027-01-01T00:00:00Z']), true],
    [clause('DateGreaterThan', 'aws:CurrentTime', ['2027-01-01T00:00:00Z']), false],
    [clause('DateGreaterThanEquals', 'aws:CurrentTime', ['1780315200']), true],
    [clause('DateEquals', 'aws:CurrentTime', ['2026-06-01T12:00:00.000Z']), true],
    [clause('DateNotEquals', 'aws:CurrentTime', ['2026-06-01T12:00:00Z']), false],
    [clause('Bool', 'aws:SecureTransport', ['false']), true],
    [clause('Bool', 'aws:SecureTransport', ['true']), false],
    [clause('IpAddress', 'aws:SourceIp', ['127.0.0.0/8']), true],
    [clause('IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '127.0.0.1']), true],
    [clause('IpAddress', 'aws:SourceIp', ['::1/128']), false],
    [clause('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8']), true],
    [clause('ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:user/al*']), true],
    [clause('ArnEquals', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:user/alice']), true],
    [clause('ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:user/al*']), false],
    [clause('ArnNotEquals', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:user/bob']), true],
    [clause('Null', 'aws:username', ['false']), true],
    [clause('Null', 'aws:username', ['true']), false],
    [clause('Null', 'aws:TokenIssueTime', ['true']), true],
    // Absent keys: false for positive operators, true for negated ones and IfExists.
    [clause('StringEquals', 'aws:nope', ['x']), false],
    [clause('StringNotEquals', 'aws:nope', ['x']), true],
    [clause('StringEqualsIfExists', 'aws:nope', ['x']), true],
    [clause('StringEqualsIfExists', 'aws:username', ['x']), false],
    [clause('NumericLessThanIfExists', 'aws:nope', ['1']), true],
    // Variables.
    [clause('StringEquals', 'dynamodb:LeadingKeys', ['${aws:username}']), true],
    [clause('StringEquals', 'dynamodb:LeadingKeys', ['${aws:userid}']), false],
    [clause('StringEquals', 'dynamodb:LeadingKeys', ['${aws:nope}']), false],
    [clause('StringLike', 'aws:PrincipalArn', ['*/${aws:username}']), true],
    [clause('StringEquals', 'aws:username', ['${*}']), false],
    // Multivalued keys.
    [clause('ForAllValues:StringEquals', 'dynamodb:Attributes', ['id', 'name', 'age']), true],
    [clause('ForAllValues:StringEquals', 'dynamodb:Attributes', ['id']), false],
    [clause('ForAnyValue:StringEquals', 'dynamodb:Attributes', ['name']), true],
    [clause('ForAnyValue:StringEquals', 'dynamodb:Attributes', ['secret']), false],
    [clause('ForAllValues:StringNotEquals', 'dynamodb:Attributes', ['secret']), true],
    [clause('ForAllValues:StringNotEquals', 'dynamodb:Attributes', ['name']), false],
    [clause('ForAnyValue:StringNotEquals', 'dynamodb:Attributes', ['name']), true],
    [clause('ForAllValues:StringLike', 'dynamodb:Attributes', ['*']), true],
    [clause('StringEquals', 'dynamodb:Attributes', ['name']), true],
    [clause('StringNotEquals', 'dynamodb:Attributes', ['name']), false],
    // An absent (or empty) set: ForAllValues holds vacuously, ForAnyValue does not.
    [clause('ForAllValues:StringEquals', 'dynamodb:Select', ['COUNT']), true],
    [clause('ForAnyValue:StringEquals', 'dynamodb:Select', ['COUNT']), false],
  ];
  for (const [entry, expected] of cases) {
    assert.equal(conditionsHold([entry], keys, true), expected, `${entry.operator.name} ${entry.key} ${JSON.stringify(entry.values)}`);
  }
  assert.equal(conditionsHold([clause('ForAllValues:StringEquals', 'dynamodb:LeadingKeys', ['x'])], conditionKeys([['dynamodb:LeadingKeys', []]]), true), true);
  // AND across clauses.
  assert.equal(conditionsHold([clause('StringEquals', 'aws:username', ['alice']), clause('Bool', 'aws:SecureTransport', ['true'])], keys, true), false);
  assert.equal(conditionsHold([clause('StringEquals', 'aws:username', ['alice']), clause('Bool', 'aws:SecureTransport', ['false'])], keys, true), true);
  // Without variables (Version 2008-10-17), `${...}` is literal text.
  assert.equal(conditionsHold([clause('StringEquals', 'dynamodb:LeadingKeys', ['${aws:username}'])], keys, false), false);
});

test('condition operator names: prefixes, IfExists, and unknown names', () => {
  assert.deepEqual(parseConditionOperator('ForAnyValue:StringLikeIfExists'), { name: 'ForAnyValue:StringLikeIfExists', base: 'StringLike', set: 'ForAnyValue', ifExists: true, negated: false });
  assert.equal(parseConditionOperator('StringNotEquals')?.negated, true);
  assert.equal(parseConditionOperator('stringequals'), undefined);
  assert.equal(parseConditionOperator('NullIfExists'), undefined);
  assert.equal(parseConditionOperator('IfExists'), undefined);
});
