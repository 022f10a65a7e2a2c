/**
 * The one place a request is authorised, once its members are valid and before its operation runs: each action x
 * resource the operation needs (operation-access.ts) is evaluated against the caller's identity-based policies
 * and the resource's policy (src/iam/), and the first denial is answered AccessDeniedException. Only requests
 * made with `--auth` have a principal; without one nothing here runs.
 *
 * Policies are parsed once: a principal's identity policies per policy list (the auth file's, shared by every
 * request of that user), a resource policy per text.
 */
import type { Principal } from '../../auth/principal.js';
import type { DynamoDbError } from '../../errors.js';
import { accessDenied } from '../../iam/access-denied.js';
import { evaluate } from '../../iam/evaluate.js';
import type { ConditionKeys } from '../../iam/request-context.js';
import { parsePolicyDocument, type PolicyDocument } from '../../iam/policy-document.js';
import type { JsonObject, RequestContext } from '../operation.js';
import { operationAccess, type ResourceAccess } from './operation-access.js';

/** What the connection tells about the request: `aws:SourceIp` and `aws:SecureTransport`. */
export interface Connection {
  readonly sourceIp?: string;
  readonly secure: boolean;
}

const identityPolicies = new WeakMap<readonly unknown[], readonly PolicyDocument[]>();
const MAX_RESOURCE_POLICIES = 1024;
const resourcePolicies = new Map<string, PolicyDocument>();

/**
 * Throws the AccessDeniedException of the first denied action. BatchExecuteStatement is the exception: its
 * statements fail one by one, so its denials are returned by statement position for the operation to answer.
 */
export function authorizeRequest(
  operation: string,
  request: JsonObject,
  context: RequestContext,
  connection: Connection,
): ReadonlyMap<number, DynamoDbError> | undefined {
  const principal = context.principal;
  if (principal === undefined) return undefined;
  let denied: Map<number, DynamoDbError> | undefined;
  const identity = policiesOf(principal);
  const scope = { region: context.region, accountId: principal.accountId, catalog: context.engine.catalog };
  for (const access of operationAccess(operation, request, scope)) {
    const keys = new RequestKeys(access.keys, principal, context.region, connection);
    const action = `dynamodb:${access.action}`;
    const decision = evaluate(identity, resourcePolicyOf(access), principal, {
      action,
      resource: access.resource,
      resourceAccount: access.resourceAccount,
      keys,
    });
    if (decision.allowed) continue;
    const error = accessDenied(principal.arn, action, access.resource, decision.denial);
    if (operation !== 'BatchExecuteStatement' || access.statement === undefined) throw error;
    (denied ??= new Map()).set(access.statement, error);
  }
  return denied;
}

/**
 * Whether `policy`, were it the resource's policy, would explicitly deny the caller `action` on `resource`
 * (PutResourcePolicy's ConfirmRemoveSelfResourceAccess guard). Always false without a principal.
 */
export function policyDeniesCaller(context: RequestContext, policy: PolicyDocument, action: string, resource: string): boolean {
  const principal = context.principal;
  if (principal === undefined) return false;
  const keys = new RequestKeys([], principal, context.region, undefined);
  const decision = evaluate([], policy, principal, { action: `dynamodb:${action}`, resource, resourceAccount: principal.accountId, keys });
  return !decision.allowed && decision.denial === 'explicit-resource-deny';
}

function policiesOf(principal: Principal): readonly PolicyDocument[] {
  let parsed = identityPolicies.get(principal.policies);
  if (parsed === undefined) {
    parsed = principal.policies.map((policy) => parsePolicyDocument(policy, 'identity'));
    identityPolicies.set(principal.policies, parsed);
  }
  return parsed;
}

function resourcePolicyOf(access: ResourceAccess): PolicyDocument | undefined {
  const table = access.policyTable;
  if (table === undefined) return undefined;
  const stored = access.streamLabel === undefined ? table.resourcePolicy : table.streamPolicies?.[access.streamLabel];
  if (stored === undefined) return undefined;
  let parsed = resourcePolicies.get(stored.policy);
  if (parsed === undefined) {
    parsed = parsePolicyDocument(stored.policy, 'resource');
    if (resourcePolicies.size >= MAX_RESOURCE_POLICIES) resourcePolicies.clear();
    resourcePolicies.set(stored.policy, parsed);
  }
  return parsed;
}

/** The keys of a principal that no request changes, computed once per principal. */
const principalKeys = new WeakMap<Principal, ReadonlyMap<string, readonly string[]>>();

function keysOf(principal: Principal): ReadonlyMap<string, readonly string[]> {
  let keys = principalKeys.get(principal);
  if (keys === undefined) {
    const built = new Map<string, readonly string[]>([
      ['aws:userid', [principal.userId]],
      ['aws:principalaccount', [principal.accountId]],
      ['aws:principalarn', [principal.arn]],
      ['aws:principaltype', [principal.arn.includes(':assumed-role/') ? 'AssumedRole' : 'User']],
    ]);
    if (principal.userName !== undefined) built.set('aws:username', [principal.userName]);
    keys = built;
    principalKeys.set(principal, keys);
  }
  return keys;
}

/**
 * The condition keys of one action of one request: the operation's own, then the request's (region, time,
 * connection), then the principal's. Looked up only as policies ask: most policies read one or two keys, so
 * nothing is copied and the time is formatted only when a policy reads it.
 */
class RequestKeys implements ConditionKeys {
  private readonly own: readonly (readonly [string, readonly string[]])[];
  private time?: Date;

  constructor(
    own: readonly (readonly [string, readonly string[]])[],
    private readonly principal: Principal,
    private readonly region: string,
    private readonly connection: Connection | undefined,
  ) {
    this.own = own.map(([name, values]) => [name.toLowerCase(), values] as const);
  }

  get(name: string): readonly string[] | undefined {
    for (const [key, values] of this.own) if (key === name) return values;
    switch (name) {
      case 'aws:requestedregion':
        return [this.region];
      case 'aws:currenttime':
        return [this.now().toISOString().replace(/\.\d{3}Z$/, 'Z')];
      case 'aws:epochtime':
        return [String(Math.floor(this.now().getTime() / 1000))];
      case 'aws:securetransport':
        return this.connection === undefined ? undefined : [this.connection.secure ? 'true' : 'false'];
      case 'aws:sourceip': {
        const ip = this.connection?.sourceIp;
        if (ip === undefined) return undefined;
        return [ip.startsWith('::ffff:') ? ip.slice(7) : ip];
      }
      default:
        return keysOf(this.principal).get(name);
    }
  }

  private now(): Date {
    return (this.time ??= new Date());
  }
}
