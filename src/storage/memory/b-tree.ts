/**
 * An ordered map from byte strings to values: a B+tree with O(log n) get, insert, delete and seek, and cheap
 * snapshots for iteration.
 *
 * Why copy-on-write: a Query iterates lazily (it stops at 1 MB) while other requests keep writing the same
 * table. Iterating a snapshot gives the caller a consistent view without locking and without copying the table.
 * Why epochs: plain persistent trees copy the path of every write; here a write copies a node only if a snapshot
 * taken since the node was last copied may still see it (see b-tree-node.ts), so a table nobody scans at the
 * moment is updated fully in place.
 */
import {
  type BranchNode,
  type LeafNode,
  type TreeNode,
  MAX_NODE_SIZE,
  MIN_NODE_SIZE,
  cloneNode,
  lowerBound,
  newBranch,
  newLeaf,
  nodeSize,
  upperBound,
} from './b-tree-node.js';
import { compareBytes } from './compare-bytes.js';

/** A frozen view of the tree; pass it back to `release` when done. */
export interface TreeSnapshot {
  readonly root: TreeNode;
}

export class BTree {
  private root: TreeNode;
  private epoch = 0;
  /** A snapshot was taken since the last write: the next write must advance the epoch first. */
  private freezePending = false;
  /** Snapshots not yet released; while there are none, a pending freeze can be forgotten. */
  private openSnapshots = 0;
  /** The separator that `insertInto` hands up with a split-off right node (avoids a tuple per split). */
  private splitKey: Uint8Array = EMPTY_KEY;
  private count = 0;

  constructor() {
    this.root = newLeaf(0, [], []);
  }

  /**
   * A tree of `keys` (sorted, no two equal) and their `values`, built bottom-up in O(n): leaves and branches
   * three-quarters full, so that the inserts that follow rarely split them at once. Loading many entries this way
   * is several times faster than one `set` each (recovery loads a whole write-ahead log). The tree keeps the keys.
   */
  static fromSorted(keys: readonly Uint8Array[], values: readonly unknown[]): BTree {
    const tree = new BTree();
    if (keys.length === 0) return tree;
    let level: TreeNode[] = [];
    for (const [start, end] of slices(keys.length)) level.push(newLeaf(0, keys.slice(start, end), values.slice(start, end)));
    // The first key below each node of `level`: a branch's separators are its children's but the first's.
    let firsts: Uint8Array[] = level.map((node) => node.keys[0] as Uint8Array);
    while (level.length > 1) {
      const parents: TreeNode[] = [];
      const parentFirsts: Uint8Array[] = [];
      for (const [start, end] of slices(level.length)) {
        parents.push(newBranch(0, firsts.slice(start + 1, end), level.slice(start, end)));
        parentFirsts.push(firsts[start] as Uint8Array);
      }
      level = parents;
      firsts = parentFirsts;
    }
    tree.root = level[0] as TreeNode;
    tree.count = keys.length;
    return tree;
  }

  get size(): number {
    return this.count;
  }

  get(key: Uint8Array): unknown {
    let node = this.root;
    while (node.kind === 'branch') node = node.children[upperBound(node.keys, key)] as TreeNode;
    const index = lowerBound(node.keys, key);
    const found = node.keys[index];
    return found !== undefined && compareBytes(found, key) === 0 ? node.values[index] : undefined;
  }

  /** Inserts or replaces. The tree keeps `key` itself: the caller must not mutate it afterwards. */
  set(key: Uint8Array, value: unknown): void {
    this.beginWrite();
    const root = this.writable(this.root);
    const right = this.insertInto(root, key, value);
    this.root = right === undefined ? root : newBranch(this.epoch, [this.splitKey], [root, right]);
    this.splitKey = EMPTY_KEY;
  }

  /** Removes a key; returns whether it was present. */
  delete(key: Uint8Array): boolean {
    if (!this.hasKey(key)) return false;
    this.beginWrite();
    const root = this.writable(this.root);
    this.removeFrom(root, key);
    // A branch left with one child is replaced by it, so the height shrinks as the tree empties.
    this.root = root.kind === 'branch' && root.children.length === 1 ? (root.children[0] as TreeNode) : root;
    return true;
  }

  /** Takes a snapshot in O(1): the nodes reachable now stay unchanged until `release`. */
  snapshot(): TreeSnapshot {
    this.freezePending = true;
    this.openSnapshots++;
    return { root: this.root };
  }

  release(_snapshot: TreeSnapshot): void {
    this.openSnapshots--;
    // No write happened since the freeze was requested and no other snapshot needs it: nothing to protect.
    if (this.openSnapshots === 0) this.freezePending = false;
  }

  private hasKey(key: Uint8Array): boolean {
    let node = this.root;
    while (node.kind === 'branch') node = node.children[upperBound(node.keys, key)] as TreeNode;
    const found = node.keys[lowerBound(node.keys, key)];
    return found !== undefined && compareBytes(found, key) === 0;
  }

  private beginWrite(): void {
    if (this.freezePending) {
      this.epoch++;
      this.freezePending = false;
    }
  }

  private writable<N extends TreeNode>(node: N): N {
    return node.epoch === this.epoch ? node : (cloneNode(node, this.epoch) as N);
  }

  /** The writable child at `index`, copied into the (already writable) parent if it was frozen. */
  private writableChild(parent: BranchNode, index: number): TreeNode {
    const child = parent.children[index] as TreeNode;
    if (child.epoch === this.epoch) return child;
    const copy = cloneNode(child, this.epoch);
    parent.children[index] = copy;
    return copy;
  }

