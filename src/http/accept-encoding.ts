/**
 * Response compression as DynamoDB does it: an answer of at least 4 KiB goes out gzip- or deflate-compressed when
 * the request's Accept-Encoding allows one of them; smaller answers, and requests without Accept-Encoding (the
 * JavaScript SDK sends none; boto3 sends `identity`), are answered as they are.
 *
 * The threshold and the way DynamoDB reads Accept-Encoding were recorded against DynamoDB by ScyllaDB's Alternator
 * tests (test_compressed_response.py); its exact boundary (4,096 bytes compressed or not) is not confirmed.
 * DynamoDB reads the header loosely, and so does this:
 *  - codings are separated by commas; empty entries and codings other than gzip, deflate and `*` are ignored
 *    (`identity` included: an answer is never refused for want of an acceptable coding);
 *  - a coding's weight is the number after the first `q=` in its parameters, with spaces around the number
 *    allowed: `gzip;nq=0` weighs 0 and `gzip;q =0;q=1` weighs 1. A weight that is not a number counts as 1, one
 *    above 1 as 1, and one of 0 or less excludes the coding;
 *  - `*` stands for gzip and deflate when they are not named;
 *  - the heaviest coding wins; among equals, a named coding before `*`, then the one named first, gzip before
 *    deflate for `*` (`br, deflate, gzip` -> deflate; `*, deflate` -> deflate);
 *  - only the first Accept-Encoding header counts when a request has several.
 */
export type ResponseCoding = 'gzip' | 'deflate';

/** Answers smaller than this are not worth compressing. */
export const COMPRESSION_THRESHOLD_BYTES = 4096;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export function responseCoding(header: string | undefined): ResponseCoding | undefined {
  if (header === undefined || header === '') return undefined;
  // The weight of each coding as named, and of `*`; a coding named twice keeps its heaviest weight.
  const named = new Map<ResponseCoding, { weight: number; order: number }>();
  let wildcard: number | undefined;
  let order = 0;
  for (const entry of header.split(',')) {
    const semicolon = entry.indexOf(';');
    const name = (semicolon === -1 ? entry : entry.slice(0, semicolon)).trim().toLowerCase();
    if (name !== 'gzip' && name !== 'deflate' && name !== '*') continue;
    const weight = weightOf(semicolon === -1 ? '' : entry.slice(semicolon + 1));
    if (name === '*') {
      wildcard = Math.max(wildcard ?? 0, weight);
      continue;
    }
    const known = named.get(name);
    if (known === undefined) named.set(name, { weight, order: order++ });
    else known.weight = Math.max(known.weight, weight);
  }
  let best: { coding: ResponseCoding; weight: number; rank: number } | undefined;
  const consider = (coding: ResponseCoding, weight: number, rank: number): void => {
    if (weight <= 0) return;
    if (best === undefined || weight > best.weight || (weight === best.weight && rank < best.rank)) best = { coding, weight, rank };
  };
  for (const [coding, { weight, order: position }] of named) consider(coding, weight, position);
  if (wildcard !== undefined) {
    // Ranked after every named coding: a named coding wins a tie with the wildcard.
    if (!named.has('gzip')) consider('gzip', wildcard, order);
    if (!named.has('deflate')) consider('deflate', wildcard, order + 1);
  }
  return best?.coding;
}

/** The `q` weight in a coding's parameters (`;q=0.5`), read as DynamoDB reads it. */
function weightOf(parameters: string): number {
  const at = parameters.indexOf('q=');
  if (at === -1) return 1;
  const end = parameters.indexOf(';', at);
  const text = parameters.slice(at + 2, end === -1 ? undefined : end).trim();
  if (!NUMBER.test(text)) return 1;
  return Math.min(1, Number(text));
}
