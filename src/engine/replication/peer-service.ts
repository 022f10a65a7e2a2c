/**
 * What a server does for its peers (the other side of peers.ts): the operations of Cairn's replication endpoint,
 * always on tables of this server's own region. A peer creates a replica here, writes the replica set into it,
 * copies its items into it (`apply`, the same versioned writes as the local copy), deletes it, and reads this
 * server's stream of a table (`stream`, `records`) to follow it. It also sets a replica's overrides
 * (`replica-settings`) and reads a table's metadata (`table-metadata`); the operations that need the API's checks
 * (a GSI change, the legacy API's) are the API layer's (`apiOperations`, src/api/peer-operations.ts). For STRONG
 * tables it grants, applies and gives back the items of writes its peers coordinate (`strong-prepare`,
 * `strong-commit`, `strong-release`).
 */
import { validationError } from '../../errors.js';
import type { Item } from '../../model/attribute-value.js';
import { encodeItemKey } from '../../model/key-encoding.js';
import type { Catalog, Namespace, NewTable } from '../catalog.js';
import type { StoredStreamRecord } from '../streams/stream-record.js';
import { writeItems, type WriteContext } from '../write-path.js';
import { isItemVersion } from './item-version.js';
import { withReplicaOverrides, writeReplicaSet } from './replica-admin.js';
import type { TableMetadata } from '../table-metadata.js';
import type { ReplicaMetadata } from './replica-set.js';
import type { ReplicationSource } from './replicator.js';
import type { PeerReadPositions } from './pending-replication.js';
import type { ItemGrants } from './item-grants.js';
import { commitStrongWrite, prepareStrongWrite, releaseStrongWrite } from './strong-writes.js';
import { isWitnessTable, witnessNamespace } from './strong-consistency.js';

/** The table an operation of the replication endpoint names, in this server's region. */
export interface PeerTarget {
  readonly namespace: Namespace;
  readonly tableName: string;
  readonly table: TableMetadata | undefined;
}

/**
 * An operation of the replication endpoint that the API layer carries out, because it needs the API's checks (a
 * GSI change carried to this server's replica, the legacy API's requirements and settings): src/api/peer-operations.ts.
 */
export type PeerApiOperation = (target: PeerTarget, body: Readonly<Record<string, unknown>>) => Promise<unknown>;

export interface PeerServiceContext extends WriteContext {
  readonly catalog: Catalog;
  /** The region this server serves. */
  readonly region: string;
  readonly localSource: ReplicationSource;
  /** Where each peer last asked to read this server's streams from (PendingReplicationCount). */
  readonly peerPositions: PeerReadPositions;
  readonly apiOperations: ReadonlyMap<string, PeerApiOperation>;
  /** The grants of STRONG tables' items (item-grants.ts). */
  readonly grants: ItemGrants;
}

type Body = Readonly<Record<string, unknown>>;

function text(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw validationError(`replication: "${name}" must be a string`);
  return value;
}

/** The table the call is about: the account's in this region, or else its witness's (strong-consistency.ts). */
function tableOf(context: PeerServiceContext, body: Body): PeerTarget {
  const accountId = text(body, 'accountId');
  const tableName = text(body, 'tableName');
  const replica = { accountId, region: context.region };
  const witness = witnessNamespace(accountId, context.region);
  const table = context.catalog.getTable(replica, tableName) ?? context.catalog.getTable(witness, tableName);
  return { namespace: table !== undefined && isWitnessTable(table) ? witness : replica, tableName, table };
}

