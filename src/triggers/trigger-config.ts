/**
 * A trigger's settings: which table's stream it follows, which handler it invokes, and how, named as Lambda names
 * the parameters of an event source mapping (BatchSize, MaximumBatchingWindowInSeconds, StartingPosition,
 * FilterCriteria, MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError,
 * FunctionResponseTypes, DestinationConfig) plus the function's Timeout.
 *
 * The same parser reads the configuration file, the `--trigger` flags (string values) and the admin endpoint's
 * JSON bodies. Setting names are matched without regard to case, `-` or `_` (`batch-size` is `BatchSize`), and a
 * few short aliases are accepted (`table`, `window`, `retries`, `bisect`, `filter`, `onfailure`, `timeout`).
 * Relative module paths and failure files are resolved against a base directory (the configuration file's, or
 * the working directory).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { compileFilterCriteria, FilterPatternError } from './event-filter.js';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** A trigger's settings, normalised: every setting present (defaults filled in), paths absolute. */
export interface TriggerConfig {
  readonly Id: string;
  readonly TableName: string;
  /** The table's region; absent: the server's default region. */
  readonly Region?: string;
  /** An absolute module path (`/path/h.mjs`, `/path/h.mjs#exportName`) or an http(s) URL. */
  readonly Handler: string;
  readonly BatchSize: number;
  readonly MaximumBatchingWindowInSeconds: number;
  readonly StartingPosition: StartingPosition;
  readonly FilterCriteria?: { readonly Filters: readonly { readonly Pattern: string }[] };
  readonly MaximumRetryAttempts: number;
  readonly MaximumRecordAgeInSeconds: number;
  readonly BisectBatchOnFunctionError: boolean;
  readonly FunctionResponseTypes: readonly 'ReportBatchItemFailures'[];
  /** `table:<name>`, a DynamoDB table ARN, or `file:<absolute path>` (JSON lines). */
  readonly DestinationConfig?: { readonly OnFailure: { readonly Destination: string } };
  /** Seconds a handler may run before it is stopped and the batch counts as failed. */
  readonly Timeout: number;
}

export class TriggerConfigError extends Error {
  override readonly name = 'TriggerConfigError';
}

export const DEFAULTS = {
  BatchSize: 100,
  MaximumBatchingWindowInSeconds: 0,
  StartingPosition: 'LATEST' as StartingPosition,
  MaximumRetryAttempts: -1,
  MaximumRecordAgeInSeconds: -1,
  BisectBatchOnFunctionError: false,
  Timeout: 30,
} as const;

const MODULE_EXTENSIONS = /\.(?:m|c)?(?:j|t)s$/;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,300}$/;

/** Canonical setting name by its folded form (lower case, without `-` and `_`), aliases included. */
const SETTING_NAMES: Readonly<Record<string, string>> = {
  id: 'Id',
  tablename: 'TableName',
  table: 'TableName',
  region: 'Region',
  handler: 'Handler',
  batchsize: 'BatchSize',
  maximumbatchingwindowinseconds: 'MaximumBatchingWindowInSeconds',
  window: 'MaximumBatchingWindowInSeconds',
  startingposition: 'StartingPosition',
  filtercriteria: 'FilterCriteria',
  filter: 'Filter',
  filters: 'Filter',
  pattern: 'Filter',
  maximumretryattempts: 'MaximumRetryAttempts',
  retries: 'MaximumRetryAttempts',
  maximumrecordageinseconds: 'MaximumRecordAgeInSeconds',
  bisectbatchonfunctionerror: 'BisectBatchOnFunctionError',
  bisect: 'BisectBatchOnFunctionError',
  functionresponsetypes: 'FunctionResponseTypes',
  reportbatchitemfailures: 'ReportBatchItemFailures',
  destinationconfig: 'DestinationConfig',
  onfailure: 'OnFailure',
  destination: 'OnFailure',
  timeout: 'Timeout',
};

