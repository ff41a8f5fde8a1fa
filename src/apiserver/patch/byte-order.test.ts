// Proves compareUtf8 orders strings exactly as Go's byte-wise comparison does, surrogates included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareBytes } from '../schema/go-format.ts';
import { compareUtf8 } from './byte-order.ts';

const tricky = fc.string({
  unit: fc.constantFrom(
    'a',
    'z',
    '\u007f',
    '\u0080',
    '\ud7ff',
    '\ud800',
    '\udbff',
    '\udc00',
    '\ue000',
    '\uffff',
    '😀',
  ),
});

describe('compareUtf8', () => {
  test('has the sign of compareBytes', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string({ unit: 'binary' })), tricky, (a, b) => {
        assert.equal(compareUtf8(a, b), Math.sign(compareBytes(a, b)), `${JSON.stringify([a, b])}`);
        assert.equal(compareUtf8(a, a + b), Math.sign(compareBytes(a, a + b)), 'a prefix');
      }),
      { numRuns: 2000 },
    );
  });

  test('puts an astral character after every other BMP one, as UTF-8 does', () => {
    assert.equal(compareUtf8('\uffff', '😀'), -1);
    assert.equal(compareUtf8('😀', '\ue000'), 1);
    assert.equal(compareUtf8('\ud800', '\ud800\udc00'), -1);
  });
});
