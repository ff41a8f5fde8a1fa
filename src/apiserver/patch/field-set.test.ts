// Proves the field-set algebra keeps structured-merge-diff's parent/child rules and basic set laws.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  difference,
  fieldSetOf,
  hasPath,
  intersection,
  isEmptySet,
  recursiveDifference,
  setPaths,
  setsEqual,
  union,
} from './field-set.ts';
import { fieldPath, pathString, serializeElement } from './path-element.ts';
import { fieldPaths } from './testing/field-paths.ts';

const paths = (set: Parameters<typeof setPaths>[0]) => setPaths(set).map(pathString);

describe('field sets', () => {
  test('a parent minus its child is the parent; a child minus its parent stays', () => {
    const parent = fieldSetOf([fieldPath('spec')]);
    const child = fieldSetOf([fieldPath('spec', 'mtu')]);
    assert.deepEqual(paths(difference(parent, child)), ['.spec'], 'parent - child = parent');
    assert.deepEqual(paths(difference(child, parent)), ['.spec.mtu'], 'a member is only removed by itself');
    assert.deepEqual(
      paths(recursiveDifference(child, parent)),
      [],
      'recursively, the parent takes its children',
    );
  });

  test('membership is exact: a child does not make its parent a member', () => {
    const set = fieldSetOf([fieldPath('spec', 'mtu')]);
    assert.equal(hasPath(set, fieldPath('spec')), false, 'spec is not a member');
    assert.equal(hasPath(set, fieldPath('spec', 'mtu')), true, 'spec.mtu is');
  });

  test('set laws', () => {
    fc.assert(
      fc.property(fieldPaths, fieldPaths, (a, b) => {
        const x = fieldSetOf(a);
        const y = fieldSetOf(b);
        assert.ok(setsEqual(union(x, y), union(y, x)), 'union commutes');
        assert.ok(setsEqual(intersection(x, y), intersection(y, x)), 'intersection commutes');
        assert.ok(isEmptySet(difference(x, x)), 'x - x is empty');
        assert.ok(isEmptySet(intersection(difference(x, y), y)), '(x - y) and y share nothing');
        assert.ok(setsEqual(union(difference(x, y), intersection(x, y)), x), 'x splits into x - y and x & y');
        for (const p of a) assert.ok(hasPath(union(x, y), p), `${pathString(p)} stays in the union`);
      }),
    );
  });

  test('fieldSetOf keeps exactly the given paths', () => {
    fc.assert(
      fc.property(fieldPaths, (a) => {
        const set = fieldSetOf(a);
        assert.ok(setsEqual(fieldSetOf(setPaths(set)), set), 'rebuilt from its own paths');
        assert.equal(
          setPaths(set).length,
          new Set(a.map((p) => JSON.stringify(p.map(serializeElement)))).size,
          'one path per distinct input',
        );
      }),
    );
  });
});