/** Runs one operation of the replication endpoint; throws DynamoDbError for a request it cannot carry out. */
export async function servePeer(context: PeerServiceContext, operation: string, body: Body): Promise<unknown> {
  switch (operation) {
    case 'create-table': {
      const spec = body.table as NewTable;
      const accountId = text(body, 'accountId');
      const accounts = [accountId, witnessNamespace(accountId, context.region).accountId];
      if (typeof spec !== 'object' || spec === null || spec.region !== context.region || !accounts.includes(spec.accountId)) {
        throw validationError(`replication: the table must be of region ${context.region}`);
      }
      // ResourceInUseException when a table of the name exists: the caller turns it into its refusal.
      const table = await context.catalog.createTable(spec);
      return { tableId: table.tableId };
    }
    case 'table-id': {
      return { tableId: tableOf(context, body).table?.tableId ?? null };
    }
    case 'replica-set': {
      const { namespace, tableName } = tableOf(context, body);
      const replicas = body.replicas as readonly ReplicaMetadata[] | null;
      await writeReplicaSet(context.catalog, { accountId: namespace.accountId, tableName }, [context.region], replicas ?? undefined);
      return {};
    }
    case 'replica-settings': {
      const { namespace, tableName, table } = tableOf(context, body);
      if (table === undefined) throw validationError(`replication: no table ${tableName} in ${context.region}`);
      const settings = body.replica as Parameters<typeof withReplicaOverrides>[1];
      await context.catalog.updateTable(namespace, tableName, (current) => withReplicaOverrides(current, settings ?? {}));
      return {};
    }
    case 'table-metadata': {
      return { table: tableOf(context, body).table ?? null };
    }
    case 'delete-table': {
      const { namespace, tableName, table } = tableOf(context, body);
      // `ifCreatedAt`: only the replica created by that request (a replica given up as CREATION_FAILED), not a
      // table of the name made since.
      const created = body.ifCreatedAt;
      const ours = created === undefined || (table?.replicas ?? []).some((replica) => replica.regionName === context.region && replica.createdAt === created);
      if (table !== undefined && ours) await context.catalog.deleteTable(namespace, tableName, () => undefined);
      return {};
    }
    case 'apply': {
      const { tableName, table } = tableOf(context, body);
      if (table === undefined || table.tableId !== body.tableId) return { applied: false };
      const writes = (body.writes as readonly { item: Item; version: unknown }[]).map(({ item, version }) => {
        if (!isItemVersion(version)) throw validationError(`replication: a write to ${tableName} has no version`);
        return { table, storageKey: encodeItemKey(table.key, item), decide: () => item, origin: 'replication' as const, replicated: version };
      });
      await writeItems(context, writes);
      return { applied: true };
    }
    case 'stream': {
      const { namespace, tableName } = tableOf(context, body);
      const follower = { accountId: namespace.accountId, tableName, region: text(body, 'forRegion') };
      return { stream: (await context.localSource.streamOf(follower, context.region)) ?? null };
    }
    case 'records': {
      const from = body.from;
      const limit = body.limit;
      if (typeof from !== 'number' || typeof limit !== 'number') throw validationError('replication: "from" and "limit" must be numbers');
      const stream = text(body, 'stream');
      // Only the streams of this account's tables: a stream's identity starts with its table's id.
      const accounts = [body.accountId, witnessNamespace(text(body, 'accountId'), context.region).accountId];
      const owned = context.catalog.allTables().some((table) => accounts.includes(table.accountId) && stream.startsWith(table.tableId));
      if (!owned) return { records: [] as { sequence: number; record: StoredStreamRecord }[] };
      if (typeof body.forRegion === 'string') context.peerPositions.readFrom(stream, body.forRegion, from);
      return { records: await context.localSource.read(stream, from, Math.min(limit, 1000)) };
    }
    // A STRONG table's write coordinated by a peer's region (strong-writes.ts): grant, apply, give back.
    case 'strong-prepare': {
      const { namespace, tableName } = tableOf(context, body);
      return prepareStrongWrite(context, namespace, tableName, text(body, 'key'), text(body, 'writeId'), true);
    }
    case 'strong-commit': {
      const { namespace, tableName } = tableOf(context, body);
      const version = body.version;
      if (!isItemVersion(version)) throw validationError(`replication: a write to ${tableName} has no version`);
      const item = body.item === null || body.item === undefined ? null : (body.item as Item);
      return { applied: await commitStrongWrite(context, namespace, tableName, text(body, 'key'), item, version) };
    }
    case 'strong-release': {
      const { namespace, tableName } = tableOf(context, body);
      await releaseStrongWrite(context, namespace, tableName, text(body, 'key'), text(body, 'writeId'));
      return {};
    }
    default: {
      const served = context.apiOperations.get(operation);
      if (served === undefined) throw validationError(`replication: unknown operation ${operation}`);
      return served(tableOf(context, body), body);
    }
  }
}