function fold(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function fail(message: string): never {
  throw new TriggerConfigError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integer(name: string, value: unknown, min: number, max: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function boolean(name: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${name} must be a non-empty string`);
  return value.trim();
}

/** A module path with an optional `#exportName`, resolved and checked; or an http(s) URL as given. */
export function resolveHandler(handler: string, baseDir: string): string {
  if (/^https?:\/\//i.test(handler)) {
    try {
      return new URL(handler).href;
    } catch {
      return fail(`Handler is not a valid URL: ${handler}`);
    }
  }
  const { file, exportName } = splitExport(handler);
  if (!MODULE_EXTENSIONS.test(file)) fail(`Handler must be a .js, .mjs, .cjs, .ts or .mts module or an http(s) URL: ${handler}`);
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) fail(`Handler module not found: ${path}`);
  return exportName === undefined ? path : `${path}#${exportName}`;
}

/** `./h.mjs#name` -> the file and the export; a `#` elsewhere belongs to the path. */
function splitExport(handler: string): { file: string; exportName: string | undefined } {
  const match = /^(.*\.(?:m|c)?(?:j|t)s)#([A-Za-z_$][\w$]*)$/.exec(handler);
  return match === null ? { file: handler, exportName: undefined } : { file: match[1] as string, exportName: match[2] as string };
}

/** `table:<name>`, a DynamoDB table ARN, `file:<path>` or a path ending in .jsonl / .ndjson / .json. */
export function resolveDestination(destination: string, baseDir: string): string {
  if (destination.startsWith('table:')) {
    const name = destination.slice('table:'.length);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) fail(`OnFailure table name is invalid: ${name}`);
    return `table:${name}`;
  }
  if (destination.startsWith('arn:')) {
    if (!/^arn:[^:]+:dynamodb:[^:]+:[^:]*:table\/[A-Za-z0-9_.-]{3,255}$/.test(destination)) {
      fail(`OnFailure supports DynamoDB table ARNs, table:<name> and file:<path>, got ${destination}`);
    }
    return destination;
  }
  const file = destination.startsWith('file:') ? destination.slice('file:'.length) : destination;
  if (!destination.startsWith('file:') && !/\.(?:jsonl|ndjson|json)$/.test(file)) {
    fail(`OnFailure must be table:<name>, a DynamoDB table ARN, or file:<path>, got ${destination}`);
  }
  if (file === '') fail('OnFailure file path is empty');
  return `file:${isAbsolute(file) ? file : resolve(baseDir, file)}`;
}

/** A stable id for a trigger that names none: its table and a digest of what it is (so restarts find its position). */
export function derivedId(tableName: string, region: string | undefined, handler: string): string {
  const digest = createHash('sha256').update(`${region ?? ''}\u0000${tableName}\u0000${handler}`).digest('hex').slice(0, 8);
  return `${tableName}-${digest}`;
}

function filterPatterns(value: unknown, into: string[]): void {
  const values = Array.isArray(value) ? value : [value];
  for (const pattern of values) {
    if (typeof pattern === 'string') into.push(pattern);
    else if (isObject(pattern)) into.push(JSON.stringify(pattern));
    else fail('a filter pattern must be a JSON object or its text');
  }
}

/**
 * Reads one trigger's settings. `raw` is an object of settings (a configuration entry, an admin request body, or
 * the flag's key=value pairs as strings).
 */
export function parseTriggerConfig(raw: unknown, baseDir: string): TriggerConfig {
  if (!isObject(raw)) fail('a trigger must be a JSON object of settings');
  const settings = new Map<string, unknown>();
  const patterns: string[] = [];
  let reportFailures: boolean | undefined;
  for (const [key, value] of Object.entries(raw)) {
    const name = SETTING_NAMES[fold(key)];
    if (name === undefined) fail(`unknown trigger setting "${key}"`);
    if (name === 'Filter') {
      filterPatterns(value, patterns);
      continue;
    }
    if (name === 'ReportBatchItemFailures') {
      reportFailures = boolean(key, value);
      continue;
    }
    if (settings.has(name)) fail(`trigger setting ${name} is given twice`);
    settings.set(name, value);
  }

  const tableName = text('TableName', settings.get('TableName') ?? fail('a trigger needs a TableName (table=...)'));
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) fail(`TableName is not a valid table name: ${tableName}`);
  const regionValue = settings.get('Region');
  const region = regionValue === undefined ? undefined : text('Region', regionValue);
  const handlerText = text('Handler', settings.get('Handler') ?? fail('a trigger needs a Handler (a module path or an http(s) URL)'));
  const handler = resolveHandler(handlerText, baseDir);
  const idValue = settings.get('Id');
  const id = idValue === undefined ? derivedId(tableName, region, handlerText) : text('Id', idValue);
  if (!ID_PATTERN.test(id)) fail(`Id may hold letters, digits, ".", "_" and "-" only (1 to 300): ${id}`);

  const startingPosition = settings.get('StartingPosition') ?? DEFAULTS.StartingPosition;
  if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON') {
    fail(`StartingPosition must be TRIM_HORIZON or LATEST, got ${JSON.stringify(startingPosition)}`);
  }

  const criteria = settings.get('FilterCriteria');
  if (criteria !== undefined) {
    if (!isObject(criteria) || !Array.isArray(criteria.Filters)) fail('FilterCriteria must be {"Filters": [{"Pattern": "..."}]}');
    for (const filter of criteria.Filters) {
      if (!isObject(filter) || filter.Pattern === undefined) fail('each of FilterCriteria.Filters must be {"Pattern": "..."}');
      filterPatterns(filter.Pattern, patterns);
    }
  }
  if (patterns.length > 10) fail('FilterCriteria holds at most 10 filters');
  try {
    compileFilterCriteria(patterns);
  } catch (error) {
    if (error instanceof FilterPatternError) fail(error.message);
    throw error;
  }

  const responseTypes = settings.get('FunctionResponseTypes');
  if (responseTypes !== undefined) {
    const types = typeof responseTypes === 'string' ? [responseTypes] : responseTypes;
    if (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures')) {
      fail('FunctionResponseTypes may only hold "ReportBatchItemFailures"');
    }
    if (types.length > 0) reportFailures = reportFailures ?? true;
  }

  let destination: string | undefined;
  const onFailure = settings.get('OnFailure');
  const destinationConfig = settings.get('DestinationConfig');
  if (onFailure !== undefined && destinationConfig !== undefined) fail('give either DestinationConfig or OnFailure, not both');
  if (onFailure !== undefined) destination = text('OnFailure', onFailure);
  if (destinationConfig !== undefined && destinationConfig !== null) {
    if (!isObject(destinationConfig)) fail('DestinationConfig must be {"OnFailure": {"Destination": "..."}}');
    if (destinationConfig.OnFailure !== undefined) {
      const target = isObject(destinationConfig.OnFailure) ? destinationConfig.OnFailure.Destination : undefined;
      destination = text('DestinationConfig.OnFailure.Destination', target);
    }
  }

  const maxRecordAge = integer('MaximumRecordAgeInSeconds', settings.get('MaximumRecordAgeInSeconds') ?? DEFAULTS.MaximumRecordAgeInSeconds, -1, 604_800);
  if (maxRecordAge !== -1 && maxRecordAge < 60) fail('MaximumRecordAgeInSeconds must be -1 (no limit) or from 60 to 604800');

  return {
    Id: id,
    TableName: tableName,
    ...(region !== undefined ? { Region: region } : {}),
    Handler: handler,
    BatchSize: integer('BatchSize', settings.get('BatchSize') ?? DEFAULTS.BatchSize, 1, 10_000),
    MaximumBatchingWindowInSeconds: integer(
      'MaximumBatchingWindowInSeconds',
      settings.get('MaximumBatchingWindowInSeconds') ?? DEFAULTS.MaximumBatchingWindowInSeconds,
      0,
      300,
    ),
    StartingPosition: startingPosition,
    ...(patterns.length > 0 ? { FilterCriteria: { Filters: patterns.map((Pattern) => ({ Pattern })) } } : {}),
    MaximumRetryAttempts: integer('MaximumRetryAttempts', settings.get('MaximumRetryAttempts') ?? DEFAULTS.MaximumRetryAttempts, -1, 10_000),
    MaximumRecordAgeInSeconds: maxRecordAge,
    BisectBatchOnFunctionError: boolean('BisectBatchOnFunctionError', settings.get('BisectBatchOnFunctionError') ?? DEFAULTS.BisectBatchOnFunctionError),
    FunctionResponseTypes: reportFailures === true ? ['ReportBatchItemFailures'] : [],
    ...(destination !== undefined ? { DestinationConfig: { OnFailure: { Destination: resolveDestination(destination, baseDir) } } } : {}),
    Timeout: integer('Timeout', settings.get('Timeout') ?? DEFAULTS.Timeout, 1, 900),
  };
}

/** What a normalised Handler names: a module (path and export) or a URL. */
export type HandlerTarget =
  | { readonly kind: 'module'; readonly path: string; readonly exportName: string }
  | { readonly kind: 'http'; readonly url: string };

export function handlerTarget(handler: string): HandlerTarget {
  if (/^https?:\/\//i.test(handler)) return { kind: 'http', url: handler };
  const { file, exportName } = splitExport(handler);
  return { kind: 'module', path: file, exportName: exportName ?? 'handler' };
}
