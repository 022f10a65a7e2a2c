/**
 * UpdateTimeToLive: enables TTL on an attribute (ENABLING while the expiry index of the items already there is
 * built in the background, then ENABLED) or disables it (DISABLING while the index is dropped, then DISABLED).
 * DynamoDB's rules, checked in its order: enabling what is enabled, another attribute than the enabled one,
 * disabling what is disabled; then at most one change per interval (an hour by default, configurable so that tests
 * and development can change it at will).
 */
import { isStrong, strongTtlRefused } from '../engine/replication/strong-consistency.js';
import { tableNotFound } from '../engine/catalog.js';
import type { TimeToLive } from '../engine/table-metadata.js';
import { validationError } from '../errors.js';
import type { OperationHandler } from './operation.js';
import { booleanMember, objectMember, stringMember } from './request-members.js';
import { resolveTableName } from './table-name.js';
import { assertChangeable } from './table-status.js';

export const updateTimeToLive: OperationHandler = async (context, request) => {
  const ref = resolveTableName(context, stringMember(request, 'TableName') ?? '');
  const specification = objectMember(request, 'TimeToLiveSpecification') ?? {};
  const attributeName = stringMember(specification, 'AttributeName') ?? '';
  const enabled = booleanMember(specification, 'Enabled') ?? false;
  if (context.engine.catalog.getTable(ref, ref.tableName) === undefined) throw tableNotFound(ref.tableName);
  const interval = context.engine.ttlChangeIntervalMs;
  const updated = await context.engine.catalog.updateTable(ref, ref.tableName, (current) => {
    assertChangeable(current);
    if (enabled && isStrong(current)) throw strongTtlRefused(current);
    const ttl = current.timeToLive;
    const on = ttl !== undefined && (ttl.status === 'ENABLED' || ttl.status === 'ENABLING');
    if (on && ttl.attributeName !== attributeName) {
      throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${ttl.attributeName}`);
    }
    if (enabled && on) throw validationError('TimeToLive is already enabled');
    if (!enabled && !on) throw validationError('TimeToLive is already disabled');
    const now = Date.now();
    if (ttl !== undefined && now - ttl.changedAt < interval) {
      throw validationError('Time to live has been modified multiple times within a fixed interval');
    }
    const next: TimeToLive = { attributeName, status: enabled ? 'ENABLING' : 'DISABLING', changedAt: now };
    return { ...current, timeToLive: next };
  });
  if (enabled) context.engine.startTtlEnabling(updated);
  else context.engine.startTtlDisabling(updated);
  return { TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled } };
};
