import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substituteVariables } from './policy-variables.js';
import { conditionKeys } from './evaluate.js';

const keys = conditionKeys([
  ['aws:username', ['alice']],
  ['aws:userid', ['AIDA1']],
  ['dynamodb:LeadingKeys', ['a', 'b']],
]);

test('policy variables: substituted by single-valued keys (names case-insensitive), defaults, literal escapes', () => {
  assert.equal(substituteVariables('table/${aws:username}', keys), 'table/alice');
  assert.equal(substituteVariables('${AWS:UserName}-${aws:userid}', keys), 'alice-AIDA1');
  assert.equal(substituteVariables('no variables', keys), 'no variables');
  assert.equal(substituteVariables('${aws:missing}', keys), undefined);
  assert.equal(substituteVariables("${aws:missing, 'fallback'}", keys), 'fallback');
  assert.equal(substituteVariables("${aws:username, 'fallback'}", keys), 'alice');
  assert.equal(substituteVariables('${*}${?}${$}', keys), '*?$');
  // A multivalued key cannot be substituted.
  assert.equal(substituteVariables('${dynamodb:LeadingKeys}', keys), undefined);
});
