/**
 * Condition operators as IAM names them: a base comparison (`StringEquals`, `NumericLessThan`, `ArnLike`,
 * `IpAddress`, `Null`, ...), optionally prefixed by a set operator (`ForAllValues:` / `ForAnyValue:`) for
 * multivalued keys and suffixed by `IfExists` (a missing key then passes). Operator names are case-sensitive.
 */
export type BaseOperator =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase' | 'StringLike' | 'StringNotLike'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals' | 'NumericGreaterThan' | 'NumericGreaterThanEquals'
  | 'DateEquals' | 'DateNotEquals' | 'DateLessThan' | 'DateLessThanEquals' | 'DateGreaterThan' | 'DateGreaterThanEquals'
  | 'Bool' | 'BinaryEquals' | 'IpAddress' | 'NotIpAddress'
  | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike'
  | 'Null';

export interface ConditionOperator {
  /** As written in the policy. */
  readonly name: string;
  readonly base: BaseOperator;
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  readonly ifExists: boolean;
  /**
   * The negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...): true when no policy value
   * matches, and true when the key is absent, as IAM evaluates them.
   */
  readonly negated: boolean;
}

const BASES: ReadonlySet<string> = new Set<BaseOperator>([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);
const NEGATED: ReadonlySet<string> = new Set([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress',
  'ArnNotEquals', 'ArnNotLike',
]);

/** The operator a Condition block's name spells, or undefined when IAM knows no such operator. */
export function parseConditionOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let set: ConditionOperator['set'];
  for (const prefix of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!BASES.has(rest)) return undefined;
  // `Null` takes no IfExists (it tests existence itself) and no set operator.
  if (rest === 'Null' && (ifExists || set !== undefined)) return undefined;
  const base = rest as BaseOperator;
  return { name, base, ...(set !== undefined ? { set } : {}), ifExists, negated: NEGATED.has(base) };
}
