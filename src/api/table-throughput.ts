/**
 * OnDemandThroughput and WarmThroughput of a table or a global secondary index: checked as DynamoDB checks them,
 * kept in the table's metadata (where capacity enforcement will read them), and described as DynamoDB describes
 * them. Texts and behaviour from live captures of DynamoDB (CreateTable / UpdateTable / DescribeTable, us-east-1
 * and us-west-2, 2026-10) kept in a public catalogue of DynamoDB's behaviour:
 * - OnDemandThroughput: each member at least 1; on UpdateTable -1 removes a member's maximum; an empty structure
 *   is ignored; refused on a provisioned table. A member not given keeps its value (UpdateTable merges).
 * - WarmThroughput: never below what the table has anyway (12,000 read / 4,000 write units per second for an
 *   on-demand table, its provisioned units otherwise) at creation, never decreased by UpdateTable; DescribeTable
 *   shows the larger of the request and that floor, with Status ACTIVE, for every table and GSI.
 */
import { validationError } from '../errors.js';
import type {
  BillingMode,
  OnDemandThroughputSettings,
  ProvisionedThroughputSettings,
  WarmThroughputSettings,
} from '../engine/table-metadata.js';
import type { JsonObject } from './operation.js';
import { numberMember } from './request-members.js';

const INVALID = 'One or more parameter values were invalid: ';
/** An on-demand table's initial throughput, which its warm throughput starts at. */
export const ON_DEMAND_INITIAL = { read: 12_000, write: 4_000 } as const;
const INITIAL_THROUGHPUT_PAGE =
  'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html#on-demand-capacity-mode-initial';

/** What the settings belong to: the table, or the GSI of this name. */
export type ThroughputOwner = { readonly index?: string };

const READ = 'MaxReadRequestUnits';
const WRITE = 'MaxWriteRequestUnits';

function isEmpty(member: JsonObject | undefined): boolean {
  return member === undefined || Object.keys(member).every((key) => member[key] == null);
}

/**
 * The OnDemandThroughput of a request, checked, merged over `current` (UpdateTable) and with cleared (-1)
 * members removed; undefined when nothing remains. `member` undefined or empty leaves `current` as it is.
 */
export function onDemandThroughput(
  member: JsonObject | undefined,
  billingMode: BillingMode,
  owner: ThroughputOwner,
  operation: 'create' | 'update',
  current?: OnDemandThroughputSettings,
): OnDemandThroughputSettings | undefined {
  if (isEmpty(member)) return current;
  const request = member as JsonObject;
  const read = numberMember(request, READ);
  const write = numberMember(request, WRITE);
  if (billingMode === 'PROVISIONED') {
    const named = read !== undefined ? READ : WRITE;
    // The index variant's wording past the index name follows the table's (not captured verbatim).
    throw validationError(
      owner.index === undefined
        ? `${INVALID}${named} for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`
        : `${INVALID}${named} for OnDemandThroughput for index: ${owner.index} cannot be specified when the table BillingMode is PROVISIONED`,
    );
  }
  for (const [name, value] of [[READ, read], [WRITE, write]] as const) {
    // -1 (remove the maximum) is only meaningful on an update.
    if (value === undefined || value >= 1 || (operation === 'update' && value === -1)) continue;
    throw validationError(
      `${INVALID}Requested ${name} for OnDemandThroughput for ${owner.index === undefined ? 'table' : `index : ${owner.index}`} is outside of valid range`,
    );
  }
  const merged: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number } = { ...current };
  if (read !== undefined) merged.MaxReadRequestUnits = read;
  if (write !== undefined) merged.MaxWriteRequestUnits = write;
  if (merged.MaxReadRequestUnits === -1) delete merged.MaxReadRequestUnits;
  if (merged.MaxWriteRequestUnits === -1) delete merged.MaxWriteRequestUnits;
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/** The warm throughput a table or GSI has without asking: an on-demand table's initial one, or its units. */
function warmFloor(billingMode: BillingMode, provisioned: ProvisionedThroughputSettings | undefined): { read: number; write: number } {
  if (billingMode === 'PAY_PER_REQUEST') return ON_DEMAND_INITIAL;
  return { read: provisioned?.ReadCapacityUnits ?? 0, write: provisioned?.WriteCapacityUnits ?? 0 };
}

/**
 * The warm throughput DynamoDB describes: the largest of the one asked for, the floor, and what the capacity model
 * says the table or GSI has reached (`reached`, when capacity is counted).
 */
export function describedWarm(
  warm: WarmThroughputSettings | undefined,
  billingMode: BillingMode,
  provisioned: ProvisionedThroughputSettings | undefined,
  reached?: { readonly readUnits: number; readonly writeUnits: number },
): { ReadUnitsPerSecond: number; WriteUnitsPerSecond: number } {
  const floor = warmFloor(billingMode, provisioned);
  return {
    ReadUnitsPerSecond: Math.max(warm?.ReadUnitsPerSecond ?? 0, floor.read, reached?.readUnits ?? 0),
    WriteUnitsPerSecond: Math.max(warm?.WriteUnitsPerSecond ?? 0, floor.write, reached?.writeUnits ?? 0),
  };
}

