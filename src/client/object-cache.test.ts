// Proves the cache's indexes follow every change and that a re-list diff turns the cache into exactly the listed
// objects with one change per differing key and none for unchanged ones.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from './kube-object.ts';
import { NAMESPACE_INDEX, ObjectCache, relistChanges } from './object-cache.ts';

const object = (
  namespace: string,
  name: string,
  rv: string,
  labels: Record<string, string> = {},
): KubeObject => ({
  metadata: { namespace, name, resourceVersion: rv, labels },
});

describe('ObjectCache', () => {
  test('indexes follow set, replace and delete, including an index added late', () => {
    const cache = new ObjectCache<KubeObject>();
    cache.addIndex('tier', (o) => [o.metadata.labels?.tier ?? 'none']);
    cache.set(object('a', 'x', '1', { tier: 'web', zone: 'z1' }));
    cache.set(object('a', 'y', '2', { tier: 'web', zone: 'z2' }));
    cache.set(object('b', 'x', '3', { tier: 'db', zone: 'z1' }));
    cache.addIndex('zone', (o) => [o.metadata.labels?.zone ?? '']);
    const names = (objects: KubeObject[]) =>
      objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();

    assert.deepEqual(names(cache.byIndex('tier', 'web')), ['a/x', 'a/y'], 'tier=web');
    assert.deepEqual(
      names(cache.byIndex('zone', 'z1')),
      ['a/x', 'b/x'],
      'the late index covers earlier objects',
    );
    assert.deepEqual(names(cache.list('a')), ['a/x', 'a/y'], 'list by namespace');
    assert.equal(cache.get('b', 'x')?.metadata.resourceVersion, '3', 'get by namespace and name');

    const replaced = cache.set(object('a', 'x', '4', { tier: 'db', zone: 'z1' }));
    assert.equal(replaced?.metadata.resourceVersion, '1', 'set returns what it replaced');
    assert.deepEqual(names(cache.byIndex('tier', 'web')), ['a/y'], 'a/x left tier=web');
    assert.deepEqual(names(cache.byIndex('tier', 'db')), ['a/x', 'b/x'], 'a/x joined tier=db');

    cache.delete('a/x');
    assert.deepEqual(names(cache.byIndex('tier', 'db')), ['b/x'], 'a delete leaves every index');
    assert.deepEqual(names(cache.byIndex(NAMESPACE_INDEX, 'a')), ['a/y'], 'and the namespace index');
    assert.deepEqual(cache.byIndex('zone', 'nowhere'), [], 'an unknown value is empty');
    assert.throws(
      () => cache.byIndex('missing', 'x'),
      /no index named missing/,
      'an unknown index is an error',
    );
    assert.throws(() => cache.addIndex('tier', () => []), /already has an index/, 'index names are unique');
  });

  test('an index function that throws leaves the cache unchanged', () => {
    const cache = new ObjectCache<KubeObject>();
    cache.set(object('a', 'x', '1', { tier: 'web' }));
    cache.addIndex('strict', (o) => {
      if (o.metadata.labels?.tier === undefined) throw new Error('no tier');
      return [o.metadata.labels.tier];
    });
    assert.throws(() => cache.set(object('a', 'x', '2')), /no tier/, 'the index function threw');
    assert.equal(cache.get('a', 'x')?.metadata.resourceVersion, '1', 'the old object stays');
    assert.equal(cache.byIndex('strict', 'web').length, 1, 'and stays indexed');
  });
});

const key = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;

describe('relistChanges', () => {
  const entry = fc.record({
    name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    namespace: fc.constantFrom('n1', 'n2'),
    rv: fc.constantFrom('1', '2', '3'),
  });
  const objects = fc
    .uniqueArray(entry, { selector: (e) => `${e.namespace}/${e.name}`, maxLength: 12 })
    .map((entries) => entries.map((e) => object(e.namespace, e.name, e.rv)));

  test('applying the changes gives exactly the listed objects, one change per differing key', () => {
    fc.assert(
      fc.property(objects, objects, (cached, listed) => {
        const cache = new ObjectCache<KubeObject>();
        for (const o of cached) cache.set(o);
        const changes = relistChanges(cache, listed);
        const keys = changes.map((c) => key(c.object));
        assert.equal(new Set(keys).size, keys.length, 'at most one change per key');
        for (const change of changes) {
          if (change.type === 'delete') cache.delete(keys[changes.indexOf(change)]!);
          else cache.set(change.object);
          if (change.type === 'update')
            assert.notEqual(
              change.old.metadata.resourceVersion,
              change.object.metadata.resourceVersion,
              'an update only where the resourceVersion differs',
            );
        }
        const state = (os: KubeObject[]) =>
          os.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
        assert.deepEqual(state(cache.list()), state(listed), 'the cache now equals the list');
        const before = new Map(cached.map((o) => [key(o), o.metadata.resourceVersion]));
        const after = new Map(listed.map((o) => [key(o), o.metadata.resourceVersion]));
        const expected = [
          ...[...after]
            .filter(([k, rv]) => before.get(k) !== rv)
            .map(([k]) => `${before.has(k) ? 'update' : 'add'} ${k}`),
          ...[...before.keys()].filter((k) => !after.has(k)).map((k) => `delete ${k}`),
        ];
        assert.deepEqual(
          changes.map((c, i) => `${c.type} ${keys[i]}`).sort(),
          expected.sort(),
          'adds for new keys, updates for changed versions, deletes for vanished keys, nothing else',
        );
      }),
    );
  });
});
