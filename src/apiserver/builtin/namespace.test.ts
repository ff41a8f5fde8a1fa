// Proves Namespaces are validated as Kubernetes validates them: label names, standard or qualified finalizers, a closed phase set.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { formatFieldError } from '../schema/field-error.ts';
import { type Namespace, NamespaceResource, validateNamespace } from './namespace.ts';

type Obj = Record<string, unknown>;
const schema = new ResourceSchema(NamespaceResource.schema, { namespaced: false });

function admit(object: Obj): string[] {
  const decoded = schema.decode(object);
  const errors = schema.validate(decoded.object);
  return [...errors, ...validateNamespace(decoded.object as unknown as Namespace)].map(formatFieldError);
}

describe('Namespace', () => {
  test('kubectl create namespace, and the stored form with spec and status, are accepted', () => {
    assert.deepEqual(
      admit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'datum-system' } }),
      [],
      'bare',
    );
    assert.deepEqual(
      admit({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
        spec: { finalizers: ['kubernetes'] },
        status: {
          phase: 'Terminating',
          conditions: [
            {
              type: 'NamespaceDeletionContentFailure',
              status: 'False',
              lastTransitionTime: '2024-01-01T00:00:00Z',
              reason: 'ContentDeleted',
              message: 'All content successfully deleted',
            },
          ],
        },
      }),
      [],
      'full',
    );
  });

  test('a name must be a DNS label, without dots', () => {
    assert.deepEqual(
      admit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } }),
      ['metadata.name: Invalid value: "team.a": must not contain dots'],
      'dots',
    );
  });

  test('a namespace may not itself have a namespace', () => {
    const errors = admit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'b' } });
    assert.deepEqual(errors, ['metadata.namespace: Forbidden: not allowed on this type'], 'cluster-scoped');
  });

  test('finalizers are standard or qualified', () => {
    assert.deepEqual(
      admit({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'a' },
        spec: { finalizers: ['cleanup'] },
      }),
      [
        'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
      ],
      'unqualified',
    );
    assert.deepEqual(
      admit({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'a' },
        spec: { finalizers: ['example.com/x'] },
      }),
      [],
      'qualified',
    );
  });

  test('the phase is Active or Terminating', () => {
    const errors = admit({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'a' },
      status: { phase: 'Gone' },
    });
    assert.deepEqual(
      errors,
      ['status.phase: Unsupported value: "Gone": supported values: "Active", "Terminating"'],
      'closed set',
    );
  });
});
