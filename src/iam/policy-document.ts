/**
 * IAM policy documents: parsed once (the auth file's at start-up, a resource policy when it is put) into a form
 * the evaluator reads without re-checking shapes.
 *
 * The grammar is IAM's: `Version` (2012-10-17, or the legacy 2008-10-17 without policy variables), `Statement`
 * as one object or an array; each statement an `Effect`, exactly one of `Action` / `NotAction` and, in identity
 * policies, exactly one of `Resource` / `NotResource` (a resource policy may omit it: the statement then applies
 * to the resource the policy is attached to); `Principal` / `NotPrincipal` only in resource policies, where one
 * of them is required; `Condition` a map of operator -> key -> value(s). Element names are case-sensitive, as
 * IAM's are.
 *
 * The reasons a document is refused follow IAM's policy grammar; their wording is Cairn's (IAM's validator
 * and DynamoDB's PutResourcePolicy word them in ways not all documented), each prefixed by the caller.
 */
import { parseConditionOperator, type ConditionOperator } from './condition-operator.js';

export type PolicyKind = 'identity' | 'resource';
export type Effect = 'Allow' | 'Deny';

/** One key of a Condition block under one operator: the request passes when its values match `values`. */
export interface ConditionClause {
  readonly operator: ConditionOperator;
  /** As written; condition key names are matched case-insensitively. */
  readonly key: string;
  readonly values: readonly string[];
}

/** `Principal` of a resource policy: `*` (anyone) or lists per type (`AWS`, `Service`, `Federated`, ...). */
export type PrincipalSpec = '*' | ReadonlyMap<string, readonly string[]>;

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: Effect;
  /** Exactly one of `actions` and `notActions` is set. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** At most one of `resources` and `notResources` (neither: the resource the policy is attached to). */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly version: string;
  /** True for 2012-10-17: policy variables (`${aws:username}`) are substituted only then, as in IAM. */
  readonly variables: boolean;
  readonly statements: readonly PolicyStatement[];
}

/** Why a document is not a valid policy; the message is the reason alone. */
export class PolicyDocumentError extends Error {}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set([
  'Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition',
]);

/** Parses a policy document given as JSON text or as an already-parsed value (the auth file's). */
export function parsePolicyDocument(input: unknown, kind: PolicyKind): PolicyDocument {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input) as unknown;
    } catch {
      throw new PolicyDocumentError('Syntax errors in policy.');
    }
  }
  if (!isObject(json)) throw new PolicyDocumentError('Syntax errors in policy.');
  for (const name of Object.keys(json)) {
    if (!TOP_LEVEL.has(name)) throw new PolicyDocumentError(`Policy document contains an unknown element: ${name}.`);
  }
  const version = json.Version ?? '2008-10-17';
  if (typeof version !== 'string' || !VERSIONS.has(version)) {
    throw new PolicyDocumentError('The policy must contain a valid version string.');
  }
  const raw = json.Statement;
  if (raw === undefined) throw new PolicyDocumentError('Missing required field Statement.');
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) throw new PolicyDocumentError('Missing required field Statement.');
  const sids = new Set<string>();
  const statements = list.map((entry) => {
    const statement = parseStatement(entry, kind);
    if (statement.sid !== undefined && statement.sid !== '') {
      if (sids.has(statement.sid)) throw new PolicyDocumentError(`Statement IDs (SID) in a single policy must be unique: ${statement.sid}.`);
      sids.add(statement.sid);
    }
    return statement;
  });
  return { version, variables: version === '2012-10-17', statements };
}

