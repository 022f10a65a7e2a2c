/**
 * Walks a B+tree snapshot (frozen nodes, see b-tree.ts) in either direction within bounds. Seeking costs
 * O(log n) and each step O(1) amortised, so a Query pays O(log n + items read).
 */
import { type BranchNode, type LeafNode, type TreeNode, lowerBound, upperBound } from './b-tree-node.js';
import { compareBytes } from './compare-bytes.js';

export class TreeCursor {
  /** The branches on the path from the root to the current leaf, and the child taken in each. */
  private readonly branches: BranchNode[] = [];
  private readonly taken: number[] = [];
  private leaf: LeafNode | undefined;
  private position = 0;
  private started = false;
  private finished = false;
  /** The current entry, valid after `next()` returned true. */
  key: Uint8Array = NO_KEY;
  value: unknown = undefined;

  /** `start` is inclusive, `end` exclusive, whatever the direction. */
  constructor(
    private readonly root: TreeNode,
    private readonly start: Uint8Array | undefined,
    private readonly end: Uint8Array | undefined,
    private readonly reverse: boolean,
  ) {}

  /** Moves to the next entry in iteration order; false once the range is exhausted. */
  next(): boolean {
    if (this.finished) return false;
    if (!this.started) {
      this.started = true;
      if (this.reverse) this.seekLast();
      else this.seekFirst();
    } else {
      this.position += this.reverse ? -1 : 1;
    }
    let leaf = this.leaf as LeafNode;
    if (this.reverse) {
      while (this.position < 0) {
        if (!this.stepLeaf(-1)) return this.finish();
        leaf = this.leaf as LeafNode;
      }
    } else {
      while (this.position >= leaf.keys.length) {
        if (!this.stepLeaf(1)) return this.finish();
        leaf = this.leaf as LeafNode;
      }
    }
    const key = leaf.keys[this.position] as Uint8Array;
    if (this.reverse ? this.start !== undefined && compareBytes(key, this.start) < 0
      : this.end !== undefined && compareBytes(key, this.end) >= 0) {
      return this.finish();
    }
    this.key = key;
    this.value = leaf.values[this.position];
    return true;
  }

  private finish(): false {
    this.finished = true;
    this.leaf = undefined;
    this.key = NO_KEY;
    this.value = undefined;
    return false;
  }

  /** Positions on the first key >= start (possibly one past the end of its leaf). */
  private seekFirst(): void {
    const start = this.start;
    let node = this.root;
    while (node.kind === 'branch') {
      const index = start === undefined ? 0 : upperBound(node.keys, start);
      this.branches.push(node);
      this.taken.push(index);
      node = node.children[index] as TreeNode;
    }
    this.leaf = node;
    this.position = start === undefined ? 0 : lowerBound(node.keys, start);
  }

  /** Positions on the last key < end (possibly -1 in its leaf). */
  private seekLast(): void {
    const end = this.end;
    let node = this.root;
    while (node.kind === 'branch') {
      // Child i holds [keys[i - 1], keys[i]): the first separator >= end bounds the child with the last key < end.
      const index = end === undefined ? node.children.length - 1 : lowerBound(node.keys, end);
      this.branches.push(node);
      this.taken.push(index);
      node = node.children[index] as TreeNode;
    }
    this.leaf = node;
    this.position = (end === undefined ? node.keys.length : lowerBound(node.keys, end)) - 1;
  }

  /** Moves to the neighbouring leaf (direction 1 or -1); false at either end of the tree. */
  private stepLeaf(direction: 1 | -1): boolean {
    for (let depth = this.branches.length - 1; depth >= 0; depth--) {
      const branch = this.branches[depth] as BranchNode;
      const index = (this.taken[depth] as number) + direction;
      if (index < 0 || index >= branch.children.length) continue;
      this.branches.length = depth + 1;
      this.taken.length = depth + 1;
      this.taken[depth] = index;
      let node = branch.children[index] as TreeNode;
      while (node.kind === 'branch') {
        const edge = direction === 1 ? 0 : node.children.length - 1;
        this.branches.push(node);
        this.taken.push(edge);
        node = node.children[edge] as TreeNode;
      }
      this.leaf = node;
      this.position = direction === 1 ? 0 : node.keys.length - 1;
      return true;
    }
    return false;
  }
}

const NO_KEY = new Uint8Array(0);
