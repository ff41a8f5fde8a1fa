import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareVersionPriority } from './version-priority.ts';

const PREFERRED_ORDER = [
  'v10',
  'v2',
  'v1',
  'v11beta2',
  'v10beta3',
  'v3beta1',
  'v12alpha1',
  'v11alpha2',
  'foo1',
  'foo10',
];

describe('compareVersionPriority', () => {
  test('GA before beta before alpha, newest first, then other strings alphabetically', () => {
    const shuffled = [...PREFERRED_ORDER].reverse();
    assert.deepEqual(shuffled.sort(compareVersionPriority), PREFERRED_ORDER, 'Kubernetes version priority');
  });

  test('sorting gives one order whatever the input order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(PREFERRED_ORDER), (versions) => {
        const expected = PREFERRED_ORDER.filter((v) => versions.includes(v));
        assert.deepEqual(
          [...versions].sort(compareVersionPriority),
          expected,
          `sorted ${versions.join(',')}`,
        );
      }),
    );
  });
});
