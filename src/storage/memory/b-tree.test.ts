import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BTree } from './b-tree.js';
import { TreeCursor } from './b-tree-cursor.js';
import { MAX_NODE_SIZE, MIN_NODE_SIZE, nodeSize, type TreeNode } from './b-tree-node.js';

/** A deterministic generator, so that a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function keyOf(n: number): Uint8Array {
  // Big-endian so that numeric order is byte order.
  return Uint8Array.of((n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function numberOf(key: Uint8Array): number {
  return ((key[0] ?? 0) << 16) | ((key[1] ?? 0) << 8) | (key[2] ?? 0);
}

function scan(root: TreeNode, start?: number, end?: number, reverse = false): number[] {
  const cursor = new TreeCursor(root, start === undefined ? undefined : keyOf(start),
    end === undefined ? undefined : keyOf(end), reverse);
  const keys: number[] = [];
  while (cursor.next()) {
    keys.push(numberOf(cursor.key));
    assert.equal(cursor.value, `v${numberOf(cursor.key)}`);
  }
  assert.equal(cursor.next(), false, 'stays exhausted');
  return keys;
}

function expectedScan(model: Map<number, string>, start?: number, end?: number, reverse = false): number[] {
  const keys = [...model.keys()]
    .filter((k) => (start === undefined || k >= start) && (end === undefined || k < end))
    .sort((a, b) => a - b);
  return reverse ? keys.reverse() : keys;
}

function rootOf(tree: BTree): TreeNode {
  const snapshot = tree.snapshot();
  tree.release(snapshot);
  return snapshot.root;
}

test('an empty tree has nothing to get or scan', () => {
  const tree = new BTree();
  assert.equal(tree.size, 0);
  assert.equal(tree.get(keyOf(1)), undefined);
  assert.equal(tree.delete(keyOf(1)), false);
  assert.deepEqual(scan(rootOf(tree)), []);
  assert.deepEqual(scan(rootOf(tree), undefined, undefined, true), []);
});

test('random inserts and deletes match a model, with bounded scans in both directions', () => {
  const random = lcg(42);
  const tree = new BTree();
  const model = new Map<number, string>();
  // A small key space makes deletes hit, so nodes underflow, merge and borrow.
  for (let step = 0; step < 30000; step++) {
    const n = Math.floor(random() * 3000);
    if (random() < 0.55) {
      tree.set(keyOf(n), `v${n}`);
      model.set(n, `v${n}`);
    } else {
      assert.equal(tree.delete(keyOf(n)), model.delete(n), `delete ${n} at step ${step}`);
    }
    if (step % 5000 === 4999) {
      assert.equal(tree.size, model.size);
      const root = rootOf(tree);
      assert.deepEqual(scan(root), expectedScan(model));
      assert.deepEqual(scan(root, undefined, undefined, true), expectedScan(model, undefined, undefined, true));
      for (let q = 0; q < 50; q++) {
        const a = Math.floor(random() * 3100);
        const b = Math.floor(random() * 3100);
        const reverse = random() < 0.5;
        assert.deepEqual(scan(root, a, b, reverse), expectedScan(model, a, b, reverse), `[${a}, ${b}) ${reverse}`);
      }
    }
  }
  for (let n = 0; n < 3000; n++) assert.equal(tree.get(keyOf(n)), model.get(n));
});

test('deleting everything shrinks the tree back to an empty leaf', () => {
  const tree = new BTree();
  for (let n = 0; n < 20000; n++) tree.set(keyOf(n), `v${n}`);
  assert.equal(rootOf(tree).kind, 'branch');
  for (let n = 0; n < 20000; n += 2) tree.delete(keyOf(n));
  assert.deepEqual(scan(rootOf(tree), 100, 110), [101, 103, 105, 107, 109]);
  for (let n = 1; n < 20000; n += 2) tree.delete(keyOf(n));
  assert.equal(tree.size, 0);
  assert.equal(rootOf(tree).kind, 'leaf');
});

test('replacing a value keeps the size', () => {
  const tree = new BTree();
  tree.set(keyOf(1), 'a');
  tree.set(keyOf(1), 'b');
  assert.equal(tree.size, 1);
  assert.equal(tree.get(keyOf(1)), 'b');
});

test('a snapshot does not see writes made after it', () => {
  const tree = new BTree();
  for (let n = 0; n < 5000; n++) tree.set(keyOf(n), `v${n}`);
  const snapshot = tree.snapshot();
  for (let n = 0; n < 5000; n += 3) tree.delete(keyOf(n));
  for (let n = 5000; n < 6000; n++) tree.set(keyOf(n), `v${n}`);
  tree.set(keyOf(7), 'changed');
  const seen = new TreeCursor(snapshot.root, undefined, undefined, false);
  let expected = 0;
  while (seen.next()) {
    assert.equal(numberOf(seen.key), expected);
    assert.equal(seen.value, `v${expected}`);
    expected++;
  }
  assert.equal(expected, 5000);
  tree.release(snapshot);
  assert.equal(tree.get(keyOf(7)), 'changed');
  assert.equal(tree.get(keyOf(3)), undefined);
  assert.equal(tree.size, 5000 - 1667 + 1000);
});

test('snapshots taken between writes each keep their own view', () => {
  const tree = new BTree();
  tree.set(keyOf(1), 'v1');
  const first = tree.snapshot();
  tree.set(keyOf(2), 'v2');
  const second = tree.snapshot();
  tree.delete(keyOf(1));
  assert.deepEqual(scan(first.root), [1]);
  assert.deepEqual(scan(second.root), [1, 2]);
  assert.deepEqual(scan(rootOf(tree)), [2]);
  tree.release(first);
  tree.release(second);
});

test('snapshots taken during random writes keep their contents through merges and splits', () => {
  const random = lcg(9);
  const tree = new BTree();
  const model = new Map<number, string>();
  const views: Array<{ snapshot: ReturnType<BTree['snapshot']>; expected: number[] }> = [];
  for (let step = 0; step < 20000; step++) {
    const n = Math.floor(random() * 2000);
    if (random() < 0.5) {
      tree.set(keyOf(n), `v${n}`);
      model.set(n, `v${n}`);
    } else {
      tree.delete(keyOf(n));
      model.delete(n);
    }
    if (step % 2500 === 0) views.push({ snapshot: tree.snapshot(), expected: expectedScan(model) });
    // Some views are released early; the others must stay intact.
    if (step % 7500 === 1000) {
      const view = views.pop();
      if (view !== undefined) tree.release(view.snapshot);
    }
  }
  assert.ok(views.length >= 4);
  for (const view of views) {
    assert.deepEqual(scan(view.snapshot.root), view.expected);
    tree.release(view.snapshot);
  }
  assert.deepEqual(scan(rootOf(tree)), expectedScan(model));
});

/** Every node but the root within MIN/MAX_NODE_SIZE, every leaf at the same depth, separators in order. */
function assertWellFormed(root: TreeNode): void {
  const leafDepths = new Set<number>();
  const visit = (node: TreeNode, depth: number, isRoot: boolean): void => {
    const size = nodeSize(node);
    assert.ok(size <= MAX_NODE_SIZE, `node of ${size} entries`);
    if (!isRoot) assert.ok(size >= MIN_NODE_SIZE, `node of ${size} entries`);
    if (node.kind === 'leaf') {
      leafDepths.add(depth);
      return;
    }
    assert.equal(node.keys.length, node.children.length - 1);
    node.children.forEach((child, i) => {
      // A child's keys are >= the separator before it and < the one after it.
      const below = node.keys[i - 1];
      const above = node.keys[i];
      const first = child.kind === 'leaf' ? child.keys[0] : undefined;
      if (first !== undefined && below !== undefined) assert.ok(numberOf(first) >= numberOf(below));
      if (first !== undefined && above !== undefined) assert.ok(numberOf(first) < numberOf(above));
      visit(child, depth + 1, false);
    });
  };
  visit(root, 0, true);
  assert.equal(leafDepths.size, 1, 'every leaf at the same depth');
}

