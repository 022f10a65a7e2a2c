/**
 * PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy: a table's (or a stream's) resource-based policy,
 * kept with the table's metadata in the catalog, so that it is durable and goes away with the table. The policy
 * is stored as the text given and answered as such. A revision id is the time of the put in epoch milliseconds
 * (as DynamoDB's are), strictly increasing per resource; putting the same text again keeps the revision.
 * The policies are evaluated only with `--auth` (src/api/access/); without it they are kept and answered.
 */
import { DynamoDbError, validationError } from '../errors.js';
import { policyDeniesCaller } from './access/authorize-request.js';
import type { StoredPolicy, TableMetadata } from '../engine/table-metadata.js';
import type { OperationHandler, RequestContext } from './operation.js';
import { checkResourcePolicy } from './resource-policy-rules.js';
import { resolvePolicyTarget, type PolicyTarget } from './resource-policy-target.js';

const NO_POLICY = 'NO_POLICY';
const NOT_FOUND = 'Resource-based policy not found for the provided ResourceArn: ';

function policyNotFound(message: string): DynamoDbError {
  return new DynamoDbError('PolicyNotFoundException', message);
}

function storedPolicy(table: TableMetadata, streamLabel: string | undefined): StoredPolicy | undefined {
  return streamLabel === undefined ? table.resourcePolicy : table.streamPolicies?.[streamLabel];
}

function withPolicy(table: TableMetadata, streamLabel: string | undefined, policy: StoredPolicy | undefined): TableMetadata {
  if (streamLabel === undefined) {
    const { resourcePolicy: _removed, ...rest } = table;
    return policy === undefined ? rest : { ...rest, resourcePolicy: policy };
  }
  const streams: Record<string, StoredPolicy> = { ...table.streamPolicies };
  if (policy === undefined) delete streams[streamLabel];
  else streams[streamLabel] = policy;
  const { streamPolicies: _previous, ...rest } = table;
  return Object.keys(streams).length === 0 ? rest : { ...rest, streamPolicies: streams };
}

/** A revision id for a new policy: now, or just after the previous one when the clock has not moved past it. */
export function nextRevision(previous: StoredPolicy | undefined): string {
  const now = Date.now();
  const last = previous === undefined ? 0 : Number(previous.revisionId);
  return String(Number.isFinite(last) && last >= now ? last + 1 : now);
}

/** ExpectedRevisionId against the current policy, in DynamoDB's words. */
function checkExpected(expected: string | undefined, current: StoredPolicy | undefined, target: PolicyTarget, arn: string): void {
  if (expected === undefined) return;
  const name = target.table.tableName;
  if (expected === NO_POLICY) {
    if (current !== undefined) {
      throw policyNotFound(
        `${NOT_FOUND}Requested policy update expecting none to be present for table ${name}, but a policy exists with revision id ${current.revisionId}.`,
      );
    }
    return;
  }
  if (current === undefined) throw policyNotFound(`${NOT_FOUND}${arn}`);
  if (current.revisionId !== expected) {
    throw policyNotFound(
      `${NOT_FOUND}Requested update for policy with revision id ${expected}, but the policy associated to target table ${name} has revision id ${current.revisionId}.`,
    );
  }
}

async function update(
  context: RequestContext,
  target: PolicyTarget,
  change: (current: StoredPolicy | undefined) => StoredPolicy | undefined,
): Promise<void> {
  await context.engine.catalog.updateTable(target.table, target.table.tableName, (table) =>
    withPolicy(table, target.streamLabel, change(storedPolicy(table, target.streamLabel))),
  );
}

export const putResourcePolicy: OperationHandler = async (context, request) => {
  const arn = request.ResourceArn as string;
  const text = request.Policy as string;
  const target = resolvePolicyTarget(context, arn);
  const document = checkResourcePolicy(text, target.streamLabel !== undefined);
  // A policy that would deny its author further changes must be confirmed (the message is Cairn's: DynamoDB's is
  // not documented).
  if (request.ConfirmRemoveSelfResourceAccess !== true && policyDeniesCaller(context, document, 'PutResourcePolicy', arn)) {
    throw validationError(
      'One or more parameter values were invalid: This policy would deny you dynamodb:PutResourcePolicy on the resource; set ConfirmRemoveSelfResourceAccess to true to confirm',
    );
  }
  const expected = typeof request.ExpectedRevisionId === 'string' ? request.ExpectedRevisionId : undefined;
  let revisionId = '';
  // Checked again under the catalog's lock, so that two puts racing on one revision cannot both succeed.
  await update(context, target, (current) => {
    checkExpected(expected, current, target, arn);
    if (current !== undefined && current.policy === text) {
      revisionId = current.revisionId;
      return current;
    }
    revisionId = nextRevision(current);
    return { policy: text, revisionId };
  });
  return { RevisionId: revisionId };
};

export const getResourcePolicy: OperationHandler = async (context, request) => {
  const arn = request.ResourceArn as string;
  const target = resolvePolicyTarget(context, arn);
  const current = storedPolicy(target.table, target.streamLabel);
  if (current === undefined) throw policyNotFound(`${NOT_FOUND}${arn}`);
  return { Policy: current.policy, RevisionId: current.revisionId };
};

/** Idempotent: deleting where there is no policy succeeds without a RevisionId, unless one was expected. */
export const deleteResourcePolicy: OperationHandler = async (context, request) => {
  const arn = request.ResourceArn as string;
  const target = resolvePolicyTarget(context, arn);
  const expected = typeof request.ExpectedRevisionId === 'string' ? request.ExpectedRevisionId : undefined;
  let removed: string | undefined;
  await update(context, target, (current) => {
    checkExpected(expected, current, target, arn);
    removed = current?.revisionId;
    return undefined;
  });
  return removed === undefined ? {} : { RevisionId: removed };
};
