/**
 * SigV4 signing keys: `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
 *
 * Four HMACs per request would be most of the cost of verifying one, and the key only changes with the day, so
 * keys are cached per (secret, date, region). The cache is bounded: past its size it is cleared wholesale, which
 * costs one derivation per live key afterwards (a request stream spans a handful of keys, dates and regions).
 */
import { createHmac, hash } from 'node:crypto';

const MAX_CACHED_KEYS = 4096;
const cache = new Map<string, SigningKey>();

/** SHA-256's block size: HMAC pads its key to it. */
const BLOCK_BYTES = 64;
const oneShot: typeof hash | undefined = typeof hash === 'function' ? hash : undefined;

/**
 * A derived signing key, with HMAC's two padded keys computed once: a request's signature is then two one-shot
 * SHA-256 hashes (RFC 2104: H((K ^ opad) || H((K ^ ipad) || text))), several times cheaper than an Hmac object
 * made per request.
 */
export class SigningKey {
  private readonly inner = Buffer.alloc(BLOCK_BYTES, 0x36);
  private readonly outer = Buffer.alloc(BLOCK_BYTES, 0x5c);

  constructor(readonly key: Buffer) {
    // A derived key is a SHA-256 output (32 bytes), never longer than a block, so it is padded, not hashed.
    for (let i = 0; i < key.length; i++) {
      this.inner[i] = (this.inner[i] as number) ^ (key[i] as number);
      this.outer[i] = (this.outer[i] as number) ^ (key[i] as number);
    }
  }

  /** The hex HMAC-SHA256 of `text` under this key. */
  sign(text: string): string {
    if (oneShot === undefined) return createHmac('sha256', this.key).update(text, 'utf8').digest('hex');
    const innerHash = oneShot('sha256', Buffer.concat([this.inner, Buffer.from(text, 'utf8')]), 'buffer');
    return oneShot('sha256', Buffer.concat([this.outer, innerHash]), 'hex');
  }
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signing key of `secret` for `date` (YYYYMMDD) and `region` of the dynamodb service, cached. */
export function signingKey(secret: string, date: string, region: string): SigningKey {
  // NUL cannot occur in a date or a region that reached here, so the concatenation is unambiguous.
  const cacheKey = `${date}\0${region}\0${secret}`;
  let key = cache.get(cacheKey);
  if (key === undefined) {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    key = new SigningKey(deriveSigningKey(secret, date, region, 'dynamodb'));
    cache.set(cacheKey, key);
  }
  return key;
}

/** The hex signature of `text` under `key`. */
export function sign(key: SigningKey, text: string): string {
  return key.sign(text);
}
