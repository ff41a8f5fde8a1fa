// Proves continue tokens round-trip and that anything else, or a token for another prefix, is InvalidContinue.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { isStorageError } from './storage.ts';

const continuation = fc.record({
  revision: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  after: fc.string({ unit: 'binary' }),
});

test('decodeContinue(encodeContinue(c), any prefix of c.after) = c', () => {
  fc.assert(
    fc.property(continuation, fc.nat(), (c, cut) => {
      const prefix = c.after.slice(0, cut % (c.after.length + 1));
      assert.deepEqual(decodeContinue(encodeContinue(c), prefix), { revision: c.revision, after: c.after });
    }),
  );
});

test('tokens are URL-safe', () => {
  fc.assert(fc.property(continuation, (c) => /^[A-Za-z0-9_-]+$/.test(encodeContinue(c))));
});

test('a token is refused for a prefix its key is not under', () => {
  const token = encodeContinue({ revision: 7, after: '/a/x' });
  assert.throws(
    () => decodeContinue(token, '/b/'),
    (error) => isStorageError(error, 'InvalidContinue'),
  );
  assert.throws(
    () => decodeContinue(token, '/a/x/'),
    (error) => isStorageError(error, 'InvalidContinue'),
  );
});

test('any string is either refused with InvalidContinue or is the canonical token it decodes to', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.base64String()), (token) => {
      try {
        assert.equal(encodeContinue(decodeContinue(token, '')), token);
      } catch (error) {
        assert.ok(isStorageError(error, 'InvalidContinue'), String(error));
      }
    }),
    { numRuns: 2_000 },
  );
  for (const token of ['', 'e30', encodeContinue({ revision: 1, after: '' }).slice(1)]) {
    assert.throws(
      () => decodeContinue(token, ''),
      (error) => isStorageError(error, 'InvalidContinue'),
      token,
    );
  }
  const wrongShape = Buffer.from(JSON.stringify({ v: 1, rev: 0, after: '/a' })).toString('base64url');
  assert.throws(
    () => decodeContinue(wrongShape, ''),
    (error) => isStorageError(error, 'InvalidContinue'),
  );
});
