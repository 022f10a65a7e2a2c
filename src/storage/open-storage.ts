/**
 * Chooses and opens the storage engine for a server: LMDB in a data directory, or memory for `--in-memory`.
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
}

export const DEFAULT_DATA_DIR = 'cairn-data';

export function openStorage(options: OpenStorageOptions): Promise<Storage> {
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
