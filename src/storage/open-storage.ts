/**
 * Chooses and opens the storage engine for a server: LMDB in a data directory, memory for `--in-memory`, or
 * PostgreSQL for `--postgres URL` (opened asynchronously: it connects and migrates the schema first). The
 * PostgreSQL engine is loaded only when asked for, so LMDB servers do not load node-postgres.
 */
import { MemoryStorage } from './memory/memory-storage.js';
import { LmdbStorage } from './lmdb/lmdb-storage.js';
import type { Storage } from './storage.js';
import type { EncryptionKeys } from './encryption/encryption-state.js';

export interface OpenStorageOptions {
  /** Directory of the durable store; created if missing. Default: `cairn-data` in the working directory. */
  readonly dataDir?: string;
  /** Keep everything in process memory (nothing is written to disk; dataDir is ignored). */
  readonly inMemory?: boolean;
  /** Encrypt the data directory at rest with these keys (src/storage/encryption/); memory needs none. */
  readonly encryption?: EncryptionKeys;
  /** Called when a key rotation finished re-encrypting the directory. */
  readonly onKeyRotated?: () => void;
  /** Serve from the PostgreSQL database of this connection URL (dataDir, inMemory and encryption do not apply). */
  readonly postgresUrl?: string;
}

export const DEFAULT_DATA_DIR = 'cairn-data';

export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  if (options.postgresUrl !== undefined) {
    const { PostgresStorage } = await import('./postgres/postgres-storage.js');
    return PostgresStorage.open({ url: options.postgresUrl });
  }
  try {
    if (options.inMemory === true) return Promise.resolve(new MemoryStorage());
    return Promise.resolve(
      new LmdbStorage({
        path: options.dataDir ?? DEFAULT_DATA_DIR,
        ...(options.encryption !== undefined ? { encryption: options.encryption } : {}),
        ...(options.onKeyRotated !== undefined ? { onKeyRotated: options.onKeyRotated } : {}),
      }),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}
