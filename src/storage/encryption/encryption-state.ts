/**
 * Which key a data directory is encrypted with, checked before anything is read: the file `encryption.json` of
 * the directory holds, for the current key and (during a rotation) the previous one, its id and a check value,
 * HMAC-SHA256(key, CHECK_TEXT). The check identifies a key without revealing anything of it, so a wrong key is
 * refused at start-up with a message instead of failing on the first value it cannot open (or, worse, replaying a
 * write-ahead log whose every record fails to verify as if the log were torn).
 *
 * A directory without the file that already holds data (data.mdb, or a write-ahead log) was written without
 * encryption. Cairn refuses to open it with a key, and refuses an encrypted directory without one: converting a
 * directory in place would leave its plaintext in LMDB's free pages and in the file system's old blocks, so it
 * would not give what the flag promises (README: Encryption at rest).
 *
 * Rotation (README): started by opening the directory with a new key and its current key as the previous one.
 * The file then names both (written before any value is sealed with the new key), values name their own key
 * (value-cipher.ts), and the storage re-encrypts every value still under the previous key in the background;
 * once none is left, the file is rewritten without the previous key. A crash meanwhile leaves a directory that
 * opens with both keys and resumes the rotation.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { ValueCipher, type CipherKey } from './value-cipher.js';

/** The keys a store is opened with. */
export interface EncryptionKeys {
  /** The key to encrypt with (`--encryption-key-file`). */
  readonly key: Buffer;
  /** The key the directory was encrypted with until now, to rotate from (`--previous-encryption-key-file`). */
  readonly previousKey?: Buffer;
}

/** The keys of an opened directory, and whether values under a previous key remain to be re-encrypted. */
export interface OpenedEncryption {
  readonly cipher: ValueCipher;
  /** True while a rotation is unfinished: call `finishRotation` once no value is sealed with the previous key. */
  readonly rotating: boolean;
  /** Records that the previous key is no longer needed (the state file names only the current key). */
  finishRotation(): void;
}

export const STATE_FILE = 'encryption.json';
const CHECK_TEXT = 'Cairn encryption-at-rest key check, version 1';
const FORMAT = 1;

interface KeyEntry {
  readonly id: number;
  readonly check: string;
}

interface State {
  readonly format: number;
  readonly cipher: string;
  readonly key: KeyEntry;
  readonly previousKey?: KeyEntry;
}

/** Refused: the keys given do not fit the directory (the message says why and what to do). */
export class EncryptionStateError extends Error {}

/**
 * Checks the keys against the directory (locked by the caller, before the store is opened) and returns the
 * cipher to read and write it with, or undefined for a directory that is and stays unencrypted.
 */
export function openEncryption(directory: string, keys: EncryptionKeys | undefined): OpenedEncryption | undefined {
  const path = join(directory, STATE_FILE);
  const state = readState(path);
  if (state === undefined) {
    const hasData = existsSync(join(directory, 'data.mdb')) || existsSync(join(directory, 'wal'));
    if (keys === undefined) return undefined;
    if (hasData) {
      throw new EncryptionStateError(
        `data directory ${directory} was written without encryption: Cairn does not encrypt an existing directory in place; ` +
          'start without --encryption-key-file, or give a new data directory and copy the tables into it',
      );
    }
    const key = { id: 1, check: checkOf(keys.key) };
    writeState(path, directory, { format: FORMAT, cipher: 'AES-256-GCM', key });
    return opened(path, directory, { id: 1, key: keys.key }, undefined, key);
  }
  if (keys === undefined) {
    throw new EncryptionStateError(`data directory ${directory} is encrypted at rest: start Cairn with --encryption-key-file naming its key`);
  }
  const previous = keys.previousKey;
  if (previous !== undefined && previous.equals(keys.key)) {
    throw new EncryptionStateError('--previous-encryption-key-file names the same key as --encryption-key-file');
  }
  if (matches(keys.key, state.key)) {
    if (state.previousKey === undefined) return opened(path, directory, { id: state.key.id, key: keys.key }, undefined, state.key);
    if (previous === undefined || !matches(previous, state.previousKey)) {
      throw new EncryptionStateError(
        `a key rotation of data directory ${directory} is not finished: start Cairn with --encryption-key-file naming the new key ` +
          'and --previous-encryption-key-file naming the old key, and it finishes the rotation in the background',
      );
    }
    return opened(path, directory, { id: state.key.id, key: keys.key }, { id: state.previousKey.id, key: previous }, state.key);
  }
  if (state.previousKey !== undefined && matches(keys.key, state.previousKey)) {
    throw new EncryptionStateError(
      `the key of --encryption-key-file is the old key of data directory ${directory}, whose rotation to a new key is not finished: ` +
        'give the new key with --encryption-key-file and the old one with --previous-encryption-key-file',
    );
  }
  if (previous !== undefined && matches(previous, state.key)) {
    if (state.previousKey !== undefined) {
      throw new EncryptionStateError(
        `data directory ${directory} is still being re-encrypted from an earlier key rotation: finish it (with that rotation's new and ` +
          'old keys) before starting another',
      );
    }
    // A new rotation: the state names both keys before the first value is sealed with the new one.
    const next = { id: (state.key.id % 255) + 1, check: checkOf(keys.key) };
    writeState(path, directory, { format: FORMAT, cipher: 'AES-256-GCM', key: next, previousKey: state.key });
    return opened(path, directory, { id: next.id, key: keys.key }, { id: state.key.id, key: previous }, next);
  }
  throw new EncryptionStateError(
    `the key of --encryption-key-file is not the key data directory ${directory} is encrypted with` +
      (previous !== undefined ? ', and neither is the key of --previous-encryption-key-file' : ''),
  );
}

function opened(path: string, directory: string, current: CipherKey, previous: CipherKey | undefined, entry: KeyEntry): OpenedEncryption {
  const cipher = new ValueCipher(current, previous === undefined ? [] : [previous]);
  return {
    cipher,
    rotating: previous !== undefined,
    finishRotation: () => writeState(path, directory, { format: FORMAT, cipher: 'AES-256-GCM', key: entry }),
  };
}

export function checkOf(key: Buffer): string {
  return createHmac('sha256', key).update(CHECK_TEXT).digest('hex');
}

function matches(key: Buffer, entry: KeyEntry): boolean {
  const expected = Buffer.from(entry.check, 'hex');
  const actual = Buffer.from(checkOf(key), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function readState(path: string): State | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EncryptionStateError(`${path} is not valid JSON: the data directory's encryption state is damaged`);
  }
  if (!isState(parsed)) throw new EncryptionStateError(`${path} is not an encryption state Cairn knows (format ${FORMAT})`);
  return parsed;
}

function isState(value: unknown): value is State {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return state.format === FORMAT && state.cipher === 'AES-256-GCM' && isKeyEntry(state.key) && (state.previousKey === undefined || isKeyEntry(state.previousKey));
}

function isKeyEntry(value: unknown): value is KeyEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.id === 'number' && Number.isInteger(entry.id) && entry.id >= 1 && entry.id <= 255 && typeof entry.check === 'string' && /^[0-9a-f]{64}$/.test(entry.check);
}

/** Replaces the state file atomically and durably: a crash leaves the old state or the new one, whole. */
function writeState(path: string, directory: string, state: State): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  syncFile(temporary);
  renameSync(temporary, path);
  syncFile(directory);
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
