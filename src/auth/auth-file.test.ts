import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthFileError, parseAuthFile } from './auth-file.js';

const user = { name: 'app', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }] };
const session = {
  roleName: 'reader',
  sessionName: 'batch-7',
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 's',
  sessionToken: 'token',
  expiration: '2026-12-31T00:00:00Z',
};

test('users and sessions become keys with their principals', () => {
  const directory = parseAuthFile({ accounts: [{ id: '111122223333', users: [user], sessions: [session] }] });
  assert.deepEqual(directory.accounts, [{ id: '111122223333' }]);
  const key = directory.key('AKIAIOSFODNN7EXAMPLE');
  assert.equal(key?.secretAccessKey, 'wJalrXUtnFEMI');
  assert.equal(key?.session, undefined);
  assert.deepEqual(key?.principal, {
    accountId: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/app',
    userName: 'app',
    userId: key?.principal.userId,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    policies: user.policies,
  });
  assert.match(key?.principal.userId ?? '', /^AIDA[0-9A-F]{17}$/);
  const temporary = directory.key('ASIAIOSFODNN7EXAMPLE');
  assert.deepEqual(temporary?.session, { token: 'token', expiresAt: Date.UTC(2026, 11, 31) });
  assert.equal(temporary?.principal.arn, 'arn:aws:sts::111122223333:assumed-role/reader/batch-7');
  assert.equal(temporary?.principal.userName, undefined);
  assert.match(temporary?.principal.userId ?? '', /^AROA[0-9A-F]{17}:batch-7$/);
  assert.deepEqual(temporary?.principal.policies, []);
  assert.equal(directory.key('AKIAUNKNOWN000000000'), undefined);
});

test('a bad file is refused with the member at fault', () => {
  const cases: ReadonlyArray<readonly [unknown, string]> = [
    [[], 'the file must be a JSON object'],
    [{}, '"accounts" must be a non-empty list'],
    [{ accounts: [] }, '"accounts" must be a non-empty list'],
    [{ accounts: [{ id: '111122223333' }], other: 1 }, 'the file: unknown member "other" (expected "accounts")'],
    [{ accounts: [{}] }, 'accounts[0]: missing "id"'],
    [{ accounts: [{ id: 111122223333 }] }, 'accounts[0]: "id" must be a non-empty string'],
    [{ accounts: [{ id: '1234' }] }, 'accounts[0]: "id" must be a 12-digit AWS account id, not "1234"'],
    [{ accounts: [{ id: '111122223333' }, { id: '111122223333' }] }, 'accounts[1]: account 111122223333 is listed twice'],
    [{ accounts: [{ id: '111122223333', users: {} }] }, 'accounts[0]: "users" must be a list'],
    [{ accounts: [{ id: '111122223333', users: [{ ...user, secretAccessKey: undefined }] }] }, 'accounts[0].users[0]: missing "secretAccessKey"'],
    [{ accounts: [{ id: '111122223333', users: [{ ...user, name: 'a b' }] }] }, 'accounts[0].users[0]: "name" must be 1 to 64 letters, digits or characters of +=,.@_- , not "a b"'],
    [{ accounts: [{ id: '111122223333', users: [{ ...user, accessKeyId: 'short' }] }] }, 'accounts[0].users[0]: "accessKeyId" must be 16 to 128 letters, digits or underscores, not "short"'],
    [{ accounts: [{ id: '111122223333', users: [{ ...user, extra: true }] }] }, 'accounts[0].users[0]: unknown member "extra" (expected "name", "accessKeyId", "secretAccessKey", "policies")'],
    [{ accounts: [{ id: '111122223333', users: [{ ...user, policies: ['x'] }] }] }, 'accounts[0].users[0].policies[0] must be a policy document (a JSON object)'],
    [
      { accounts: [{ id: '111122223333', users: [{ ...user, policies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'dynamodb:*' } }] }] }] },
      'accounts[0].users[0].policies[0] is not a valid IAM policy: Missing required field Resource.',
    ],
    [{ accounts: [{ id: '111122223333', users: [user, { ...user, accessKeyId: 'AKIAOTHEROTHEROTHER1' }] }] }, 'accounts[0].users[1]: user app is listed twice in account 111122223333'],
    [
      { accounts: [{ id: '111122223333', users: [user] }, { id: '444455556666', users: [{ ...user, name: 'other' }] }] },
      'accounts[1].users[0]: access key id AKIAIOSFODNN7EXAMPLE is already used by accounts[0].users[0]',
    ],
    [
      { accounts: [{ id: '111122223333', users: [user], sessions: [{ ...session, accessKeyId: user.accessKeyId }] }] },
      'accounts[0].sessions[0]: access key id AKIAIOSFODNN7EXAMPLE is already used by accounts[0].users[0]',
    ],
    [{ accounts: [{ id: '111122223333', sessions: [{ ...session, sessionToken: '' }] }] }, 'accounts[0].sessions[0]: "sessionToken" must be a non-empty string'],
    [
      { accounts: [{ id: '111122223333', sessions: [{ ...session, expiration: 'tomorrow' }] }] },
      'accounts[0].sessions[0]: "expiration" must be an ISO 8601 date and time such as 2026-12-31T00:00:00Z, not "tomorrow"',
    ],
    [{ accounts: [{ id: '111122223333', sessions: [{ ...session, sessionName: 'x' }] }] }, 'accounts[0].sessions[0]: "sessionName" must be 2 to 64 letters, digits or characters of +=,.@_- , not "x"'],
  ];
  for (const [file, message] of cases) {
    assert.throws(() => parseAuthFile(file), (error: unknown) => error instanceof AuthFileError && error.message === message, message);
  }
});
