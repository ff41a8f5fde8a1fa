// Proves SortedKeys behaves as a sorted array under any mix of inserts, deletes and scans, across chunk splits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareKeys } from '../key-order.ts';
import { SortedKeys } from './sorted-keys.ts';

const key = fc.integer({ min: 0, max: 3_000 }).map((n) => `/k/${n}`);

test('inserts, deletes and scans agree with a sorted array', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), key), { maxLength: 2_500 }),
      key,
      fc.boolean(),
      (operations, start, exclusive) => {
        const keys = new SortedKeys();
        const model = new Set<string>();
        for (const [insert, k] of operations) {
          if (insert && !model.has(k)) {
            keys.insert(k);
            model.add(k);
          } else if (!insert && model.has(k)) {
            keys.delete(k);
            model.delete(k);
          }
        }
        const sorted = [...model].sort(compareKeys);
        const all: string[] = [];
        keys.scan('', false, (k) => all.push(k) > 0);
        assert.deepEqual(all, sorted);
        const from: string[] = [];
        keys.scan(start, exclusive, (k) => from.push(k) > 0);
        assert.deepEqual(
          from,
          sorted.filter((k) => (exclusive ? compareKeys(k, start) > 0 : compareKeys(k, start) >= 0)),
        );
        const firstThree: string[] = [];
        keys.scan('', false, (k) => firstThree.push(k) < 3);
        assert.deepEqual(firstThree, sorted.slice(0, 3));
      },
    ),
    { numRuns: 200 },
  );
});

test('deleting a key that is not there is a bug, not a no-op', () => {
  const keys = new SortedKeys();
  keys.insert('/a');
  assert.throws(() => keys.delete('/b'), /not in the set/);
});
