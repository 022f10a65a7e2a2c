/**
 * Structural mutations of a JSON document: remove a member or element, replace any value (retyping it), perturb
 * a value within its own type (so the request still deserializes and reaches validation), or insert a member or
 * element. A mutation picks its target by an index into the document's paths (taken modulo
 * their count), so any generated integer designates a real place and fast-check can shrink it.
 */
import type { JsonValue } from './request-templates.js';

export type JsonPath = readonly (string | number)[];

export type Mutation =
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: JsonValue }
  | { readonly kind: 'perturb'; readonly at: number; readonly choice: number; readonly text: string }
  | { readonly kind: 'insert'; readonly at: number; readonly key: string; readonly value: JsonValue };

/** Every path in `value`, the root (`[]`) first, then depth-first in member order. */
export function jsonPaths(value: JsonValue): JsonPath[] {
  const paths: JsonPath[] = [];
  const walk = (node: JsonValue, path: JsonPath): void => {
    paths.push(path);
    if (Array.isArray(node)) {
      node.forEach((child, index) => walk(child, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return paths;
}

/** Applies `mutations` in order to a copy of `value` (the input is never modified). */
export function applyMutations(value: JsonValue, mutations: readonly Mutation[]): JsonValue {
  let document = structuredClone(value);
  for (const mutation of mutations) document = applyMutation(document, mutation);
  return document;
}

function applyMutation(document: JsonValue, mutation: Mutation): JsonValue {
  const paths = jsonPaths(document);
  const path = paths[mod(mutation.at, paths.length)] ?? [];
  switch (mutation.kind) {
    case 'replace':
      return path.length === 0 ? structuredClone(mutation.value) : setAt(document, path, structuredClone(mutation.value));
    case 'remove':
      return path.length === 0 ? document : removeAt(document, path);
    case 'perturb': {
      const target = getAt(document, path);
      if (target === undefined) return document;
      const perturbed = perturb(target, mutation.choice, mutation.text);
      return path.length === 0 ? perturbed : setAt(document, path, perturbed);
    }
    case 'insert': {
      const target = getAt(document, path);
      if (Array.isArray(target)) target.push(structuredClone(mutation.value));
      else if (target !== null && typeof target === 'object') target[mutation.key] = structuredClone(mutation.value);
      // Inserting into a scalar has no meaning; the mutation is a no-op there.
      return document;
    }
  }
}

/**
 * A value of the same JSON type as `value`: a string becomes `text`, empty, `value + text` or an over-long string;
 * a number an edge value; a boolean its negation; an array empty or doubled; an object empty.
 */
function perturb(value: JsonValue, choice: number, text: string): JsonValue {
  if (typeof value === 'string') {
    const options = [text, '', value + text, value.repeat(Math.max(1, Math.ceil(300 / Math.max(1, value.length))))];
    return options[mod(choice, options.length)] ?? text;
  }
  if (typeof value === 'number') {
    const options = [0, -1, 1.5, 2 ** 31, 1e9, -choice];
    return options[mod(choice, options.length)] ?? 0;
  }
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return mod(choice, 2) === 0 ? [] : [...value, ...structuredClone(value)];
  if (value !== null) return {};
  return value;
}

function mod(index: number, count: number): number {
  return ((Math.trunc(index) % count) + count) % count;
}

function getAt(document: JsonValue, path: JsonPath): JsonValue | undefined {
  let node: JsonValue | undefined = document;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[step as number] : node[step as string];
  }
  return node;
}

function setAt(document: JsonValue, path: JsonPath, value: JsonValue): JsonValue {
  const parent = getAt(document, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && typeof last === 'string') parent[last] = value;
  return document;
}

function removeAt(document: JsonValue, path: JsonPath): JsonValue {
  const parent = getAt(document, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && typeof last === 'string') delete parent[last];
  return document;
}
