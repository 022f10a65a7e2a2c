/**
 * An `--auth` file for tests: two accounts, each with users, and a session (temporary credentials) that is valid
 * and one that has expired. `startCairn({ auth: AUTH_FILE })` serves it; `writeAuthFile` puts it on disk for a
 * started process (`--auth PATH`).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCredentials } from './cairn.js';

export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

export const USER_A: TestCredentials = { accessKeyId: 'AKIAAAAAAAAAAAAAAAA1', secretAccessKey: 'secret-of-app-in-account-a' };
export const USER_A2: TestCredentials = { accessKeyId: 'AKIAAAAAAAAAAAAAAAA2', secretAccessKey: 'secret-of-ops-in-account-a' };
export const USER_B: TestCredentials = { accessKeyId: 'AKIABBBBBBBBBBBBBBB1', secretAccessKey: 'secret-of-app-in-account-b' };
export const SESSION_A: Required<TestCredentials> = {
  accessKeyId: 'ASIAAAAAAAAAAAAAAAA1',
  secretAccessKey: 'secret-of-a-session',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE+token/with+base64=',
};
export const EXPIRED_SESSION_A: Required<TestCredentials> = {
  accessKeyId: 'ASIAAAAAAAAAAAAAAAA2',
  secretAccessKey: 'secret-of-an-expired-session',
  sessionToken: 'FwoGZXIvYXdzEXPIRED+token',
};

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] };

export const AUTH_FILE = {
  accounts: [
    {
      id: ACCOUNT_A,
      users: [
        { name: 'app', ...USER_A, policies: [ALLOW_ALL] },
        { name: 'ops', ...USER_A2, policies: [ALLOW_ALL] },
      ],
      sessions: [
        { roleName: 'reader', sessionName: 'batch-7', ...SESSION_A, expiration: '2099-01-01T00:00:00Z', policies: [ALLOW_ALL] },
        { roleName: 'reader', sessionName: 'old', ...EXPIRED_SESSION_A, expiration: '2020-01-01T00:00:00Z', policies: [ALLOW_ALL] },
      ],
    },
    { id: ACCOUNT_B, users: [{ name: 'app', ...USER_B, policies: [ALLOW_ALL] }] },
  ],
};

/** Writes `content` (default AUTH_FILE) as a file in a fresh temporary directory and returns its path. */
export async function writeAuthFile(content: unknown = AUTH_FILE): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-auth-'));
  const path = join(dir, 'auth.json');
  await writeFile(path, JSON.stringify(content, null, 2));
  return path;
}