test('a tree built from sorted entries holds them, is well formed, and takes writes as any other', () => {
  for (const count of [0, 1, 47, 48, 49, 64, 65, 100, 2000, 150_000]) {
    const keys = Array.from({ length: count }, (_, n) => keyOf(n * 2));
    const tree = BTree.fromSorted(keys, keys.map((key) => `v${numberOf(key)}`));
    assert.equal(tree.size, count);
    const root = rootOf(tree);
    assertWellFormed(root);
    const model = new Map(keys.map((key) => [numberOf(key), `v${numberOf(key)}`]));
    assert.deepEqual(scan(root), expectedScan(model), `${count} entries`);
    if (count > 3) assert.deepEqual(scan(root, count - 3, count + 3, true), expectedScan(model, count - 3, count + 3, true));
    // Writes and deletes after the build keep it a valid tree.
    const random = lcg(count + 1);
    for (let step = 0; step < Math.min(4 * count, 20_000); step++) {
      const n = Math.floor(random() * count * 2);
      if (random() < 0.5) {
        tree.set(keyOf(n), `v${n}`);
        model.set(n, `v${n}`);
      } else {
        assert.equal(tree.delete(keyOf(n)), model.delete(n));
      }
    }
    assert.equal(tree.size, model.size);
    assertWellFormed(rootOf(tree));
    assert.deepEqual(scan(rootOf(tree)), expectedScan(model));
  }
});