/**
 * The WarmThroughput of a CreateTable request (table or GSI), checked against the floor; undefined when absent
 * or empty (DynamoDB accepts `{}` there and keeps the default).
 */
export function createWarmThroughput(
  member: JsonObject | undefined,
  billingMode: BillingMode,
  provisioned: ProvisionedThroughputSettings | undefined,
  owner: ThroughputOwner,
): WarmThroughputSettings | undefined {
  if (isEmpty(member)) return undefined;
  const request = member as JsonObject;
  const floor = warmFloor(billingMode, provisioned);
  const of = owner.index === undefined ? 'table' : `index ${owner.index}`;
  const requested = { read: numberMember(request, 'ReadUnitsPerSecond'), write: numberMember(request, 'WriteUnitsPerSecond') };
  for (const [side, name, capacity] of [
    ['read', 'ReadUnitsPerSecond', 'ReadCapacityUnits'],
    ['write', 'WriteUnitsPerSecond', 'WriteCapacityUnits'],
  ] as const) {
    const value = requested[side];
    if (value === undefined || value >= floor[side]) continue;
    throw validationError(
      billingMode === 'PAY_PER_REQUEST'
        ? `${INVALID}Requested ${name} for WarmThroughput for ${of} is lower than initial throughput for OnDemand. See: ${INITIAL_THROUGHPUT_PAGE}`
        : `${INVALID}Requested ${name} for WarmThroughput for ${of} is lower than ${capacity} of ProvisionedThroughput`,
    );
  }
  return warmSettings(requested);
}

/** The WarmThroughput of an UpdateTable request, which may only raise what is described now. */
export function updateWarmThroughput(
  member: JsonObject | undefined,
  current: WarmThroughputSettings | undefined,
  billingMode: BillingMode,
  provisioned: ProvisionedThroughputSettings | undefined,
  owner: ThroughputOwner,
  /** What the capacity model says the table or GSI has reached (DescribeTable shows the larger). */
  reached?: { readonly readUnits: number; readonly writeUnits: number },
): WarmThroughputSettings | undefined {
  if (isEmpty(member)) return current;
  const request = member as JsonObject;
  const now = describedWarm(current, billingMode, provisioned, reached);
  const of = owner.index === undefined ? 'table' : `index ${owner.index}`;
  const requested = { read: numberMember(request, 'ReadUnitsPerSecond'), write: numberMember(request, 'WriteUnitsPerSecond') };
  if (requested.read !== undefined && requested.read < now.ReadUnitsPerSecond) {
    throw validationError(`${INVALID}Requested ReadUnitsPerSecond for WarmThroughput for ${of} is lower than current WarmThroughput, decreasing WarmThroughput is not supported`);
  }
  if (requested.write !== undefined && requested.write < now.WriteUnitsPerSecond) {
    throw validationError(`${INVALID}Requested WriteUnitsPerSecond for WarmThroughput for ${of} is lower than current WarmThroughput, decreasing WarmThroughput is not supported`);
  }
  return warmSettings({ read: requested.read ?? current?.ReadUnitsPerSecond, write: requested.write ?? current?.WriteUnitsPerSecond });
}

function warmSettings(values: { read: number | undefined; write: number | undefined }): WarmThroughputSettings {
  const settings: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number } = {};
  if (values.read !== undefined) settings.ReadUnitsPerSecond = values.read;
  if (values.write !== undefined) settings.WriteUnitsPerSecond = values.write;
  return settings;
}

/**
 * A provisioned table's (or GSI's) warm throughput after its units are set to `read` / `write`: DynamoDB is
 * observed to describe the most it has ever been provisioned with (its partitions are never taken away), and
 * what an on-demand table had before it switched, so an increase raises it and a decrease keeps it.
 */
export function raisedWarm(
  warm: WarmThroughputSettings | undefined,
  billingMode: BillingMode,
  provisioned: ProvisionedThroughputSettings | undefined,
  read: number,
  write: number,
): WarmThroughputSettings {
  const before = describedWarm(warm, billingMode, provisioned);
  return { ReadUnitsPerSecond: Math.max(before.ReadUnitsPerSecond, read), WriteUnitsPerSecond: Math.max(before.WriteUnitsPerSecond, write) };
}

/** DescribeTable's OnDemandThroughput: the maxima set, absent when there are none. */
export function onDemandDescription(settings: OnDemandThroughputSettings | undefined): JsonObject | undefined {
  if (settings === undefined) return undefined;
  const description: JsonObject = {};
  if (settings.MaxReadRequestUnits !== undefined) description.MaxReadRequestUnits = settings.MaxReadRequestUnits;
  if (settings.MaxWriteRequestUnits !== undefined) description.MaxWriteRequestUnits = settings.MaxWriteRequestUnits;
  return Object.keys(description).length === 0 ? undefined : description;
}
