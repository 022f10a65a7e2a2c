/**
 * The access-pattern report as plain text for a terminal (`GET /cairn/report`, `cairn report`): one section per
 * table, its patterns most frequent first, each with a bar for its share of the table's requests; hot keys with
 * bars for their share of the key-naming requests. Lines stay within about 100 columns (long shapes wrap onto
 * their own line).
 */
import type { AccessReport, TableReport } from './access-report.js';

const BAR_WIDTH = 20;

/** `████████░░░░` for a share in [0, 1], in eighths of a cell. */
export function bar(share: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const partialChar = partial === 0 ? '' : (['▏', '▎', '▍', '▌', '▋', '▊', '▉'][partial - 1] as string);
  return '█'.repeat(full) + partialChar + '░'.repeat(width - full - (partial === 0 ? 0 : 1));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`.padStart(6);
}

function units(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function money(amount: number): string {
  return amount >= 1 ? `$${amount.toFixed(2)}` : `$${amount.toFixed(6)}`;
}

export function reportText(report: AccessReport): string {
  const lines: string[] = [];
  lines.push('Cairn access-pattern report');
  lines.push(`Interval: ${report.Since} .. ${report.Until} (${report.DurationSeconds} s of capacity time), capacity mode ${report.CapacityMode}`);
  const prices = report.Prices;
  lines.push(
    `Prices: on-demand $${prices.onDemandReadPerMillion}/M reads, $${prices.onDemandWritePerMillion}/M writes; ` +
      `provisioned $${prices.provisionedReadPerUnitHour}/RCU-hour, $${prices.provisionedWritePerUnitHour}/WCU-hour`,
  );
  if (report.Tables.length === 0) {
    lines.push('', 'No requests recorded.');
    return `${lines.join('\n')}\n`;
  }
  for (const table of report.Tables) lines.push('', ...tableText(table));
  lines.push('', `Interval cost, all tables: ${money(report.Cost.OnDemand)} on-demand, ${money(report.Cost.Provisioned)} provisioned`);
  return `${lines.join('\n')}\n`;
}

function tableText(table: TableReport): string[] {
  const lines: string[] = [];
  lines.push(
    `Table ${table.TableName} (${table.Region}, ${table.BillingMode ?? 'deleted'}): ${table.Requests} requests, ` +
      `${units(table.ReadCapacityUnits)} RCU, ${units(table.WriteCapacityUnits)} WCU`,
  );
  lines.push('  Access patterns');
  for (const pattern of table.Patterns) {
    const target = pattern.IndexName === null ? '' : ` on ${pattern.IndexName}`;
    lines.push(
      `    ${pattern.Operation}${target}  key: ${pattern.KeyCondition ?? 'none'}  filter: ${pattern.Filter ?? 'none'}  projection: ${pattern.Projection}`,
    );
    let detail =
      `      ${String(pattern.Count).padStart(7)} ${bar(pattern.Share)} ${percent(pattern.Share)}  ` +
      `RCU ${units(pattern.ReadCapacityUnits)}  WCU ${units(pattern.WriteCapacityUnits)}  ` +
      `p50 ${pattern.LatencyMs.P50} ms  p99 ${pattern.LatencyMs.P99} ms`;
    if (pattern.ScannedCount !== undefined && pattern.ReturnedCount !== undefined) {
      const discarded = pattern.ScannedCount - pattern.ReturnedCount;
      detail += `  scanned ${pattern.ScannedCount}, returned ${pattern.ReturnedCount}`;
      if (discarded > 0) detail += ` (filter discarded ${percent(discarded / pattern.ScannedCount).trim()})`;
    }
    if (pattern.Throttled > 0) detail += `  throttled ${pattern.Throttled}`;
    if (pattern.ConditionalCheckFailed > 0) detail += `  condition failed ${pattern.ConditionalCheckFailed}`;
    lines.push(detail);
  }
  if (table.Scans.Requests > 0) {
    lines.push(
      `  Scans of the whole table: ${table.Scans.Requests} requests read ${table.Scans.ScannedCount} items for ` +
        `${units(table.Scans.ReadCapacityUnits)} RCU`,
    );
  }
  for (const hot of table.HotKeys) {
    lines.push(`  Hot partition keys${hot.IndexName === null ? '' : ` of ${hot.IndexName}`} (${hot.Requests} requests naming a key)`);
    for (const key of hot.Keys) {
      lines.push(`    ${bar(key.Share)} ${percent(key.Share)} ${String(key.Count).padStart(7)}  ${key.Value}`);
    }
  }
  if (table.WriteAmplification.length > 0) {
    lines.push('  GSI write amplification (index write units per table write unit)');
    for (const index of table.WriteAmplification) {
      lines.push(`    ${index.IndexName}: ${index.PerTableWriteUnit} (${units(index.WriteCapacityUnits)} WCU)`);
    }
  }
  if (table.Throttles.length > 0) {
    lines.push('  Throttles');
    for (const throttle of table.Throttles) {
      const target = throttle.IndexName === null ? '' : ` on ${throttle.IndexName}`;
      lines.push(`    ${String(throttle.Count).padStart(7)}  ${throttle.Reason}${target}${throttle.Enforced ? '' : ' (would have been throttled: account mode)'}`);
    }
  }
  const basis = table.Cost.ProvisionedBasis === 'provisioned' ? 'at its provisioned units' : 'at its peak units per second';
  lines.push(`  Cost of the interval: ${money(table.Cost.OnDemand)} on-demand, ${money(table.Cost.Provisioned)} provisioned (${basis})`);
  return lines;
}
