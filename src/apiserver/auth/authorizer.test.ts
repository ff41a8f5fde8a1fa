import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ResourcePath } from '../http/api-path.ts';
import { authorize, MASTERS_GROUP, tenantGroup, verbOf } from './authorizer.ts';

const path = (fields: Partial<ResourcePath>): ResourcePath => ({
  group: 'networking.datumapis.com',
  version: 'v1alpha1',
  namespace: undefined,
  plural: 'networks',
  name: undefined,
  subresource: undefined,
  ...fields,
});
const alice = { name: 'alice', groups: [tenantGroup('team-a'), 'system:authenticated'] };

describe('verbOf', () => {
  const cases: [string, Partial<ResourcePath>, string, string | undefined][] = [
    ['GET', { name: 'x' }, '', 'get'],
    ['GET', {}, '', 'list'],
    ['GET', {}, 'watch=true', 'watch'],
    ['GET', { name: 'x' }, 'watch=1', 'watch'],
    ['HEAD', {}, '', 'list'],
    ['POST', {}, '', 'create'],
    ['PUT', { name: 'x' }, '', 'update'],
    ['PATCH', { name: 'x' }, '', 'patch'],
    ['DELETE', { name: 'x' }, '', 'delete'],
    ['DELETE', {}, '', 'deletecollection'],
    ['OPTIONS', {}, '', undefined],
  ];
  for (const [method, fields, query, verb] of cases) {
    test(`${method} ${JSON.stringify(fields)} ?${query} is ${verb}`, () => {
      assert.equal(verbOf(method, path(fields), new URLSearchParams(query)), verb, 'verb');
    });
  }
});

describe('authorize', () => {
  test('masters may do anything anywhere', () => {
    const admin = { name: 'nso-admin', groups: [MASTERS_GROUP] };
    assert.equal(authorize(admin, { verb: 'deletecollection', path: path({}) }), undefined, 'cluster scope');
    assert.equal(
      authorize(admin, { verb: 'get', path: path({ group: '', plural: 'pods', namespace: 'datum-system' }) }),
      undefined,
      'pods',
    );
  });

  test('a tenant may do anything inside its namespace', () => {
    for (const verb of [
      'get',
      'list',
      'watch',
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
    ] as const) {
      assert.equal(
        authorize(alice, { verb, path: path({ namespace: 'team-a', name: 'x' }) }),
        undefined,
        verb,
      );
    }
    assert.equal(
      authorize(alice, { verb: 'list', path: path({ group: '', plural: 'events', namespace: 'team-a' }) }),
      undefined,
      'events of its namespace',
    );
  });

  test('a tenant may read its own namespace object, nothing else at cluster scope', () => {
    const own = path({ group: '', plural: 'namespaces', name: 'team-a' });
    assert.equal(authorize(alice, { verb: 'get', path: own }), undefined, 'get own namespace');
    assert.equal(authorize(alice, { verb: 'delete', path: own })?.code, 403, 'delete own namespace');
    assert.equal(
      authorize(alice, { verb: 'get', path: path({ group: '', plural: 'namespaces', name: 'team-b' }) })
        ?.code,
      403,
      'other namespace object',
    );
    assert.equal(
      authorize(alice, { verb: 'list', path: path({ group: '', plural: 'namespaces' }) })?.code,
      403,
      'list namespaces',
    );
    assert.equal(authorize(alice, { verb: 'list', path: path({}) })?.code, 403, 'networks across namespaces');
  });

  test("a refusal reads like Kubernetes' and names only what the request named", () => {
    const refusal = authorize(alice, {
      verb: 'get',
      path: path({ namespace: 'team-b', name: 'secret-net' }),
    });
    assert.equal(refusal?.code, 403, 'code');
    assert.equal(refusal?.reason, 'Forbidden', 'reason');
    assert.equal(
      refusal?.message,
      'networks.networking.datumapis.com "secret-net" is forbidden: User "alice" cannot get resource "networks" in API group "networking.datumapis.com" in the namespace "team-b"',
      'message',
    );
    assert.deepEqual(
      refusal?.details,
      { name: 'secret-net', group: 'networking.datumapis.com', kind: 'networks' },
      'details',
    );
    const list = authorize(alice, { verb: 'list', path: path({ group: '', plural: 'pods' }) });
    assert.equal(
      list?.message,
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope',
      'cluster-scope message',
    );
    const log = authorize(alice, {
      verb: 'get',
      path: path({ group: '', plural: 'pods', namespace: 'datum-system', name: 'p', subresource: 'log' }),
    });
    assert.match(
      log?.message ?? '',
      /cannot get resource "pods\/log" in API group "" in the namespace "datum-system"/,
      'subresource',
    );
  });

  test('a user without tenant groups may do nothing with resources', () => {
    const nobody = { name: 'bob', groups: ['system:authenticated'] };
    assert.equal(
      authorize(nobody, { verb: 'get', path: path({ namespace: 'default', name: 'x' }) })?.code,
      403,
      'get',
    );
  });
});
