/**
 * A bounded LRU cache of parse results keyed by expression kind and text. Applications send the same few
 * expressions over and over, so a hit skips lexing and parsing entirely; validation and placeholder resolution
 * still run per request because they depend on the request's ExpressionAttributeNames / Values.
 *
 * Syntax errors are cached too (as their message), so a client retrying a broken expression costs no parse either.
 * A Map iterates in insertion order, which gives LRU for free: a hit is moved to the end, eviction takes the first.
 */
import { validationError } from '../errors.js';

type Entry<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export class ParseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly capacity: number) {}

  /** The cached parse of `key`, parsing with `parse` on a miss. Rethrows a cached ValidationException. */
  get(key: string, parse: () => T): T {
    let entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      try {
        entry = { ok: true, value: parse() };
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'ValidationException') throw error;
        entry = { ok: false, message: error.message };
      }
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next();
        if (oldest.done !== true) this.entries.delete(oldest.value);
      }
      this.entries.set(key, entry);
    }
    if (entry.ok) return entry.value;
    throw validationError(entry.message);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
