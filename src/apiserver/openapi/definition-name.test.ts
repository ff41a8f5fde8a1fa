import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { definitionName } from './definition-name.ts';

describe('definitionName', () => {
  const cases: readonly [string, string, string, string][] = [
    ['networking.datumapis.com', 'v1alpha1', 'Network', 'com.datumapis.networking.v1alpha1.Network'],
    ['compute.datumapis.com', 'v1alpha1', 'Workload', 'com.datumapis.compute.v1alpha1.Workload'],
    ['', 'v1', 'Event', 'io.k8s.api.core.v1.Event'],
    ['coordination.k8s.io', 'v1', 'Lease', 'io.k8s.api.coordination.v1.Lease'],
    [
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
    ],
    ['gateway.networking.k8s.io', 'v1', 'Gateway', 'io.k8s.networking.gateway.v1.Gateway'],
    ['example', 'v1', 'Thing', 'example.v1.Thing'],
  ];
  for (const [group, version, kind, expected] of cases) {
    test(`${group || 'core'}/${version} ${kind}`, () => {
      assert.equal(definitionName({ group, version, kind }), expected, 'as kube-openapi names it');
    });
  }
});
