/**
 * A stream record as DynamoDB Streams returns it (and as Lambda passes it on): eventID, eventName (INSERT, MODIFY,
 * REMOVE), eventVersion, eventSource, awsRegion, the `dynamodb` member with the images the stream's view type
 * asks for, and userIdentity for deletions made by the service itself (TTL).
 */
import { createHash } from 'node:crypto';
import type { Item } from '../../model/attribute-value.js';
import { itemSize } from '../../model/item-size.js';
import { keyAttributesOf } from '../../model/key-encoding.js';
import type { StreamViewType, TableKey } from '../table-metadata.js';
import { formatSequence } from './shard-state.js';
import type { ItemVersion } from '../replication/item-version.js';

export interface StreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime: number;
    readonly Keys: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
  /** On the Streams wire the members are PascalCase (Lambda events spell them in lower case). */
  readonly userIdentity?: { readonly PrincipalId: 'dynamodb.amazonaws.com'; readonly Type: 'Service' };
}

/**
 * A record as stored: the wire record, and for a replicated table the version of the write and whether it came
 * from another replica (replication/replicator.ts follows only the writes a region took itself). Readers of the
 * Streams API never see `replication` (stream-reader.ts leaves it out).
 */
export interface StoredStreamRecord extends StreamRecord {
  readonly replication?: {
    readonly version: ItemVersion;
    readonly replicated: boolean;
    /**
     * The new item when the stream's view type leaves it out (KEYS_ONLY, OLD_IMAGE): DynamoDB lets a table with
     * such a stream be global, and the other replicas need the item.
     */
    readonly newImage?: Item;
  };
}

/** Who made a change: a client, DynamoDB itself (TTL deletions), or another replica of a global table. */
export type ChangeOrigin = 'client' | 'ttl' | 'replication';

export function streamRecord(options: {
  readonly streamId: string;
  readonly viewType: StreamViewType;
  readonly region: string;
  readonly tableKey: TableKey;
  readonly sequence: number;
  readonly now: number;
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly origin: ChangeOrigin;
  /** A replicated table's write: its version. */
  readonly version?: ItemVersion;
}): StoredStreamRecord {
  const { viewType, oldItem, newItem } = options;
  const eventName = oldItem === undefined ? 'INSERT' : newItem === undefined ? 'REMOVE' : 'MODIFY';
  const keys = keyAttributesOf(options.tableKey, (newItem ?? oldItem) as Item);
  const withNew = newItem !== undefined && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
  const withOld = oldItem !== undefined && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
  const size = itemSize(keys) + (withNew ? itemSize(newItem) : 0) + (withOld ? itemSize(oldItem) : 0);
  return {
    // Deterministic (stream and sequence number), so that a decision that runs twice builds the same record.
    eventID: createHash('sha256').update(`${options.streamId}/${options.sequence}`).digest('hex').slice(0, 32),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: options.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(options.now / 1000),
      Keys: keys,
      ...(withNew ? { NewImage: newItem } : {}),
      ...(withOld ? { OldImage: oldItem } : {}),
      SequenceNumber: formatSequence(options.sequence),
      SizeBytes: size,
      StreamViewType: viewType,
    },
    ...(options.origin === 'ttl' ? { userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } } : {}),
    ...(options.version !== undefined
      ? {
          replication: {
            version: options.version,
            replicated: options.origin === 'replication',
            ...(newItem !== undefined && !withNew ? { newImage: newItem } : {}),
          },
        }
      : {}),
  };
}

/** The storage key of a record: its sequence number, 8 bytes big-endian, so records are in sequence order. */
export function recordKey(sequence: number): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, BigInt(sequence));
  return key;
}

export function recordSpace(streamId: string): string {
  return `sr/${streamId}`;
}

export function shardStateSpace(streamId: string): string {
  return `ss/${streamId}`;
}

export const SHARD_STATE_KEY = Uint8Array.of(0);
