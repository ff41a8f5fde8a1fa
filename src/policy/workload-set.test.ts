// Proves the workload bit set keeps exactly the indices put in, word edges (bit 31) included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  addWorkload,
  emptyWorkloadSet,
  hasWorkload,
  intersect,
  isEmptySet,
  members,
  unite,
} from './workload-set.ts';

const setOf = (size: number, indices: Iterable<number>) => {
  const set = emptyWorkloadSet(size);
  for (const i of indices) addWorkload(set, i);
  return set;
};

test('members, membership, union and intersection agree with a Set', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 200 })
        .chain((size) =>
          fc.tuple(fc.constant(size), fc.uniqueArray(fc.nat(size - 1)), fc.uniqueArray(fc.nat(size - 1))),
        ),
      ([size, a, b]) => {
        const sa = setOf(size, a);
        const sb = setOf(size, b);
        const sorted = (xs: Iterable<number>) => [...xs].sort((x, y) => x - y);
        assert.deepEqual(members(sa), sorted(a), 'members');
        for (let i = 0; i < size; i++) assert.equal(hasWorkload(sa, i), a.includes(i), `has ${i}`);
        assert.deepEqual(members(unite(sa, sb)), sorted(new Set([...a, ...b])), 'union');
        assert.deepEqual(members(intersect(sa, sb)), sorted(a.filter((i) => b.includes(i))), 'intersection');
        assert.equal(isEmptySet(sa), a.length === 0, 'empty');
      },
    ),
  );
});

test('word edges', () => {
  assert.deepEqual(members(setOf(1000, [999, 0, 31, 32, 63, 64])), [0, 31, 32, 63, 64, 999], 'edges');
});
