/**
 * The configuration file: `cairn.config.json` in the working directory, or the file `--config` names.
 *   { "triggers": [ { "TableName": "orders", "Handler": "./handlers/orders.mjs", "BatchSize": 10 }, ... ],
 *     "capacity": { "mode": "enforce", "timeScale": 60, "prices": { "onDemandReadPerMillion": 0.125, ... } } }
 * (`--capacity` and `--capacity-time-scale` override `capacity.mode` and `capacity.timeScale`), and
 *   "auth": "./cairn-auth.json"   (the accounts and keys file, see src/auth/auth-file.ts; `--auth` overrides it),
 *   "encryptionKeyFile": "./cairn.key", "previousEncryptionKeyFile": "./old.key"
 * (encryption at rest; `--encryption-key-file` and `--previous-encryption-key-file` override them),
 *   "tls": { "cert": "cert.pem", "key": "key.pem" }, "audit": { "log": "audit.jsonl", "dataEvents": true }
 * (`--tls-cert`, `--tls-key`, `--audit-log`, `--audit-data-events` and `--audit-log-max-bytes` override them).
 *   "peers": { "eu-west-1": "http://127.0.0.1:8001" }
 * (the servers of other regions, for global tables across servers; see src/engine/replication/peers.ts).
 *   "postgres": "postgres://user:password@host:5432/db"
 * (serve from PostgreSQL instead of a data directory; `--postgres` and CAIRN_POSTGRES_URL override it).
 * Relative paths in it are relative to the file. A missing default file is no error; a missing named one is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseTriggerConfig, TriggerConfigError, type TriggerConfig } from './trigger-config.js';
import { parseTriggerFlag } from './trigger-flag.js';
import { parsePrices, type Prices } from '../observe/prices.js';
import { CAPACITY_MODES, type CapacityMode } from '../capacity/capacity-tracker.js';
import { parsePeers } from '../engine/replication/peers.js';
import { parseAuditSection, type AuditFileSettings } from '../audit/audit-settings.js';

export const DEFAULT_CONFIG_FILE = 'cairn.config.json';

export interface LoadedConfig {
  /** The file read, if any. */
  readonly path?: string;
  readonly triggers: readonly TriggerConfig[];
  /** `capacity.prices`: what the access-pattern report costs intervals at (defaults: src/observe/prices.ts). */
  readonly prices?: Prices;
  /** `capacity.mode`: off, account or enforce. */
  readonly capacityMode?: CapacityMode;
  /** `capacity.timeScale`: seconds of capacity time per wall-clock second. */
  readonly capacityTimeScale?: number;
  /** `auth`: the accounts and keys file, resolved against the configuration file's directory. */
  readonly authFile?: string;
  /** `encryptionKeyFile`, resolved against the file's directory. */
  readonly encryptionKeyFile?: string;
  /** `previousEncryptionKeyFile` (a key rotation's old key), resolved against the file's directory. */
  readonly previousEncryptionKeyFile?: string;
  /** `tls.cert` and `tls.key`, resolved against the file's directory. */
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  /** `audit`: the audit log's file, data events, rotation size. */
  readonly audit?: AuditFileSettings;
  /** `peers`: the URL of the server of each other region (global tables across servers). */
  readonly peers?: Readonly<Record<string, string>>;
  /** `postgres`: the connection URL of the PostgreSQL database to serve from. */
  readonly postgres?: string;
}