function parseStatement(entry: unknown, kind: PolicyKind): PolicyStatement {
  if (!isObject(entry)) throw new PolicyDocumentError('Syntax errors in policy.');
  for (const name of Object.keys(entry)) {
    if (!STATEMENT_ELEMENTS.has(name)) throw new PolicyDocumentError(`Statement contains an unknown element: ${name}.`);
  }
  const sid = entry.Sid;
  if (sid !== undefined && (typeof sid !== 'string' || !/^[A-Za-z0-9]*$/.test(sid))) {
    throw new PolicyDocumentError('Statement IDs (SID) must be alpha-numeric.');
  }
  const effect = entry.Effect;
  if (effect === undefined) throw new PolicyDocumentError('Missing required field Effect.');
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyDocumentError(`Invalid effect: ${String(effect)}.`);

  const actions = stringList(entry.Action, 'Action');
  const notActions = stringList(entry.NotAction, 'NotAction');
  if (actions === undefined && notActions === undefined) throw new PolicyDocumentError('Missing required field Action.');
  if (actions !== undefined && notActions !== undefined) throw new PolicyDocumentError('Statement cannot contain both Action and NotAction.');
  for (const action of actions ?? notActions ?? []) checkActionShape(action);

  const resources = stringList(entry.Resource, 'Resource');
  const notResources = stringList(entry.NotResource, 'NotResource');
  if (resources !== undefined && notResources !== undefined) throw new PolicyDocumentError('Statement cannot contain both Resource and NotResource.');
  if (kind === 'identity' && resources === undefined && notResources === undefined) {
    throw new PolicyDocumentError('Missing required field Resource.');
  }

  let principal: PrincipalSpec | undefined;
  let notPrincipal: PrincipalSpec | undefined;
  if (kind === 'identity') {
    if (entry.Principal !== undefined || entry.NotPrincipal !== undefined) {
      throw new PolicyDocumentError('Policy document should not specify a principal.');
    }
  } else {
    principal = entry.Principal === undefined ? undefined : principalSpec(entry.Principal);
    notPrincipal = entry.NotPrincipal === undefined ? undefined : principalSpec(entry.NotPrincipal);
    if (principal === undefined && notPrincipal === undefined) throw new PolicyDocumentError('Missing required field Principal.');
    if (principal !== undefined && notPrincipal !== undefined) throw new PolicyDocumentError('Statement cannot contain both Principal and NotPrincipal.');
  }

  return {
    ...(typeof sid === 'string' ? { sid } : {}),
    effect,
    ...(actions !== undefined ? { actions } : {}),
    ...(notActions !== undefined ? { notActions } : {}),
    ...(resources !== undefined ? { resources } : {}),
    ...(notResources !== undefined ? { notResources } : {}),
    ...(principal !== undefined ? { principal } : {}),
    ...(notPrincipal !== undefined ? { notPrincipal } : {}),
    conditions: conditionClauses(entry.Condition),
  };
}

/** `*`, or `service:name` where the name may hold wildcards. */
function checkActionShape(action: string): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1 || !/^[A-Za-z0-9-]+$/.test(action.slice(0, colon))) {
    throw new PolicyDocumentError(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`);
  }
}

function principalSpec(value: unknown): PrincipalSpec {
  if (value === '*') return '*';
  if (!isObject(value)) throw new PolicyDocumentError('Invalid principal in policy.');
  const types = new Map<string, readonly string[]>();
  for (const [type, ids] of Object.entries(value)) {
    if (Array.isArray(ids) && ids.length === 0) throw new PolicyDocumentError('Invalid principal in policy.');
    const list = stringList(ids, 'Principal');
    if (list === undefined) throw new PolicyDocumentError('Invalid principal in policy.');
    types.set(type, list);
  }
  if (types.size === 0) throw new PolicyDocumentError('Invalid principal in policy.');
  return types;
}

function conditionClauses(value: unknown): ConditionClause[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new PolicyDocumentError('Syntax errors in policy.');
  const clauses: ConditionClause[] = [];
  for (const [operatorName, block] of Object.entries(value)) {
    const operator = parseConditionOperator(operatorName);
    if (operator === undefined) throw new PolicyDocumentError(`Invalid Condition type : ${operatorName}.`);
    if (!isObject(block)) throw new PolicyDocumentError('Syntax errors in policy.');
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? (raw as unknown[]) : [raw]).map((entry) => {
        if (typeof entry === 'string') return entry;
        if (typeof entry === 'number' || typeof entry === 'boolean') return String(entry);
        throw new PolicyDocumentError('Syntax errors in policy.');
      });
      if (!key.includes(':')) throw new PolicyDocumentError(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`);
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

function stringList(value: unknown, element: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new PolicyDocumentError(`Required field ${element} cannot be empty.`);
  return list.map((entry) => {
    if (typeof entry !== 'string') throw new PolicyDocumentError('Syntax errors in policy.');
    return entry;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
