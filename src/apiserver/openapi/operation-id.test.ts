import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { operationIdGroupVersion, operationTag } from './operation-id.ts';

describe('operation ids and tags', () => {
  const cases: readonly [string, string, string, string][] = [
    [
      'networking.datumapis.com',
      'v1alpha1',
      'NetworkingDatumapisComV1alpha1',
      'networkingDatumapisCom_v1alpha1',
    ],
    ['', 'v1', 'CoreV1', 'core_v1'],
    ['rbac.authorization.k8s.io', 'v1', 'RbacAuthorizationV1', 'rbacAuthorization_v1'],
    ['cert-manager.io', 'v1', 'CertManagerIoV1', 'certManagerIo_v1'],
  ];
  for (const [group, version, id, tag] of cases) {
    test(`${group || 'core'}/${version}`, () => {
      assert.equal(operationIdGroupVersion({ group, version }), id, 'operation id part');
      assert.equal(operationTag({ group, version }), tag, 'tag');
    });
  }
});
