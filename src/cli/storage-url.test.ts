import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeStorage, parseStorageUrl } from './storage-url.ts';

describe('parseStorageUrl', () => {
  test('the three forms', () => {
    assert.deepEqual(
      parseStorageUrl('sqlite://.nso/nso.db'),
      { kind: 'sqlite', file: '.nso/nso.db' },
      'relative',
    );
    assert.deepEqual(
      parseStorageUrl('sqlite:///var/nso.db'),
      { kind: 'sqlite', file: '/var/nso.db' },
      'absolute',
    );
    assert.deepEqual(parseStorageUrl('memory://'), { kind: 'memory' }, 'memory');
    assert.deepEqual(
      parseStorageUrl('etcd://127.0.0.1:2379,etcd-1:2379,[::1]:2379'),
      { kind: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://etcd-1:2379', 'http://[::1]:2379'] },
      'etcd endpoints',
    );
  });
  test('describeStorage gives the URL back', () => {
    for (const url of ['sqlite://a.db', 'memory://', 'etcd://127.0.0.1:2379,h:1']) {
      assert.equal(describeStorage(parseStorageUrl(url)), url, url);
    }
  });
  test('mistakes name the accepted forms', () => {
    for (const bad of [
      'nso.db',
      'postgres://x',
      'sqlite://',
      'memory://x',
      'etcd://',
      'etcd://host',
      'etcd://h:1,',
    ]) {
      assert.throws(() => parseStorageUrl(bad), /storage/, bad);
    }
  });
});
