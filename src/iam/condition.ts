/**
 * Evaluating a statement's Condition block against the request's context keys, as IAM does:
 * - every clause (operator x key) must hold: AND across operators and keys;
 * - within a clause, any policy value may match: OR across values;
 * - a key absent from the request fails a clause, except: a negated operator (`StringNotEquals`, ...) passes,
 *   `...IfExists` passes, `Null` tests absence itself, and `ForAllValues:` passes (vacuously, as for an empty set);
 * - a multivalued key (dynamodb:LeadingKeys, dynamodb:Attributes) under a plain operator holds when any of its
 *   values matches (a negated one: when none does); `ForAllValues:` needs every request value to match some
 *   policy value (a negated operator: none), `ForAnyValue:` at least one (an empty or absent set: false).
 * Policy variables in values (`${aws:username}`) are substituted first (policy-variables.ts); a value whose
 * variable the request lacks matches nothing.
 */
import { isIP, BlockList } from 'node:net';
import type { ConditionClause } from './policy-document.js';
import type { ConditionKeys } from './request-context.js';
import { substituteVariables } from './policy-variables.js';
import { wildcardMatch } from './wildcard.js';
import type { BaseOperator } from './condition-operator.js';

export function conditionsHold(clauses: readonly ConditionClause[], keys: ConditionKeys, variables: boolean): boolean {
  for (const clause of clauses) {
    if (!clauseHolds(clause, keys, variables)) return false;
  }
  return true;
}

function clauseHolds(clause: ConditionClause, keys: ConditionKeys, variables: boolean): boolean {
  const { operator } = clause;
  const present = keys.get(clause.key.toLowerCase());
  if (operator.base === 'Null') {
    const absent = present === undefined || present.length === 0;
    return clause.values.some((value) => (value.toLowerCase() === 'true') === absent);
  }
  const policyValues: string[] = [];
  for (const value of clause.values) {
    const substituted = variables ? substituteVariables(value, keys) : value;
    if (substituted !== undefined) policyValues.push(substituted);
  }
  if (present === undefined || present.length === 0) {
    if (operator.set === 'ForAllValues') return true;
    if (operator.set === 'ForAnyValue') return false;
    return operator.ifExists || operator.negated;
  }
  // A negated operator is the negation of its positive twin, value by value.
  const matches = (requestValue: string): boolean =>
    policyValues.some((policyValue) => positiveMatch(operator.base, policyValue, requestValue));
  if (operator.set === 'ForAllValues') {
    return present.every((value) => matches(value) !== operator.negated);
  }
  if (operator.set === 'ForAnyValue') {
    return present.some((value) => matches(value) !== operator.negated);
  }
  const any = present.some(matches);
  return operator.negated ? !any : any;
}

/** Does `requestValue` satisfy the positive form of `base` against one policy value? */
function positiveMatch(base: BaseOperator, policyValue: string, requestValue: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return policyValue === requestValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return wildcardMatch(policyValue, requestValue);
    case 'NumericEquals':
    case 'NumericNotEquals':
      return compareNumbers(policyValue, requestValue, (a, b) => a === b);
    case 'NumericLessThan':
      return compareNumbers(policyValue, requestValue, (policy, request) => request < policy);
    case 'NumericLessThanEquals':
      return compareNumbers(policyValue, requestValue, (policy, request) => request <= policy);
    case 'NumericGreaterThan':
      return compareNumbers(policyValue, requestValue, (policy, request) => request > policy);
    case 'NumericGreaterThanEquals':
      return compareNumbers(policyValue, requestValue, (policy, request) => request >= policy);
    case 'DateEquals':
    case 'DateNotEquals':
      return compareDates(policyValue, requestValue, (a, b) => a === b);
    case 'DateLessThan':
      return compareDates(policyValue, requestValue, (policy, request) => request < policy);
    case 'DateLessThanEquals':
      return compareDates(policyValue, requestValue, (policy, request) => request <= policy);
    case 'DateGreaterThan':
      return compareDates(policyValue, requestValue, (policy, request) => request > policy);
    case 'DateGreaterThanEquals':
      return compareDates(policyValue, requestValue, (policy, request) => request >= policy);
    case 'Bool':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'BinaryEquals':
      return policyValue === requestValue;
    case 'IpAddress':
    case 'NotIpAddress':
      return inRange(policyValue, requestValue);
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnMatch(policyValue, requestValue);
    case 'Null':
      return false;
  }
}

function compareNumbers(policyValue: string, requestValue: string, compare: (policy: number, request: number) => boolean): boolean {
  const policy = Number(policyValue);
  const request = Number(requestValue);
  if (policyValue.trim() === '' || requestValue.trim() === '' || Number.isNaN(policy) || Number.isNaN(request)) return false;
  return compare(policy, request);
}

/** Dates as IAM reads them: ISO 8601 or epoch seconds. */
function compareDates(policyValue: string, requestValue: string, compare: (policy: number, request: number) => boolean): boolean {
  const policy = dateOf(policyValue);
  const request = dateOf(requestValue);
  if (policy === undefined || request === undefined) return false;
  return compare(policy, request);
}

function dateOf(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Each of an ARN's six colon-separated parts matched apart, each with wildcards (IAM's ArnLike / ArnEquals). */
function arnMatch(policyValue: string, requestValue: string): boolean {
  const policy = arnParts(policyValue);
  const request = arnParts(requestValue);
  if (policy === undefined || request === undefined) return false;
  return policy.every((part, i) => wildcardMatch(part, request[i] ?? ''));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** `203.0.113.0/24`, `2001:db8::/32` or a bare address, against the client's address. */
function inRange(cidr: string, address: string): boolean {
  const client = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const clientType = isIP(client);
  if (clientType === 0) return false;
  const slash = cidr.indexOf('/');
  const network = slash === -1 ? cidr : cidr.slice(0, slash);
  const type = isIP(network);
  if (type === 0 || type !== clientType) return false;
  const prefix = slash === -1 ? (type === 4 ? 32 : 128) : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 4 ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix, type === 4 ? 'ipv4' : 'ipv6');
  return list.check(client, type === 4 ? 'ipv4' : 'ipv6');
}
