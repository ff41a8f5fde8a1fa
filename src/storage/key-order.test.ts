// Proves compareKeys orders keys exactly as their UTF-8 bytes do, astral characters included.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareKeys } from './key-order.ts';

const byBytes = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('compareKeys has the sign of comparing UTF-8 bytes', () => {
  const key = fc.string({
    unit: fc.constantFrom('a', '/', '\u007f', 'é', '\ue000', '\uffff', '😀', '\u{10ffff}'),
  });
  fc.assert(
    fc.property(key, key, (a, b) => Math.sign(compareKeys(a, b)) === Math.sign(byBytes(a, b))),
    { numRuns: 5_000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
      return Math.sign(compareKeys(a, b)) === Math.sign(byBytes(a, b));
    }),
    { numRuns: 5_000 },
  );
});

test('a character above U+FFFF sorts after U+FF61, unlike in UTF-16', () => {
  assert.ok(compareKeys('/😀', '/\uff61') > 0, 'U+1F600 after U+FF61');
  assert.ok('/😀' < '/\uff61', 'but not in UTF-16');
  assert.equal(compareKeys('/a', '/a'), 0);
  assert.ok(compareKeys('/a', '/a/') < 0, 'a prefix sorts first');
});
