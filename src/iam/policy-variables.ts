/**
 * Policy variables: `${aws:username}` and the like, substituted by the request's context key of that name in
 * Resource elements and condition values (policies of Version 2012-10-17 only). `${key, 'default'}` gives a
 * fallback; `${*}`, `${?}` and `${$}` stand for the literal characters. A variable the request lacks, without a
 * default, makes the value match nothing (IAM: "the policy element is not matched").
 */
import type { ConditionKeys } from './request-context.js';

const VARIABLE = /\$\{([^}]*)\}/g;
const LITERALS: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** The value with its variables substituted, or undefined when one has no value in this request. */
export function substituteVariables(value: string, keys: ConditionKeys): string | undefined {
  if (!value.includes('${')) return value;
  let missing = false;
  const result = value.replace(VARIABLE, (_whole, inner: string) => {
    const literal = LITERALS[inner];
    if (literal !== undefined) return literal;
    const comma = inner.indexOf(',');
    const name = (comma === -1 ? inner : inner.slice(0, comma)).trim();
    const values = keys.get(name.toLowerCase());
    // Only a single-valued key can be substituted.
    if (values !== undefined && values.length === 1) return values[0] as string;
    if (comma !== -1) {
      const fallback = /^\s*'([^']*)'\s*$/.exec(inner.slice(comma + 1));
      if (fallback !== null) return fallback[1] as string;
    }
    missing = true;
    return '';
  });
  return missing ? undefined : result;
}
