import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../model/attribute-value.js';
import { pathOf } from './document-path.js';
import { compileProjection, projectItem } from './project.js';

const item: Item = {
  p: { S: 'k' },
  a: { M: { b: { N: '1' }, c: { L: [{ S: 'x' }, { M: { y: { N: '2' }, z: { N: '3' } } }, { S: 'w' }] }, d: { BOOL: true } } },
  l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] },
  s: { S: 'str' },
};

test('projectItem keeps the selected parts, nested and merged', () => {
  const cases: [string, (string | number)[][], Item][] = [
    ['top-level', [['p'], ['s']], { p: { S: 'k' }, s: { S: 'str' } }],
    ['missing omitted', [['p'], ['nope']], { p: { S: 'k' } }],
    ['nothing found', [['nope']], {}],
    ['nested', [['a', 'b']], { a: { M: { b: { N: '1' } } } }],
    ['merged siblings', [['a', 'b'], ['a', 'd']], { a: { M: { b: { N: '1' }, d: { BOOL: true } } } }],
    ['list indexes compacted in index order', [['l', 3], ['l', 1]], { l: { L: [{ N: '1' }, { N: '3' }] } }],
    ['index past the end omitted', [['l', 9]], {}],
    ['mixed', [['a', 'c', 1, 'z'], ['a', 'c', 0]], { a: { M: { c: { L: [{ S: 'x' }, { M: { z: { N: '3' } } }] } } } }],
    ['same element, two members', [['a', 'c', 1, 'y'], ['a', 'c', 1, 'z']], { a: { M: { c: { L: [{ M: { y: { N: '2' }, z: { N: '3' } } }] } } } }],
    ['name step on a list selects nothing', [['l', 'x']], {}],
    ['index step on a map selects nothing', [['a', 0]], {}],
    ['step below a scalar selects nothing', [['s', 'x'], ['s', 0]], {}],
    ['parent with nothing found is omitted', [['a', 'nope']], {}],
    ['whole value wins over a path below it', [['a', 'b'], ['a']], { a: item.a as NonNullable<Item['a']> }],
    ['inherited names are not attributes', [['toString'], ['a', 'constructor']], {}],
  ];
  for (const [name, paths, expected] of cases) {
    assert.deepEqual(projectItem(paths.map((steps) => pathOf(...steps)), item), expected, name);
  }
});

test('a compiled projection is reusable and never mutates items', () => {
  const project = compileProjection([pathOf('a', 'b'), pathOf('p')]);
  const snapshot = structuredClone(item);
  assert.deepEqual(project(item), { a: { M: { b: { N: '1' } } }, p: { S: 'k' } });
  assert.deepEqual(project({ p: { S: 'other' } }), { p: { S: 'other' } });
  assert.deepEqual(item, snapshot);
  // A whole top-level value is shared, not copied.
  assert.equal(project(item).p, item.p);
});
