/**
 * The encryption key file (`--encryption-key-file`): a 256-bit key, as 32 raw bytes, or as text: 64 hexadecimal
 * characters or 44 characters of standard base64 (what `openssl rand -hex 32` and `openssl rand -base64 32`
 * print), with one trailing newline allowed. Anything else is refused, so that a truncated or mistyped key
 * never becomes some other key.
 *
 * A file of exactly 32 bytes is always the raw form: neither text form is 32 characters long, so the three
 * never overlap.
 */
import { readFileSync } from 'node:fs';
import { KEY_BYTES } from './value-cipher.js';

/** Why a key file was refused (the CLI prints the message as it is). */
export class KeyFileError extends Error {}

export function readKeyFile(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyFileError(`cannot read encryption key file ${path}${code !== undefined ? ` (${code})` : ''}`);
  }
  const key = parseKey(bytes);
  if (key === undefined) {
    throw new KeyFileError(
      `encryption key file ${path} does not hold a 256-bit key: expected 32 raw bytes, 64 hexadecimal characters or ` +
        `44 characters of base64 (one trailing newline allowed), found ${bytes.length} bytes that are none of these`,
    );
  }
  return key;
}

/** The key a key file's bytes hold, or undefined if they are not one of the accepted forms. */
export function parseKey(bytes: Buffer): Buffer | undefined {
  if (bytes.length === KEY_BYTES) return Buffer.from(bytes);
  let text = bytes.toString('latin1');
  if (text.endsWith('\r\n')) text = text.slice(0, -2);
  else if (text.endsWith('\n')) text = text.slice(0, -1);
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  // Standard base64 of 32 bytes: 43 characters and one '=' (Buffer.from would silently skip other characters).
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    // The last character must not carry bits past the 256th (a non-canonical encoding of some other text).
    if (key.length === KEY_BYTES && key.toString('base64') === text) return key;
  }
  return undefined;
}
