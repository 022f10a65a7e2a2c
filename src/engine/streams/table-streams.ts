/**
 * Which streams a table has and which one its writes go to. DynamoDB gives every enabling of a stream a new
 * label (the time it was enabled) and so a new ARN; a disabled stream is readable for 24 hours more.
 */
import type { StreamSpecification, StreamViewType, TableMetadata, TableStream } from '../table-metadata.js';

/** How long a stream's records (and a disabled stream) stay readable. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/** DynamoDB labels a stream with the time it was enabled, e.g. `2026-01-01T12:00:00.000`. */
export function streamLabel(now: number): string {
  return new Date(now).toISOString().slice(0, 23);
}

export function streamArnOf(table: Pick<TableMetadata, 'tableArn'>, label: string): string {
  return `${table.tableArn}/stream/${label}`;
}

/** The storage identity of a stream: its table and label. */
export function streamId(table: Pick<TableMetadata, 'tableId'>, label: string): string {
  return `${table.tableId}/${label}`;
}

/** The stream the table's writes are recorded in, if streams are enabled. */
export function activeStream(table: TableMetadata): TableStream | undefined {
  if (table.streamSpecification?.StreamEnabled !== true) return undefined;
  const streams = table.streams;
  if (streams === undefined) return undefined;
  const last = streams[streams.length - 1];
  return last !== undefined && last.disabledAt === undefined ? last : undefined;
}

/**
 * The table after a StreamSpecification (CreateTable or UpdateTable): enabling starts a new stream, disabling
 * closes the current one; streams disabled more than 24 hours ago are forgotten.
 */
export function applyStreamSpecification<T extends Pick<TableMetadata, 'streams' | 'streamSpecification' | 'latestStreamLabel'>>(
  table: T,
  spec: StreamSpecification,
  now: number,
): T {
  const kept = (table.streams ?? []).filter((stream) => stream.disabledAt === undefined || now - stream.disabledAt < STREAM_RETENTION_MS);
  if (spec.StreamEnabled) {
    const label = uniqueLabel(kept, now);
    const viewType: StreamViewType = spec.StreamViewType ?? 'NEW_AND_OLD_IMAGES';
    const closed = kept.map((stream) => (stream.disabledAt === undefined ? { ...stream, disabledAt: now } : stream));
    return {
      ...table,
      streamSpecification: { StreamEnabled: true, StreamViewType: viewType },
      latestStreamLabel: label,
      streams: [...closed, { label, viewType, enabledAt: now }],
    };
  }
  // A disabled stream leaves no StreamSpecification behind (DescribeTable shows none), only LatestStreamLabel.
  const closed = kept.map((stream) => (stream.disabledAt === undefined ? { ...stream, disabledAt: now } : stream));
  const next: { -readonly [K in keyof T]: T[K] } = { ...table, streams: closed };
  delete next.streamSpecification;
  return next;
}

/** Labels have millisecond precision; two enablings within one millisecond still get distinct labels. */
function uniqueLabel(streams: readonly TableStream[], now: number): string {
  let at = now;
  while (streams.some((stream) => stream.label === streamLabel(at))) at++;
  return streamLabel(at);
}
