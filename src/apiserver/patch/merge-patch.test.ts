// Proves applyMergePatch is RFC 7386: the appendix A examples, no shared or mutated inputs, idempotence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyMergePatch } from './merge-patch.ts';

const appendixA: readonly [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch', () => {
  for (const [i, [target, patch, expected]] of appendixA.entries()) {
    test(`RFC 7386 appendix A example ${i + 1}`, () => {
      assert.deepEqual(
        applyMergePatch(target, patch),
        expected,
        `${JSON.stringify(patch)} on ${JSON.stringify(target)}`,
      );
    });
  }

  test('kubectl apply removes a field it no longer sets with null', () => {
    const live = { metadata: { labels: { env: 'prod' } }, spec: { mtu: 1500, cidr: '10.0.0.0/16' } };
    const patch = { metadata: { labels: { env: 'staging' } }, spec: { mtu: null } };
    assert.deepEqual(
      applyMergePatch(live, patch),
      { metadata: { labels: { env: 'staging' } }, spec: { cidr: '10.0.0.0/16' } },
      'mtu is deleted, the label replaced and cidr kept',
    );
  });

  test('a __proto__ key is data, not a prototype', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true}}');
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    assert.deepEqual(Object.keys(result), ['__proto__'], 'the key is an own property');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  });

  test('never mutates or shares its inputs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const before = JSON.stringify([target, patch]);
        const result = applyMergePatch(target, patch);
        assert.equal(JSON.stringify([target, patch]), before, 'inputs unchanged');
        if (result !== null && typeof result === 'object') {
          assert.notEqual(result, target, 'a fresh result');
          assert.notEqual(result, patch, 'a fresh result');
        }
      }),
    );
  });

  test('applying the same patch twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (target, patch) => {
        const once = applyMergePatch(target, patch);
        assert.deepEqual(applyMergePatch(once, patch), once, 'merge patches are idempotent');
      }),
    );
  });
});
