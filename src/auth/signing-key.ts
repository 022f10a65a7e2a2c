/**
 * SigV4 signing keys: `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
 *
 * Four HMACs per request would be most of the cost of verifying one, and the key only changes with the day, so
 * keys are cached per (secret, date, region). The cache is bounded: past its size it is cleared wholesale, which
 * costs one derivation per live key afterwards (a request stream spans a handful of keys, dates and regions).
 */
import { createHmac } from 'node:crypto';

const MAX_CACHED_KEYS = 4096;
const cache = new Map<string, Buffer>();

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signing key of `secret` for `date` (YYYYMMDD) and `region` of the dynamodb service, cached. */
export function signingKey(secret: string, date: string, region: string): Buffer {
  // NUL cannot occur in a date or a region that reached here, so the concatenation is unambiguous.
  const cacheKey = `${date}\0${region}\0${secret}`;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    key = deriveSigningKey(secret, date, region, 'dynamodb');
    cache.set(cacheKey, key);
  }
  return key;
}

/** The hex signature of `text` under `key`. */
export function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