  /** Inserts below a writable node; returns the new right sibling if the node split (separator in splitKey). */
  private insertInto(node: TreeNode, key: Uint8Array, value: unknown): TreeNode | undefined {
    if (node.kind === 'leaf') {
      const index = lowerBound(node.keys, key);
      const found = node.keys[index];
      if (found !== undefined && compareBytes(found, key) === 0) {
        node.values[index] = value;
        return undefined;
      }
      node.keys.splice(index, 0, key);
      node.values.splice(index, 0, value);
      this.count++;
      if (node.keys.length <= MAX_NODE_SIZE) return undefined;
      const half = node.keys.length >> 1;
      const right = newLeaf(this.epoch, node.keys.splice(half), node.values.splice(half));
      this.splitKey = right.keys[0] as Uint8Array;
      return right;
    }
    const index = upperBound(node.keys, key);
    const grown = this.insertInto(this.writableChild(node, index), key, value);
    if (grown === undefined) return undefined;
    node.keys.splice(index, 0, this.splitKey);
    node.children.splice(index + 1, 0, grown);
    if (node.children.length <= MAX_NODE_SIZE) return undefined;
    // Left keeps `half` children and half - 1 separators; the separator between the halves moves up.
    const half = node.children.length >> 1;
    const right = newBranch(this.epoch, node.keys.splice(half), node.children.splice(half));
    this.splitKey = node.keys.pop() as Uint8Array;
    return right;
  }

  /** Removes a key known to be present below a writable node, rebalancing children that become too small. */
  private removeFrom(node: TreeNode, key: Uint8Array): void {
    if (node.kind === 'leaf') {
      const index = lowerBound(node.keys, key);
      node.keys.splice(index, 1);
      node.values.splice(index, 1);
      this.count--;
      return;
    }
    const index = upperBound(node.keys, key);
    const child = this.writableChild(node, index);
    this.removeFrom(child, key);
    if (nodeSize(child) < MIN_NODE_SIZE) this.rebalance(node, index);
  }

  /** Merges the undersized child at `index` with a sibling, or moves one entry over from the sibling. */
  private rebalance(parent: BranchNode, index: number): void {
    // Pair the child with its left sibling when it has one, else with its right one.
    if (parent.children.length < 2) return;
    const leftIndex = index > 0 ? index - 1 : index;
    const left = this.writableChild(parent, leftIndex);
    const separator = parent.keys[leftIndex] as Uint8Array;
    const right = parent.children[leftIndex + 1] as TreeNode;
    if (nodeSize(left) + nodeSize(right) <= MAX_NODE_SIZE) {
      // The right node is only read (and then dropped), so a frozen one need not be copied.
      mergeInto(left, right, separator);
      parent.keys.splice(leftIndex, 1);
      parent.children.splice(leftIndex + 1, 1);
    } else if (nodeSize(left) < nodeSize(right)) {
      parent.keys[leftIndex] = shiftLeft(left, this.writableChild(parent, leftIndex + 1), separator);
    } else {
      parent.keys[leftIndex] = shiftRight(left, this.writableChild(parent, leftIndex + 1), separator);
    }
  }
}

const EMPTY_KEY = new Uint8Array(0);

/** Appends `right` (same kind) to `left`; `separator` is the parent key between them. */
function mergeInto(left: TreeNode, right: TreeNode, separator: Uint8Array): void {
  if (left.kind === 'leaf') {
    const source = right as LeafNode;
    for (let i = 0; i < source.keys.length; i++) {
      left.keys.push(source.keys[i] as Uint8Array);
      left.values.push(source.values[i]);
    }
    return;
  }
  const source = right as BranchNode;
  left.keys.push(separator);
  for (const key of source.keys) left.keys.push(key);
  for (const child of source.children) left.children.push(child);
}

/** Moves the first entry of `right` to the end of `left`; returns the new separator between them. */
function shiftLeft(left: TreeNode, right: TreeNode, separator: Uint8Array): Uint8Array {
  if (left.kind === 'leaf') {
    const source = right as LeafNode;
    left.keys.push(source.keys.shift() as Uint8Array);
    left.values.push(source.values.shift());
    return source.keys[0] as Uint8Array;
  }
  const source = right as BranchNode;
  left.keys.push(separator);
  left.children.push(source.children.shift() as TreeNode);
  return source.keys.shift() as Uint8Array;
}

/** Moves the last entry of `left` to the front of `right`; returns the new separator between them. */
function shiftRight(left: TreeNode, right: TreeNode, separator: Uint8Array): Uint8Array {
  if (left.kind === 'leaf') {
    const target = right as LeafNode;
    target.keys.unshift(left.keys.pop() as Uint8Array);
    target.values.unshift(left.values.pop());
    return target.keys[0] as Uint8Array;
  }
  const target = right as BranchNode;
  target.keys.unshift(separator);
  target.children.unshift(left.children.pop() as TreeNode);
  return left.keys.pop() as Uint8Array;
}

/** Nodes' fill when built bottom-up: room for inserts, well above MIN_NODE_SIZE. */
const BUILD_FILL = (MAX_NODE_SIZE * 3) >> 2;

/**
 * [start, end) slices of `count` entries into nodes of about BUILD_FILL each: as many nodes as BUILD_FILL needs,
 * the entries spread evenly over them, so that none (but a lone root) falls below MIN_NODE_SIZE.
 */
function slices(count: number): [number, number][] {
  const nodes = Math.ceil(count / BUILD_FILL);
  const out: [number, number][] = [];
  for (let i = 0; i < nodes; i++) out.push([Math.floor((i * count) / nodes), Math.floor(((i + 1) * count) / nodes)]);
  return out;
}
