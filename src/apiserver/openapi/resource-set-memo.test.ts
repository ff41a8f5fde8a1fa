import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { event, network } from '../discovery/testing/sample-resources.ts';
import { ResourceSetMemo } from './resource-set-memo.ts';

describe('ResourceSetMemo', () => {
  test('builds once per resource-set version and again when the version changes', () => {
    const built: number[] = [];
    const memo = new ResourceSetMemo((resources) => {
      built.push(resources.length);
      return { count: resources.length };
    });
    const first = memo.get(1, [network]);
    assert.equal(
      memo.get(1, [network, event]),
      first,
      'same version: the cached value, even for a new array',
    );
    const second = memo.get(2, [network, event]);
    assert.deepEqual(second, { count: 2 }, 'new version: rebuilt from the resources passed');
    assert.equal(memo.get(1, [network]).count, 1, 'going back to an old version rebuilds too');
    assert.deepEqual(built, [1, 2, 1], 'three builds in all');
  });
});
