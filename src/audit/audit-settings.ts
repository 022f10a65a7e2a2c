/**
 * The audit log's settings: `--audit-log FILE`, `--audit-data-events` and `--audit-log-max-bytes N`, or the
 * configuration file's `audit` member, `{ "log": "audit.jsonl", "dataEvents": true, "maxBytes": 104857600 }`
 * (flags win; a relative `log` is relative to the configuration file).
 */
import { resolve } from 'node:path';

export interface AuditSettings {
  /** The file events are appended to. */
  readonly file: string;
  /** Log data events (item operations, batches, transactions, PartiQL, stream reads) too. Default: management events only. */
  readonly dataEvents?: boolean;
  /** Rotate the file before it grows past this many bytes. Default: never. */
  readonly maxBytes?: number;
  /** How long an event may wait in the buffer (default 250 ms). */
  readonly flushIntervalMs?: number;
}

/** The configuration file's `audit` member, each part optional. */
export interface AuditFileSettings {
  readonly file?: string;
  readonly dataEvents?: boolean;
  readonly maxBytes?: number;
}

/** Reads the `audit` member; throws a message naming the setting at fault. */
export function parseAuditSection(section: unknown, baseDir: string): AuditFileSettings {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new Error('"audit" must be an object');
  const { log, dataEvents, maxBytes, ...rest } = section as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new Error(`unknown setting "audit.${unknown[0]}" (expected "audit.log", "audit.dataEvents" or "audit.maxBytes")`);
  }
  if (log !== undefined && (typeof log !== 'string' || log === '')) throw new Error('"audit.log" must be a file name');
  if (dataEvents !== undefined && typeof dataEvents !== 'boolean') throw new Error('"audit.dataEvents" must be true or false');
  if (maxBytes !== undefined && !(typeof maxBytes === 'number' && Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
    throw new Error('"audit.maxBytes" must be a positive integer');
  }
  return {
    ...(typeof log === 'string' ? { file: resolve(baseDir, log) } : {}),
    ...(typeof dataEvents === 'boolean' ? { dataEvents } : {}),
    ...(typeof maxBytes === 'number' ? { maxBytes } : {}),
  };
}
