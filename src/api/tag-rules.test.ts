import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDbError } from '../errors.js';
import { checkTagKeys, checkTags, tagKeyProblem } from './tag-rules.js';

function message(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DynamoDbError);
    assert.equal(error.type, 'ValidationException');
    return error.message;
  }
}

test('tag keys: 1 to 128 characters (code points) of letters, numbers, spaces and + - = . _ : / @', () => {
  assert.equal(tagKeyProblem('a'.repeat(128)), undefined);
  assert.equal(tagKeyProblem('表'.repeat(128)), undefined);
  assert.equal(tagKeyProblem('𝒜'.repeat(128)), undefined, 'a character outside the BMP counts once');
  assert.equal(tagKeyProblem('a+b-c=d.e_f:g/h@i j\u3000k'), undefined);
  assert.equal(tagKeyProblem('a'.repeat(129)), `The Tag Key provided is invalid, Key: ${'a'.repeat(129)}`);
  assert.equal(tagKeyProblem(''), 'The Tag Key provided is invalid, Key: ');
  assert.equal(tagKeyProblem(undefined), 'The Tag Key provided is invalid, Key: null');
  for (const bad of ['a#b', 'a,b', '100%', '(x)', 'a*b', 'a;b', 'a?b', 'a|b', 'a\\b', '<a>', '~a', "it's", '🔑']) {
    assert.equal(tagKeyProblem(bad), `The Tag Key provided is invalid, Key: ${bad}`, bad);
  }
  assert.equal(tagKeyProblem('aws:x'), 'Tag Key cannot be prefixed with aws:, Key: aws:x');
});

test('a request: each tag in order (key, then value), then repeated keys', () => {
  assert.equal(message(() => checkTags([{ Key: 'k', Value: '' }, { Key: 'l', Value: 'v'.repeat(256) }])), undefined);
  assert.equal(message(() => checkTags([{ Key: 'k', Value: 'v'.repeat(257) }])), `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`);
  assert.equal(message(() => checkTags([{ Key: 'k' }])), 'The Tag Value provided is invalid, Value: null');
  assert.equal(message(() => checkTags([{ Key: '', Value: 'bad%' }])), 'The Tag Key provided is invalid, Key: ');
  assert.equal(
    message(() => checkTags([{ Key: 'd', Value: '1' }, { Key: 'd', Value: 'bad%' }])),
    'The Tag Value provided is invalid, Value: bad%',
  );
  assert.equal(
    message(() => checkTags([{ Key: 'd', Value: '1' }, { Key: 'd', Value: '2' }])),
    'Duplicate Tag Keys provided as input: Duplicate Tag Key found d',
  );
});

test('UntagResource keys: valid keys (aws: included), at most 50', () => {
  assert.equal(message(() => checkTagKeys(['a', 'aws:x'])), undefined);
  assert.equal(message(() => checkTagKeys(['a', ''])), 'The Tag Key provided is invalid, Key: ');
  assert.equal(message(() => checkTagKeys(Array.from({ length: 50 }, (_, i) => `k${i}`))), undefined);
  assert.equal(
    message(() => checkTagKeys(Array.from({ length: 51 }, (_, i) => `k${i}`))),
    'Number of Tags exceed the current limit for the provided ResourceArn',
  );
});