export function loadConfigFile(path: string | undefined, cwd: string): LoadedConfig {
  const file = resolve(cwd, path ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (path !== undefined) throw new TriggerConfigError(`configuration file not found: ${file}`);
    return { triggers: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TriggerConfigError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TriggerConfigError(`${file}: expected a JSON object`);
  const { triggers, capacity, auth, encryptionKeyFile, previousEncryptionKeyFile, tls, audit, peers, postgres, ...rest } = parsed as Record<string, unknown>;
  const unknown = Object.keys(rest).filter((key) => key !== '$schema');
  if (unknown.length > 0) {
    throw new TriggerConfigError(
      `${file}: unknown setting "${unknown[0]}" (expected "triggers", "capacity", "auth", "encryptionKeyFile", "previousEncryptionKeyFile", "tls", "audit", "peers" or "postgres")`,
    );
  }
  if (postgres !== undefined && !isPostgresUrl(postgres)) {
    throw new TriggerConfigError(`${file}: "postgres" must be a connection URL, postgres://user:password@host:port/database`);
  }
  if (auth !== undefined && (typeof auth !== 'string' || auth === '')) throw new TriggerConfigError(`${file}: "auth" must be the path of the accounts and keys file`);
  const keyFile = (name: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new TriggerConfigError(`${file}: "${name}" must be a file name`);
    return resolve(dirname(file), value);
  };
  const encryption = {
    ...(encryptionKeyFile !== undefined ? { encryptionKeyFile: keyFile('encryptionKeyFile', encryptionKeyFile) as string } : {}),
    ...(previousEncryptionKeyFile !== undefined
      ? { previousEncryptionKeyFile: keyFile('previousEncryptionKeyFile', previousEncryptionKeyFile) as string }
      : {}),
  };
  const { prices, mode, timeScale } = capacitySettings(file, capacity);
  const tlsFiles = tlsSettings(file, tls);
  let auditSettings: AuditFileSettings | undefined;
  try {
    auditSettings = audit === undefined ? undefined : parseAuditSection(audit, dirname(file));
  } catch (error) {
    throw new TriggerConfigError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let peerUrls: Readonly<Record<string, string>> | undefined;
  try {
    peerUrls = peers === undefined ? undefined : parsePeers(peers);
  } catch (error) {
    throw new TriggerConfigError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (triggers !== undefined && !Array.isArray(triggers)) throw new TriggerConfigError(`${file}: "triggers" must be a list`);
  const configs = (triggers ?? []).map((raw: unknown, index: number) => {
    try {
      return parseTriggerConfig(raw, dirname(file));
    } catch (error) {
      if (error instanceof TriggerConfigError) throw new TriggerConfigError(`${file}: triggers[${index}]: ${error.message}`);
      throw error;
    }
  });
  return {
    path: file,
    triggers: configs,
    ...(prices !== undefined ? { prices } : {}),
    ...(mode !== undefined ? { capacityMode: mode } : {}),
    ...(timeScale !== undefined ? { capacityTimeScale: timeScale } : {}),
    ...(typeof auth === 'string' ? { authFile: resolve(dirname(file), auth) } : {}),
    ...encryption,
    ...tlsFiles,
    ...(auditSettings !== undefined ? { audit: auditSettings } : {}),
    ...(peerUrls !== undefined ? { peers: peerUrls } : {}),
    ...(typeof postgres === 'string' ? { postgres } : {}),
  };
}

/** A PostgreSQL connection URL as node-postgres takes it (the flag and the environment variable are checked alike). */
export function isPostgresUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** The `tls` member: `cert` and `key` file names (whether both are there is checked with the flags, in src/http/tls.ts). */
function tlsSettings(file: string, tls: unknown): { tlsCertFile?: string; tlsKeyFile?: string } {
  if (tls === undefined) return {};
  if (typeof tls !== 'object' || tls === null || Array.isArray(tls)) throw new TriggerConfigError(`${file}: "tls" must be an object`);
  const { cert, key, ...rest } = tls as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new TriggerConfigError(`${file}: unknown setting "tls.${unknown[0]}" (expected "tls.cert" or "tls.key")`);
  for (const [name, value] of [['cert', cert], ['key', key]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TriggerConfigError(`${file}: "tls.${name}" must be a file name`);
  }
  return {
    ...(typeof cert === 'string' ? { tlsCertFile: resolve(dirname(file), cert) } : {}),
    ...(typeof key === 'string' ? { tlsKeyFile: resolve(dirname(file), key) } : {}),
  };
}

/** The `capacity` member: `mode`, `timeScale` and `prices`, each optional. */
function capacitySettings(file: string, capacity: unknown): { prices?: Prices; mode?: CapacityMode; timeScale?: number } {
  if (capacity === undefined) return {};
  if (typeof capacity !== 'object' || capacity === null || Array.isArray(capacity)) throw new TriggerConfigError(`${file}: "capacity" must be an object`);
  const { prices, mode, timeScale, ...rest } = capacity as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new TriggerConfigError(`${file}: unknown setting "capacity.${unknown[0]}" (expected "capacity.mode", "capacity.timeScale" or "capacity.prices")`);
  }
  if (mode !== undefined && !(CAPACITY_MODES as readonly unknown[]).includes(mode)) {
    throw new TriggerConfigError(`${file}: "capacity.mode" must be one of ${CAPACITY_MODES.join(', ')}`);
  }
  if (timeScale !== undefined && !(typeof timeScale === 'number' && Number.isFinite(timeScale) && timeScale > 0)) {
    throw new TriggerConfigError(`${file}: "capacity.timeScale" must be a positive number`);
  }
  const settings: { prices?: Prices; mode?: CapacityMode; timeScale?: number } = {};
  if (mode !== undefined) settings.mode = mode as CapacityMode;
  if (timeScale !== undefined) settings.timeScale = timeScale as number;
  if (prices === undefined) return settings;
  try {
    settings.prices = parsePrices(prices);
  } catch (error) {
    throw new TriggerConfigError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return settings;
}

/** The triggers of the configuration file and of `--trigger` flags (relative to `cwd`), ids distinct. */
export function loadTriggers(configPath: string | undefined, flags: readonly string[], cwd: string): TriggerConfig[] {
  return [...loadConfiguration(configPath, flags, cwd).triggers];
}

/** As loadTriggers, with the configuration file that was read (if any). */
export function loadConfiguration(configPath: string | undefined, flags: readonly string[], cwd: string): LoadedConfig {
  const file = loadConfigFile(configPath, cwd);
  const configs = [...file.triggers];
  for (const flag of flags) {
    try {
      configs.push(parseTriggerConfig(parseTriggerFlag(flag), cwd));
    } catch (error) {
      if (error instanceof TriggerConfigError) throw new TriggerConfigError(`--trigger ${flag}: ${error.message}`);
      throw error;
    }
  }
  const seen = new Set<string>();
  for (const config of configs) {
    if (seen.has(config.Id)) throw new TriggerConfigError(`two triggers have the id ${config.Id}; give them distinct "Id"s`);
    seen.add(config.Id);
  }
  return { ...file, triggers: configs };
}
