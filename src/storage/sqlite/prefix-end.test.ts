import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { prefixEnd } from './prefix-end.ts';

const byUtf8 = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('a string starts with the prefix exactly when it lies in [prefix, prefixEnd(prefix))', () => {
  const text = fc.string({ unit: 'grapheme-composite', maxLength: 6 });
  const edges = fc.constantFrom(
    '\u{10ffff}',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '\u{10000}',
    '\u007f',
    '\u0080',
    'a',
  );
  const piece = fc.oneof(
    text,
    edges,
    fc.array(edges, { maxLength: 3 }).map((parts) => parts.join('')),
  );
  fc.assert(
    fc.property(piece, piece, piece, fc.boolean(), (prefix, suffix, other, extend) => {
      const candidate = extend ? prefix + suffix : other;
      const end = prefixEnd(prefix);
      const inRange = byUtf8(candidate, prefix) >= 0 && (end === undefined || byUtf8(candidate, end) < 0);
      assert.equal(
        inRange,
        candidate.startsWith(prefix),
        `${JSON.stringify(candidate)} vs ${JSON.stringify(prefix)}`,
      );
    }),
    { numRuns: 20_000 },
  );
});

test('the end skips the surrogate range and drops trailing U+10FFFF', () => {
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('\u{10ffff}\u{10ffff}'), undefined);
  assert.equal(prefixEnd('/a/'), '/a0');
  assert.equal(prefixEnd('x\ud7ff'), 'x\ue000');
  assert.equal(prefixEnd('x\u{10ffff}'), 'y');
});
