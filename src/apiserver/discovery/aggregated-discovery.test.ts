import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregatedDiscovery } from './aggregated-discovery.ts';
import { apiGroupList, apiResourceList } from './legacy-discovery.ts';
import { network, SAMPLE_RESOURCES } from './testing/sample-resources.ts';

const GROUP = 'networking.datumapis.com';

describe('aggregated discovery', () => {
  test('/apis carries each group, version and resource with its status subresource', () => {
    const gvk = { group: GROUP, version: 'v1alpha1', kind: 'Network' };
    assert.deepEqual(
      aggregatedDiscovery(SAMPLE_RESOURCES, 'apis', 'v2'),
      {
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2',
        metadata: {},
        items: [
          {
            metadata: { name: GROUP },
            versions: [
              {
                version: 'v1alpha1',
                freshness: 'Current',
                resources: [
                  {
                    resource: 'networks',
                    responseKind: gvk,
                    scope: 'Namespaced',
                    singularResource: 'network',
                    verbs: [
                      'create',
                      'delete',
                      'deletecollection',
                      'get',
                      'list',
                      'patch',
                      'update',
                      'watch',
                    ],
                    shortNames: ['net'],
                    categories: ['datum'],
                    subresources: [
                      { subresource: 'status', responseKind: gvk, verbs: ['get', 'patch', 'update'] },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      'the shape of research §2.4',
    );
  });

  test('/api has the core group as its only item, named ""', () => {
    const list = aggregatedDiscovery(SAMPLE_RESOURCES, 'api', 'v2');
    assert.equal(list.items.length, 1, 'one item');
    const [core] = list.items;
    assert.equal(core?.metadata.name, '', 'the core group has no name');
    const [v1] = core?.versions ?? [];
    assert.equal(v1?.version, 'v1', 'version');
    const byName = new Map(v1?.resources.map((r) => [r.resource, r]));
    assert.deepEqual([...byName.keys()], ['events', 'namespaces', 'pods'], 'resources sorted by name');
    assert.equal(byName.get('namespaces')?.scope, 'Cluster', 'namespaces are cluster-scoped');
    assert.deepEqual(
      byName.get('pods')?.subresources?.map((s) => [s.subresource, s.verbs]),
      [
        ['log', ['get']],
        ['status', ['get', 'patch', 'update']],
      ],
      'pods/log and pods/status',
    );
    assert.deepEqual(
      byName.get('pods')?.responseKind,
      { group: '', version: 'v1', kind: 'Pod' },
      'core response kinds have an empty group',
    );
    assert.equal(byName.get('events')?.subresources, undefined, 'no subresources, no field');
  });

  test('v2beta1 differs from v2 only in apiVersion', () => {
    for (const root of ['api', 'apis'] as const) {
      const v2 = aggregatedDiscovery(SAMPLE_RESOURCES, root, 'v2');
      const v2beta1 = aggregatedDiscovery(SAMPLE_RESOURCES, root, 'v2beta1');
      assert.equal(v2beta1.apiVersion, 'apidiscovery.k8s.io/v2beta1', `${root} apiVersion`);
      assert.deepEqual({ ...v2beta1, apiVersion: v2.apiVersion }, v2, `${root} otherwise identical`);
    }
  });

  test('agrees with legacy discovery on every resource', () => {
    const list = aggregatedDiscovery(SAMPLE_RESOURCES, 'apis', 'v2');
    for (const group of apiGroupList(SAMPLE_RESOURCES).groups) {
      const item = list.items.find((i) => i.metadata.name === group.name);
      assert.deepEqual(
        item?.versions.map((v) => v.version),
        group.versions.map((v) => v.version),
        `${group.name} versions in the same order`,
      );
      for (const version of item?.versions ?? []) {
        const legacy = apiResourceList(SAMPLE_RESOURCES, group.name, version.version)?.resources ?? [];
        const names = version.resources.flatMap((r) => [
          r.resource,
          ...(r.subresources ?? []).map((s) => `${r.resource}/${s.subresource}`),
        ]);
        assert.deepEqual(
          names,
          legacy.map((r) => r.name),
          `${group.name}/${version.version} resources`,
        );
      }
    }
  });

  test('groups keep the order they first appear in, versions their priority', () => {
    const other = { ...network, group: 'compute.datumapis.com', kind: 'Workload', plural: 'workloads' };
    const list = aggregatedDiscovery([network, other, { ...network, version: 'v1' }], 'apis', 'v2');
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      [GROUP, 'compute.datumapis.com'],
      'group order',
    );
    assert.deepEqual(
      list.items[0]?.versions.map((v) => v.version),
      ['v1', 'v1alpha1'],
      'GA first',
    );
  });
});
