/**
 * ProjectionExpression (and AttributesToGet, and ReturnValues UPDATED_OLD / UPDATED_NEW) semantics:
 * - each path keeps just that part of the item, nested in its parents: `a.b` gives `{a: {b: ...}}`;
 * - paths sharing a prefix merge: `a.b, a.c` give one `a` holding `b` and `c`;
 * - list indexes select elements, and the projected list holds only the selected elements, compacted, in index
 *   order (`a[2], a[0]` gives `[a[0], a[2]]`);
 * - a path that does not exist in the item (or goes through a value of the wrong type) is simply omitted, and a
 *   parent left with nothing selected is omitted too.
 *
 * A projection is applied to every item of a Query or Scan page, so compileProjection builds the path tree once.
 */
import type { AttributeMap, AttributeValue, Item } from '../model/attribute-value.js';
import type { PathElement, PathNode } from './ast.js';
import { elementName, getOwn, setOwn } from './document-path.js';

interface ProjectionNode {
  /** This node's whole value is selected (a path ended here). */
  whole: boolean;
  names?: Map<string, ProjectionNode>;
  /** Kept sorted by index when compiled, so projected lists come out in index order. */
  indexes?: [number, ProjectionNode][];
}

/** A compiled projection: call it on each item. */
export type Projection = (item: Item) => Item;

/** Projects one item (compiles the paths on each call; use compileProjection for many items). */
export function projectItem(paths: readonly PathNode[], item: Item): Item {
  return compileProjection(paths)(item);
}

/** Builds the path tree of a projection once. */
export function compileProjection(paths: readonly PathNode[]): Projection {
  const root: ProjectionNode = { whole: false, names: new Map() };
  for (const path of paths) addPath(root, path.elements);
  sortIndexes(root);
  const names = root.names as Map<string, ProjectionNode>;
  return (item) => projectMap(item, names) ?? {};
}

function addPath(root: ProjectionNode, elements: readonly PathElement[]): void {
  let node = root;
  for (const element of elements) {
    // A whole value already selected covers every path below it (static validation rejects such overlaps).
    if (node.whole) return;
    let child: ProjectionNode | undefined;
    if (element.kind === 'ListIndex') {
      node.indexes ??= [];
      child = node.indexes.find(([index]) => index === element.index)?.[1];
      if (child === undefined) {
        child = { whole: false };
        node.indexes.push([element.index, child]);
      }
    } else {
      node.names ??= new Map();
      const name = elementName(element);
      child = node.names.get(name);
      if (child === undefined) {
        child = { whole: false };
        node.names.set(name, child);
      }
    }
    node = child;
  }
  node.whole = true;
  node.names = undefined;
  node.indexes = undefined;
}

function sortIndexes(node: ProjectionNode): void {
  if (node.indexes !== undefined) {
    node.indexes.sort((a, b) => a[0] - b[0]);
    for (const [, child] of node.indexes) sortIndexes(child);
  }
  if (node.names !== undefined) for (const child of node.names.values()) sortIndexes(child);
}

/** The selected part of a map, or undefined when nothing selected exists. */
function projectMap(map: AttributeMap, names: Map<string, ProjectionNode>): Record<string, AttributeValue> | undefined {
  let result: Record<string, AttributeValue> | undefined;
  for (const [name, child] of names) {
    const value = getOwn(map, name);
    if (value === undefined) continue;
    const projected = projectValue(value, child);
    if (projected !== undefined) setOwn((result ??= {}), name, projected);
  }
  return result;
}

function projectValue(value: AttributeValue, node: ProjectionNode): AttributeValue | undefined {
  if (node.whole) return value;
  // A step of one kind on a value of the other kind selects nothing. (Both kinds at one step is a conflict that
  // static validation rejects; whichever matches the value's type applies.)
  if (node.names !== undefined && 'M' in value) {
    const map = projectMap(value.M, node.names);
    return map === undefined ? undefined : { M: map };
  }
  if (node.indexes !== undefined && 'L' in value) {
    let list: AttributeValue[] | undefined;
    for (const [index, child] of node.indexes) {
      const element = value.L[index];
      if (element === undefined) continue;
      const projected = projectValue(element, child);
      if (projected !== undefined) (list ??= []).push(projected);
    }
    return list === undefined ? undefined : { L: list };
  }
  return undefined;
}
