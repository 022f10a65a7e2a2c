/**
 * The `--auth` file: the accounts Cairn serves and the keys that may sign requests for them.
 *
 *   { "accounts": [ { "id": "111122223333",
 *       "users": [ { "name": "app", "accessKeyId": "AKIA...", "secretAccessKey": "...", "policies": [ ... ] } ],
 *       "sessions": [ { "roleName": "reader", "sessionName": "batch-7", "accessKeyId": "ASIA...",
 *                       "secretAccessKey": "...", "sessionToken": "...", "expiration": "2026-12-31T00:00:00Z",
 *                       "policies": [ ... ] } ] } ] }
 *
 * A user is a long-term key (IAM user, `arn:aws:iam::<account>:user/<name>`); a session is what STS AssumeRole
 * hands out (`arn:aws:sts::<account>:assumed-role/<role>/<session>`): a key that is only valid with its session
 * token (X-Amz-Security-Token) and until its expiration. Policies are kept as the JSON they are, after their grammar
 * is checked (src/iam/policy-document.ts). The file is checked whole at start-up and a bad one refuses to start: an access
 * key id used twice, a missing or mistyped field, an account id that is not 12 digits, an unknown member.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Principal } from './principal.js';
import { parsePolicyDocument, PolicyDocumentError } from '../iam/policy-document.js';

/** A key that may sign requests, with what it stands for. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principal: Principal;
  /** Present for a session's key: the token it must be sent with and when it stops being valid (epoch ms). */
  readonly session?: { readonly token: string; readonly expiresAt: number };
}

export interface AuthAccount {
  readonly id: string;
}

/** The parsed file: its accounts and a lookup of keys by access key id. */
export class AuthDirectory {
  private readonly keys: ReadonlyMap<string, AccessKey>;

  constructor(
    readonly accounts: readonly AuthAccount[],
    keys: readonly AccessKey[],
  ) {
    this.keys = new Map(keys.map((key) => [key.accessKeyId, key]));
  }

  key(accessKeyId: string): AccessKey | undefined {
    return this.keys.get(accessKeyId);
  }

  /** The first long-term key of the user `name` of `accountId` (a session's key is never a user's). */
  userKey(accountId: string, name: string): AccessKey | undefined {
    for (const key of this.keys.values()) {
      if (key.session === undefined && key.principal.accountId === accountId && key.principal.userName === name) return key;
    }
    return undefined;
  }
}

export class AuthFileError extends Error {}

/** IAM's pattern for user, role and session names (`[\w+=,.@-]`), with its lengths. */
const IAM_NAME = /^[\w+=,.@-]+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** IAM access key ids: word characters, 16 to 128 of them. */
const ACCESS_KEY_ID = /^\w{16,128}$/;

/** Reads and checks the file; every problem is an AuthFileError naming the file and the member. */
export function loadAuthFile(path: string): AuthDirectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AuthFileError(`auth file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AuthFileError(`auth file ${path}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseAuthFile(parsed);
  } catch (error) {
    if (error instanceof AuthFileError) throw new AuthFileError(`auth file ${path}: ${error.message}`);
    throw error;
  }
}

