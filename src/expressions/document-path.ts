/**
 * Document paths over items: resolving `a.b[2].c` against an item, and the own-property helpers every evaluator
 * uses to read and write attribute maps.
 *
 * Items arrive from JSON.parse, so their maps have Object.prototype: a plain `map[name]` would find `toString` or
 * `constructor` on an item that has no such attribute, and `map['__proto__'] = v` would replace the prototype
 * instead of storing an attribute. Every read therefore checks `Object.hasOwn`, and every write defines an own
 * property.
 */
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import type { PathElement, PathNode } from './ast.js';

/** The attribute `name` of `map`, or undefined when the map has no such own attribute. */
export function getOwn(map: AttributeMap, name: string): AttributeValue | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** Stores `value` under `name` as an own, enumerable property (safe for the name `__proto__`). */
export function setOwn(map: Record<string, AttributeValue>, name: string, value: AttributeValue): void {
  if (name === '__proto__') {
    Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[name] = value;
  }
}

/** A shallow copy of an attribute map, keeping `__proto__` attributes as own properties. */
export function copyMap(map: AttributeMap): Record<string, AttributeValue> {
  // Object spread uses CreateDataProperty, so an own `__proto__` key is copied as data, not as a prototype.
  return { ...map };
}

/**
 * The value at `path` in `item`, or undefined when any step is missing or has the wrong type (a name step on a
 * non-map, an index step on a non-list): DynamoDB treats all of those as "the attribute does not exist".
 */
export function resolvePath(path: PathNode, item: AttributeMap | undefined): AttributeValue | undefined {
  if (item === undefined) return undefined;
  return resolveElements(path.elements, item);
}

/** As resolvePath, from a list of already-resolved elements (name or index steps). */
export function resolveElements(
  elements: readonly PathElement[],
  item: AttributeMap,
): AttributeValue | undefined {
  const first = elements[0];
  if (first === undefined) return undefined;
  let current = getOwn(item, elementName(first));
  for (let i = 1; i < elements.length && current !== undefined; i++) {
    const element = elements[i] as PathElement;
    switch (element.kind) {
      case 'AttributeName':
        current = 'M' in current ? getOwn(current.M, element.name) : undefined;
        break;
      case 'ListIndex':
        current = 'L' in current ? current.L[element.index] : undefined;
        break;
      case 'NamePlaceholder':
        throw unresolved(element.placeholder);
    }
  }
  return current;
}

/** The name of a name step; a placeholder in a resolved tree is a programming error. */
export function elementName(element: PathElement): string {
  switch (element.kind) {
    case 'AttributeName':
      return element.name;
    case 'NamePlaceholder':
      throw unresolved(element.placeholder);
    case 'ListIndex':
      // The first element of a path is always a name (the parser guarantees it).
      throw new Error(`a document path cannot start with an index: [${element.index}]`);
  }
}

/**
 * A path as DynamoDB prints it in messages such as "Two document paths overlap": `[a, b, [2]]`.
 */
export function formatPathForMessage(elements: readonly PathElement[]): string {
  const parts: string[] = [];
  for (const element of elements) {
    switch (element.kind) {
      case 'AttributeName':
        parts.push(element.name);
        break;
      case 'ListIndex':
        parts.push(`[${element.index}]`);
        break;
      case 'NamePlaceholder':
        parts.push(element.placeholder);
        break;
    }
  }
  return `[${parts.join(', ')}]`;
}

/** A resolved path node from names and indexes, for callers (and tests) that build paths by hand. */
export function pathOf(...steps: readonly (string | number)[]): PathNode {
  return {
    kind: 'Path',
    pos: 0,
    elements: steps.map((step): PathElement =>
      typeof step === 'number' ? { kind: 'ListIndex', index: step } : { kind: 'AttributeName', name: step },
    ),
  };
}

function unresolved(placeholder: string): Error {
  return new Error(`unresolved placeholder ${placeholder} reached the evaluator`);
}
