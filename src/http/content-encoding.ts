/**
 * Request bodies sent with `Content-Encoding: gzip` or `deflate` (the SDKs' request compression; botocore can
 * gzip DynamoDB requests). DynamoDB decodes both; it answers a coding it does not know, and a body that does not
 * decode, with HTTP 500 (recorded against DynamoDB by ScyllaDB's Alternator tests), and runs nothing.
 *
 * Unlike DynamoDB, which was seen accepting a gzip body that inflates to 1 GB, the 16 MB request limit holds on
 * the decoded body too: inflating stops at the limit, so a small "zip bomb" costs at most 16 MB of memory.
 */
import { gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';

export type DecodeFailure =
  /** A coding other than gzip, deflate and identity. */
  | { readonly kind: 'unknown-coding'; readonly coding: string }
  /** The body is not valid data of its coding (truncated, corrupt, trailing bytes). */
  | { readonly kind: 'undecodable'; readonly coding: string; readonly reason: string }
  /** The decoded body would pass the size limit. */
  | { readonly kind: 'too-large' };

export class BodyDecodeError extends Error {
  constructor(readonly failure: DecodeFailure) {
    super(failure.kind === 'too-large' ? 'decoded body too large' : `${failure.kind}: ${failure.coding}`);
  }
}

/**
 * The codings of a Content-Encoding header in the order they were applied, lower-cased, `identity` left out;
 * empty for none. (`gzip, identity` and `GZIP` both mean gzip.)
 */
export function contentCodings(header: string | undefined): string[] {
  if (header === undefined) return [];
  const codings: string[] = [];
  for (const part of header.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') codings.push(coding);
  }
  return codings;
}

/** Undoes the codings (the last applied first), never producing more than `maxBytes`. */
export async function decodeBody(body: Buffer, codings: readonly string[], maxBytes: number): Promise<Buffer> {
  for (const coding of codings) {
    if (coding !== 'gzip' && coding !== 'deflate') throw new BodyDecodeError({ kind: 'unknown-coding', coding });
  }
  let decoded = body;
  for (let index = codings.length - 1; index >= 0; index--) {
    const coding = codings[index] as 'gzip' | 'deflate';
    decoded = await decodeOnce(decoded, coding, maxBytes);
  }
  return decoded;
}

interface InflateResult {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

type Inflater = (input: InputType, options: ZlibOptions & { info: true }, callback: (error: Error | null, result: InflateResult) => void) => void;

function decodeOnce(body: Buffer, coding: 'gzip' | 'deflate', maxBytes: number): Promise<Buffer> {
  // node's typings only describe the Buffer form of the callback; with `info: true` it receives the engine too.
  const run = (coding === 'gzip' ? gunzip : inflate) as unknown as Inflater;
  return new Promise((resolve, reject) => {
    run(body, { info: true, maxOutputLength: maxBytes }, (error, result) => {
      if (error !== null) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyDecodeError({ kind: 'too-large' }));
        else reject(new BodyDecodeError({ kind: 'undecodable', coding, reason: error.message }));
        return;
      }
      // gunzip reads concatenated members (RFC 1952 allows them) and refuses anything else after the first;
      // inflate stops at the end of its stream and would silently drop what follows, so that is checked here.
      if (result.engine.bytesWritten !== body.length) {
        reject(new BodyDecodeError({ kind: 'undecodable', coding, reason: 'data after the end of the compressed stream' }));
        return;
      }
      resolve(result.buffer);
    });
  });
}
