/**
 * Nodes of the in-memory copy-on-write B+tree (see b-tree.ts) and the binary searches over their keys.
 *
 * A branch with n children has n - 1 separator keys: child i holds the keys k with
 * `keys[i - 1] <= k < keys[i]` (missing bounds are open). Every key lives in a leaf.
 *
 * `epoch` implements copy-on-write without copying when nobody is looking: a node may be mutated in place only
 * while its epoch equals the tree's current epoch. Taking a snapshot freezes every existing node by advancing the
 * tree's epoch, so a later write copies the nodes on its path instead of changing what the snapshot sees.
 */
import { compareBytes } from './compare-bytes.js';

export interface LeafNode {
  readonly kind: 'leaf';
  epoch: number;
  keys: Uint8Array[];
  values: unknown[];
}

export interface BranchNode {
  readonly kind: 'branch';
  epoch: number;
  keys: Uint8Array[];
  children: TreeNode[];
}

export type TreeNode = LeafNode | BranchNode;

/** Maximum number of keys in a leaf and of children in a branch. */
export const MAX_NODE_SIZE = 64;
/** Below this a non-root node is merged with or refilled from a sibling. */
export const MIN_NODE_SIZE = MAX_NODE_SIZE >> 2;

export function newLeaf(epoch: number, keys: Uint8Array[], values: unknown[]): LeafNode {
  return { kind: 'leaf', epoch, keys, values };
}

export function newBranch(epoch: number, keys: Uint8Array[], children: TreeNode[]): BranchNode {
  return { kind: 'branch', epoch, keys, children };
}

/** A mutable copy of a node, stamped with the given epoch (its arrays are copied, the keys themselves shared). */
export function cloneNode(node: TreeNode, epoch: number): TreeNode {
  switch (node.kind) {
    case 'leaf':
      return newLeaf(epoch, node.keys.slice(), node.values.slice());
    case 'branch':
      return newBranch(epoch, node.keys.slice(), node.children.slice());
  }
}

/** The number of entries of a node, as counted against MIN/MAX_NODE_SIZE. */
export function nodeSize(node: TreeNode): number {
  return node.kind === 'leaf' ? node.keys.length : node.children.length;
}

/** Index of the first key >= target (keys.length if none). */
export function lowerBound(keys: readonly Uint8Array[], target: Uint8Array): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareBytes(keys[mid] as Uint8Array, target) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first key > target (keys.length if none): in a branch, the child that may hold target. */
export function upperBound(keys: readonly Uint8Array[], target: Uint8Array): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareBytes(keys[mid] as Uint8Array, target) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
