// Proves events map to the right keys: an object's own key, its owners' keys, and the keys an index files under a value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { byIndex, byObjectKey, byOwner, type IndexReader } from './key-mappers.ts';
import { keyOf, type ObjectLike, objectKey, splitKey } from './object-key.ts';

const owner = (
  kind: string,
  name: string,
  apiVersion = 'networking.datumapis.com/v1alpha1',
  controller = true,
) => ({
  apiVersion,
  kind,
  name,
  uid: `uid-${name}`,
  controller,
});

describe('object keys', () => {
  test('are namespace/name, or the name alone for cluster-scoped objects', () => {
    assert.equal(objectKey({ metadata: { namespace: 'prod', name: 'web' } }), 'prod/web', 'namespaced');
    assert.equal(objectKey({ metadata: { name: 'node-1' } }), 'node-1', 'cluster-scoped');
    assert.deepEqual(splitKey('prod/web'), { namespace: 'prod', name: 'web' }, 'split namespaced');
    assert.deepEqual(splitKey('node-1'), { namespace: undefined, name: 'node-1' }, 'split cluster-scoped');
  });

  test('splitKey undoes keyOf', () => {
    const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.option(name, { nil: undefined }), name, (namespace, n) => {
        assert.deepEqual(splitKey(keyOf(namespace, n)), { namespace, name: n }, 'round trip');
      }),
    );
  });
});

describe('byObjectKey', () => {
  test('maps an object to its own key', () => {
    assert.deepEqual([...byObjectKey({ metadata: { namespace: 'a', name: 'b' } })], ['a/b'], 'own key');
  });
});

describe('byOwner', () => {
  const subnet: ObjectLike = {
    metadata: {
      namespace: 'prod',
      name: 'web-tier-subnet',
      ownerReferences: [
        owner('SubnetClaim', 'web-tier-subnet-claim'),
        owner('Network', 'app-network', 'networking.datumapis.com/v1alpha1', false),
        owner('SubnetClaim', 'other', 'example.com/v1', false),
      ],
    },
  };

  test('maps to every owner of the kind, in the object’s namespace', () => {
    assert.deepEqual(
      [...byOwner('SubnetClaim')(subnet)],
      ['prod/web-tier-subnet-claim', 'prod/other'],
      'both SubnetClaim owners',
    );
    assert.deepEqual([...byOwner('Network')(subnet)], ['prod/app-network'], 'the Network owner');
  });

  test('filters by API group and by the controller flag', () => {
    assert.deepEqual(
      [...byOwner('SubnetClaim', { group: 'networking.datumapis.com' })(subnet)],
      ['prod/web-tier-subnet-claim'],
      'only the owner in our group',
    );
    assert.deepEqual(
      [...byOwner('Network', { controllerOnly: true })(subnet)],
      [],
      'the Network reference is not the controller',
    );
    assert.deepEqual([...byOwner('Workload')(subnet)], [], 'no owner of that kind');
    assert.deepEqual([...byOwner('Workload')({})], [], 'no metadata at all');
  });
});

describe('byIndex', () => {
  test('maps to the keys of every object filed under the values, once each', () => {
    const claims: Record<string, ObjectLike[]> = {
      'prod/app-network': [
        { metadata: { namespace: 'prod', name: 'web' } },
        { metadata: { namespace: 'prod', name: 'db' } },
      ],
      'prod/alias': [{ metadata: { namespace: 'prod', name: 'web' } }],
    };
    const index: IndexReader<ObjectLike> = {
      byIndex: (name, value) => (name === 'networkRef' ? (claims[value] ?? []) : []),
    };
    const mapper = byIndex(index, 'networkRef', (network: { key: string; aliases: string[] }) => [
      network.key,
      ...network.aliases,
    ]);
    assert.deepEqual(
      [...mapper({ key: 'prod/app-network', aliases: ['prod/alias'] })],
      ['prod/web', 'prod/db'],
      'each claim once',
    );
    assert.deepEqual([...mapper({ key: 'prod/none', aliases: [] })], [], 'nothing filed under it');
  });
});
