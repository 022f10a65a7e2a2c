/**
 * IAM's decision for one request, as IAM's policy evaluation logic describes it:
 * 1. an explicit Deny in any applicable statement (identity-based or resource-based) denies;
 * 2. within one account, an Allow in either the identity-based policies or the resource's policy allows;
 * 3. across accounts (the caller's account is not the resource's), both must allow;
 * 4. otherwise the request is implicitly denied.
 * The decision says which of these denied it, since DynamoDB's AccessDeniedException message names it.
 */
import type { PolicyDocument, PolicyStatement, PrincipalSpec } from './policy-document.js';
import type { AuthorizationRequest, ConditionKeys } from './request-context.js';
import { conditionsHold } from './condition.js';
import { substituteVariables } from './policy-variables.js';
import { wildcardMatch } from './wildcard.js';

/** Who asks (the verified principal): its account and ARN. */
export interface Caller {
  readonly accountId: string;
  readonly arn: string;
}

export type Denial =
  | 'explicit-identity-deny'
  | 'explicit-resource-deny'
  | 'no-identity-allow'
  | 'no-resource-allow';

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly denial: Denial };

const ALLOWED: Decision = { allowed: true };

export function evaluate(
  identityPolicies: readonly PolicyDocument[],
  resourcePolicy: PolicyDocument | undefined,
  caller: Caller,
  request: AuthorizationRequest,
): Decision {
  const identity = effects(identityPolicies, undefined, request);
  if (identity.deny) return { allowed: false, denial: 'explicit-identity-deny' };
  const resource = resourcePolicy === undefined ? NONE : effects([resourcePolicy], caller, request);
  if (resource.deny) return { allowed: false, denial: 'explicit-resource-deny' };
  if (caller.accountId === request.resourceAccount) {
    return identity.allow || resource.allow ? ALLOWED : { allowed: false, denial: 'no-identity-allow' };
  }
  if (!identity.allow) return { allowed: false, denial: 'no-identity-allow' };
  return resource.allow ? ALLOWED : { allowed: false, denial: 'no-resource-allow' };
}

interface Effects {
  readonly allow: boolean;
  readonly deny: boolean;
}
const NONE: Effects = { allow: false, deny: false };

/** Whether any applicable statement allows, and whether any denies. `caller` is set for resource policies. */
function effects(policies: readonly PolicyDocument[], caller: Caller | undefined, request: AuthorizationRequest): Effects {
  let allow = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      // An Allow need not be looked at once one was found; a Deny always must.
      if (statement.effect === 'Allow' && allow) continue;
      if (!applies(statement, policy.variables, caller, request)) continue;
      if (statement.effect === 'Deny') return { allow, deny: true };
      allow = true;
    }
  }
  return { allow, deny: false };
}

function applies(statement: PolicyStatement, variables: boolean, caller: Caller | undefined, request: AuthorizationRequest): boolean {
  if (statement.actions !== undefined && !statement.actions.some((action) => actionMatches(action, request.action))) return false;
  if (statement.notActions !== undefined && statement.notActions.some((action) => actionMatches(action, request.action))) return false;
  if (statement.resources !== undefined && !statement.resources.some((resource) => resourceMatches(resource, request, variables))) return false;
  if (statement.notResources !== undefined && statement.notResources.some((resource) => resourceMatches(resource, request, variables))) return false;
  if (caller !== undefined) {
    if (statement.principal !== undefined && !principalMatches(statement.principal, caller)) return false;
    if (statement.notPrincipal !== undefined && principalMatches(statement.notPrincipal, caller)) return false;
  }
  return conditionsHold(statement.conditions, request.keys, variables);
}

/** Action names are case-insensitive in IAM (`DynamoDB:getitem` is `dynamodb:GetItem`). */
function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

function resourceMatches(pattern: string, request: AuthorizationRequest, variables: boolean): boolean {
  const resolved = variables ? substituteVariables(pattern, request.keys) : pattern;
  if (resolved === undefined) return false;
  return wildcardMatch(resolved, request.resource);
}

/**
 * A resource policy's Principal: `*`; an account (`111122223333` or `arn:aws:iam::111122223333:root`: any
 * principal of that account); a user's ARN; a role's ARN, which its assumed-role sessions match.
 */
export function principalMatches(spec: PrincipalSpec, caller: Caller): boolean {
  if (spec === '*') return true;
  const ids = spec.get('AWS');
  if (ids === undefined) return false;
  return ids.some((id) => {
    if (id === '*' || id === caller.arn) return true;
    if (id === caller.accountId || id === `arn:aws:iam::${caller.accountId}:root`) return true;
    const session = /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\//.exec(caller.arn);
    return session !== null && id === `arn:aws:iam::${session[1]}:role/${session[2]}`;
  });
}

/** Exposed for callers that build keys: a map from lower-cased names. */
export function conditionKeys(entries: Iterable<readonly [string, readonly string[]]>): ConditionKeys {
  const keys = new Map<string, readonly string[]>();
  for (const [name, values] of entries) keys.set(name.toLowerCase(), values);
  return keys;
}
