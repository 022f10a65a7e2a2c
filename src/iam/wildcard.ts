/**
 * IAM's wildcard matching: `*` matches any run of characters (`/` and `:` included) and `?` exactly one, in
 * Action, Resource, StringLike and ArnLike. Compiled patterns are cached: a policy's patterns are few and reused
 * by every request of its principals; the cache is bounded, since policy variables make per-request patterns.
 */
const MAX_CACHED = 4096;
const sensitive = new Map<string, RegExp>();
const insensitive = new Map<string, RegExp>();

/** True when `value` matches `pattern` (case-insensitively when `ignoreCase`, as IAM compares action names). */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compiled(pattern, ignoreCase).test(value);
}

function compiled(pattern: string, ignoreCase: boolean): RegExp {
  const cache = ignoreCase ? insensitive : sensitive;
  let regex = cache.get(pattern);
  if (regex === undefined) {
    let source = '^';
    for (const char of pattern) {
      if (char === '*') source += '.*';
      else if (char === '?') source += '.';
      else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    }
    // `s`: a `*` also matches line breaks, which a value may hold.
    regex = new RegExp(`${source}$`, ignoreCase ? 'isu' : 'su');
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(pattern, regex);
  }
  return regex;
}
