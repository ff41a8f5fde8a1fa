import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy-discovery.ts';
import { network, SAMPLE_RESOURCES } from './testing/sample-resources.ts';

const GROUP = 'networking.datumapis.com';

describe('legacy discovery', () => {
  test('/api lists the core versions and the server address for every client network', () => {
    assert.deepEqual(
      apiVersions(SAMPLE_RESOURCES, '10.0.0.1:6443'),
      {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
      },
      'APIVersions',
    );
  });

  test('/apis lists named groups only, with the preferred version', () => {
    const gv = { groupVersion: `${GROUP}/v1alpha1`, version: 'v1alpha1' };
    assert.deepEqual(
      apiGroupList(SAMPLE_RESOURCES),
      {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: GROUP, versions: [gv], preferredVersion: gv }],
      },
      'APIGroupList without the core group',
    );
  });

  test('/apis/<group> prefers GA over beta over alpha', () => {
    const versions = ['v1alpha1', 'v1', 'v1beta1'].map((version) => ({ ...network, version }));
    const group = apiGroup(versions, GROUP);
    assert.deepEqual(
      group?.versions.map((v) => v.groupVersion),
      [`${GROUP}/v1`, `${GROUP}/v1beta1`, `${GROUP}/v1alpha1`],
      'versions most preferred first',
    );
    assert.deepEqual(group?.preferredVersion, { groupVersion: `${GROUP}/v1`, version: 'v1' }, 'preferred');
    assert.equal(group?.kind, 'APIGroup', 'kind');
    assert.equal(apiGroup(SAMPLE_RESOURCES, 'nope.example.com'), undefined, 'unknown group');
    assert.equal(apiGroup(SAMPLE_RESOURCES, ''), undefined, 'the core group is not under /apis');
  });

  test('/apis/<group>/<version> lists each resource and its status subresource', () => {
    const list = apiResourceList(SAMPLE_RESOURCES, GROUP, 'v1alpha1');
    assert.equal(list?.kind, 'APIResourceList', 'kind');
    assert.equal(list?.apiVersion, 'v1', 'apiVersion');
    assert.equal(list?.groupVersion, `${GROUP}/v1alpha1`, 'groupVersion');
    const [main, status, ...rest] = list?.resources ?? [];
    assert.deepEqual(rest, [], 'one resource and one subresource');
    assert.equal(main?.name, 'networks', 'plural');
    assert.equal(main?.singularName, 'network', 'singular');
    assert.equal(main?.namespaced, true, 'namespaced');
    assert.equal(main?.kind, 'Network', 'kind');
    assert.deepEqual(
      main?.verbs,
      ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      'verbs',
    );
    assert.deepEqual(main?.shortNames, ['net'], 'shortNames');
    assert.deepEqual(main?.categories, ['datum'], 'categories');
    assert.match(main?.storageVersionHash ?? '', /^[A-Za-z0-9+/]{11}=$/, 'eight bytes in base64');
    assert.deepEqual(
      status,
      {
        name: 'networks/status',
        singularName: '',
        namespaced: true,
        kind: 'Network',
        verbs: ['get', 'patch', 'update'],
      },
      'status subresource',
    );
  });

  test('/api/v1 lists pods/log, events with shortName ev, cluster-scoped namespaces, sorted by name', () => {
    const list = apiResourceList(SAMPLE_RESOURCES, '', 'v1');
    assert.equal(list?.groupVersion, 'v1', 'the core group version is just the version');
    assert.deepEqual(
      list?.resources.map((r) => r.name),
      ['events', 'namespaces', 'namespaces/status', 'pods', 'pods/log', 'pods/status'],
      'names sorted',
    );
    const byName = new Map(list?.resources.map((r) => [r.name, r]));
    assert.deepEqual(
      byName.get('pods/log'),
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      'pods/log',
    );
    assert.deepEqual(byName.get('events')?.shortNames, ['ev'], 'events short name');
    assert.equal(byName.get('events')?.categories, undefined, 'empty categories are omitted');
    assert.equal(byName.get('namespaces')?.namespaced, false, 'namespaces are cluster-scoped');
    assert.equal(byName.get('namespaces/status')?.namespaced, false, 'and so is their status');
  });

  test('an unserved group version has no resource list', () => {
    assert.equal(apiResourceList(SAMPLE_RESOURCES, GROUP, 'v1'), undefined, 'unknown version');
    assert.equal(apiResourceList(SAMPLE_RESOURCES, 'x.example.com', 'v1'), undefined, 'unknown group');
  });

  test('a server without core kinds still answers /api', () => {
    assert.deepEqual(apiVersions([network], 'h:1').versions, [], 'no core versions');
  });
});
