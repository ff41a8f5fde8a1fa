import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentHash, valueHash } from './content-hash.ts';

describe('contentHash', () => {
  test('is upper-case hex SHA-512 and the same for equal text and bytes', () => {
    const hash = contentHash('{"a":1}');
    assert.match(hash, /^[0-9A-F]{128}$/, 'SHA-512 is 128 hex digits');
    assert.equal(
      contentHash(new TextEncoder().encode('{"a":1}')),
      hash,
      'bytes hash like the text they encode',
    );
  });
  test('changes with the content', () => {
    assert.notEqual(contentHash('{"a":1}'), contentHash('{"a":2}'), 'one changed byte changes the hash');
  });
});

describe('valueHash', () => {
  test('ignores the order object keys were written in, but not array order', () => {
    assert.equal(
      valueHash({ a: 1, b: { c: [1, 2], d: 'x' } }),
      valueHash({ b: { d: 'x', c: [1, 2] }, a: 1 }),
      'key order',
    );
    assert.notEqual(valueHash({ c: [1, 2] }), valueHash({ c: [2, 1] }), 'array order is content');
  });
  test('changes with any nested value', () => {
    assert.notEqual(
      valueHash({ a: { b: { c: 'x' } } }),
      valueHash({ a: { b: { c: 'y' } } }),
      'nested change',
    );
  });
});
