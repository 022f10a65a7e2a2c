/**
 * How often provisioned throughput may be lowered. DynamoDB (Service Quotas, "Decreasing provisioned
 * throughput"): "On a given day, you can start by performing up to four decreases within one hour as long as you
 * have not performed any other decreases yet during that day. Subsequently, you can perform one additional
 * decrease per hour as long as there was no decreases in the preceding hour", a day being a UTC calendar day; a
 * table and each of its global secondary indexes have their own budget, and a request refused for one of them
 * changes nothing.
 *
 * Modelled as DynamoDB is observed to apply it: four decreases at any time of the day, then each further one at
 * least 3,600 seconds after the last accepted one (not at the top of an hour); the count starts again at 00:00
 * UTC; a refused attempt moves neither the count nor the time of the last decrease. A change that lowers one of
 * read or write units counts as a decrease even when it raises the other; lowering both counts once.
 *
 * The times are capacity time (the capacity clock), so a test can spend a day of decreases in no wall time.
 */
import { DynamoDbError } from '../errors.js';
import type { ProvisionedThroughputSettings } from '../engine/table-metadata.js';

export const FREE_DECREASES_PER_DAY = 4;
export const DECREASE_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** NumberOfDecreasesToday at `now`: the stored count while the last decrease was made on the same UTC day. */
export function decreasesToday(throughput: ProvisionedThroughputSettings, now: number): number {
  const last = throughput.LastDecreaseDateTime;
  return last !== undefined && utcDay(last) === utcDay(now) ? throughput.NumberOfDecreasesToday : 0;
}

/**
 * The throughput after a change to `read` / `write` units at `now`, with its Last*DateTime and count updated;
 * throws DynamoDB's LimitExceededException when the change is a decrease the day's budget does not allow.
 */
export function changedThroughput(
  current: ProvisionedThroughputSettings,
  read: number,
  write: number,
  now: number,
): ProvisionedThroughputSettings {
  const increased = read > current.ReadCapacityUnits || write > current.WriteCapacityUnits;
  const decreased = read < current.ReadCapacityUnits || write < current.WriteCapacityUnits;
  const today = decreasesToday(current, now);
  if (decreased) checkDecreaseAllowed(current, today, now);
  return {
    ...current,
    ...(increased ? { LastIncreaseDateTime: now } : {}),
    ...(decreased ? { LastDecreaseDateTime: now } : {}),
    NumberOfDecreasesToday: decreased ? today + 1 : today,
    ReadCapacityUnits: read,
    WriteCapacityUnits: write,
  };
}

function checkDecreaseAllowed(current: ProvisionedThroughputSettings, today: number, now: number): void {
  const last = current.LastDecreaseDateTime;
  if (today < FREE_DECREASES_PER_DAY || last === undefined) return;
  // The next one is allowed an hour after the last, or at midnight UTC when the day's count starts again.
  const next = Math.min(last + DECREASE_INTERVAL_MS, (utcDay(now) + 1) * DAY_MS);
  if (now >= next) return;
  throw decreaseLimitExceeded(today, last, next);
}

/**
 * DynamoDB's refusal. The text is the one logged by several users of DynamoDB (2018, 2019) and seen again in
 * 2026; the date format is the 2026 one ("Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time").
 * Whether the 2026 answer ends with a period is not settled (captures differ); this one does not. The same text
 * is used for a global secondary index, whose own wording is not recorded.
 */
export function decreaseLimitExceeded(today: number, last: number, next: number): DynamoDbError {
  return new DynamoDbError(
    'LimitExceededException',
    'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. ' +
      `After the first ${FREE_DECREASES_PER_DAY} decreases, each subsequent decrease in the same UTC day can be performed at most once every ` +
      `${DECREASE_INTERVAL_MS / 1000} seconds. Number of decreases today: ${today}. Last decrease at ${utcDateTime(last)}. ` +
      `Next decrease can be made at ${utcDateTime(next)}`,
  );
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/**
 * "Friday, October 9, 2026 at 12:21:34 AM Coordinated Universal Time", spelled out here rather than through Intl,
 * whose output (the space before AM/PM in particular) changes with the ICU version Node is built with.
 */
export function utcDateTime(ms: number): string {
  const date = new Date(ms);
  const hours = date.getUTCHours();
  const two = (value: number) => String(value).padStart(2, '0');
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  const day = `${WEEKDAYS[date.getUTCDay()] as string}, ${MONTHS[date.getUTCMonth()] as string} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  return `${day} at ${time} Coordinated Universal Time`;
}