/** Checks a parsed file (see the module comment for its shape). */
export function parseAuthFile(parsed: unknown): AuthDirectory {
  const root = object(parsed, 'the file', ['accounts']);
  const accountsValue = root.accounts;
  if (!Array.isArray(accountsValue) || accountsValue.length === 0) throw new AuthFileError('"accounts" must be a non-empty list');
  const accounts: AuthAccount[] = [];
  const keys: AccessKey[] = [];
  const keyOwners = new Map<string, string>();
  const addKey = (key: AccessKey, where: string): void => {
    const previous = keyOwners.get(key.accessKeyId);
    if (previous !== undefined) throw new AuthFileError(`${where}: access key id ${key.accessKeyId} is already used by ${previous}`);
    keyOwners.set(key.accessKeyId, where);
    keys.push(key);
  };
  const accountIds = new Set<string>();
  accountsValue.forEach((rawAccount: unknown, a: number) => {
    const where = `accounts[${a}]`;
    const account = object(rawAccount, where, ['id', 'users', 'sessions']);
    const id = requiredString(account, 'id', where);
    if (!ACCOUNT_ID.test(id)) throw new AuthFileError(`${where}: "id" must be a 12-digit AWS account id, not "${id}"`);
    if (accountIds.has(id)) throw new AuthFileError(`${where}: account ${id} is listed twice`);
    accountIds.add(id);
    accounts.push({ id });
    const userNames = new Set<string>();
    list(account, 'users', where).forEach((rawUser, u) => {
      const userWhere = `${where}.users[${u}]`;
      const user = object(rawUser, userWhere, ['name', 'accessKeyId', 'secretAccessKey', 'policies']);
      const name = iamName(user, 'name', userWhere, 1, 64);
      if (userNames.has(name)) throw new AuthFileError(`${userWhere}: user ${name} is listed twice in account ${id}`);
      userNames.add(name);
      const accessKeyId = accessKey(user, userWhere);
      addKey(
        {
          accessKeyId,
          secretAccessKey: requiredString(user, 'secretAccessKey', userWhere),
          principal: {
            accountId: id,
            arn: `arn:aws:iam::${id}:user/${name}`,
            userName: name,
            userId: uniqueId('AIDA', `${id}/user/${name}`),
            accessKeyId,
            policies: policies(user, userWhere),
          },
        },
        userWhere,
      );
    });
    list(account, 'sessions', where).forEach((rawSession, s) => {
      const sessionWhere = `${where}.sessions[${s}]`;
      const session = object(rawSession, sessionWhere, [
        'roleName',
        'sessionName',
        'accessKeyId',
        'secretAccessKey',
        'sessionToken',
        'expiration',
        'policies',
      ]);
      const roleName = iamName(session, 'roleName', sessionWhere, 1, 64);
      const sessionName = iamName(session, 'sessionName', sessionWhere, 2, 64);
      const expiration = requiredString(session, 'expiration', sessionWhere);
      const expiresAt = Date.parse(expiration);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(expiration) || Number.isNaN(expiresAt)) {
        throw new AuthFileError(`${sessionWhere}: "expiration" must be an ISO 8601 date and time such as 2026-12-31T00:00:00Z, not "${expiration}"`);
      }
      const accessKeyId = accessKey(session, sessionWhere);
      addKey(
        {
          accessKeyId,
          secretAccessKey: requiredString(session, 'secretAccessKey', sessionWhere),
          principal: {
            accountId: id,
            arn: `arn:aws:sts::${id}:assumed-role/${roleName}/${sessionName}`,
            // IAM's aws:userid of an assumed role is `<role id>:<session name>`; aws:username is absent.
            userId: `${uniqueId('AROA', `${id}/role/${roleName}`)}:${sessionName}`,
            accessKeyId,
            policies: policies(session, sessionWhere),
          },
          session: { token: requiredString(session, 'sessionToken', sessionWhere), expiresAt },
        },
        sessionWhere,
      );
    });
  });
  return new AuthDirectory(accounts, keys);
}

/**
 * IAM's unique ids (`AIDA...` for users, `AROA...` for roles): 21 characters. Cairn derives them from the name,
 * so that they stay the same across restarts.
 */
function uniqueId(prefix: string, name: string): string {
  return prefix + createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase();
}

function object(value: unknown, where: string, members: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AuthFileError(`${where} must be a JSON object`);
  for (const name of Object.keys(value)) {
    if (!members.includes(name) && !(where === 'the file' && name === '$schema')) {
      throw new AuthFileError(`${where}: unknown member "${name}" (expected ${members.map((member) => `"${member}"`).join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

function requiredString(value: Record<string, unknown>, member: string, where: string): string {
  const text = value[member];
  if (text === undefined) throw new AuthFileError(`${where}: missing "${member}"`);
  if (typeof text !== 'string' || text === '') throw new AuthFileError(`${where}: "${member}" must be a non-empty string`);
  return text;
}

function iamName(value: Record<string, unknown>, member: string, where: string, min: number, max: number): string {
  const name = requiredString(value, member, where);
  if (name.length < min || name.length > max || !IAM_NAME.test(name)) {
    throw new AuthFileError(`${where}: "${member}" must be ${min} to ${max} letters, digits or characters of +=,.@_- , not "${name}"`);
  }
  return name;
}

function accessKey(value: Record<string, unknown>, where: string): string {
  const id = requiredString(value, 'accessKeyId', where);
  if (!ACCESS_KEY_ID.test(id)) throw new AuthFileError(`${where}: "accessKeyId" must be 16 to 128 letters, digits or underscores, not "${id}"`);
  return id;
}

function list(value: Record<string, unknown>, member: string, where: string): unknown[] {
  const items = value[member];
  if (items === undefined) return [];
  if (!Array.isArray(items)) throw new AuthFileError(`${where}: "${member}" must be a list`);
  return items;
}

function policies(value: Record<string, unknown>, where: string): unknown[] {
  const items = list(value, 'policies', where);
  items.forEach((policy, p) => {
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
      throw new AuthFileError(`${where}.policies[${p}] must be a policy document (a JSON object)`);
    }
    // Parsed now so that a policy IAM would refuse stops the start, with IAM's reason.
    try {
      parsePolicyDocument(policy, 'identity');
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw new AuthFileError(`${where}.policies[${p}] is not a valid IAM policy: ${error.message}`);
      throw error;
    }
  });
  return items;
}
