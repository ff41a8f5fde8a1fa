// Proves the built-in kinds' rules never throw, whatever JSON a client sends: bad input is a 422, never a 500.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { customResourceDefinition, NetworkKind } from '../../api/index.ts';
import { ResourceSchema } from '../admission/resource-schema.ts';
import {
  type CustomResourceDefinition,
  CustomResourceDefinitionResource,
  customResourceDefinitionStatus,
  resourcesOfCustomResourceDefinition,
  validateCustomResourceDefinition,
  withCustomResourceDefinitionDefaults,
} from './custom-resource-definition.ts';
import { type Event, validateEvent } from './event.ts';
import { type Lease, validateLease } from './lease.ts';
import { type Namespace, validateNamespace } from './namespace.ts';

type Obj = Record<string, unknown>;

/** The object with the value at one path (a list of keys, as deep as it goes) replaced. */
function replaced(object: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0 || typeof object !== 'object' || object === null) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const copy: Obj = Array.isArray(object) ? { ...object } : { ...(object as Obj) };
  const keys = Object.keys(copy);
  const at = keys.length === 0 ? key : keys[key.length % keys.length]!;
  copy[at] = replaced(copy[at], rest, value);
  return Array.isArray(object) ? Object.values(copy) : copy;
}

const mutation = fc.tuple(
  fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 7 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const schema = new ResourceSchema(CustomResourceDefinitionResource.schema, { namespaced: false });

describe('the built-in kinds’ rules', () => {
  test('never throw on a CRD with any part replaced by any JSON', () => {
    const base = customResourceDefinition(NetworkKind);
    fc.assert(
      fc.property(mutation, ([path, value]) => {
        const crd = withCustomResourceDefinitionDefaults(
          replaced(base, path, value) as CustomResourceDefinition,
        );
        assert.ok(Array.isArray(validateCustomResourceDefinition(crd, crd)), 'a list of errors on update');
        const errors = [...schema.validate(crd as unknown as Obj), ...validateCustomResourceDefinition(crd)];
        if (errors.length === 0) {
          resourcesOfCustomResourceDefinition(crd);
          customResourceDefinitionStatus(crd, [crd]);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('never throw on an Event, Lease or Namespace with any part replaced by any JSON', () => {
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Network', name: 'n', namespace: 'default' },
      reason: 'Ready',
      type: 'Normal',
      eventTime: '2024-01-01T00:00:00.000000Z',
    };
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: {} };
    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n' },
      spec: { finalizers: [] },
    };
    fc.assert(
      fc.property(mutation, ([path, value]) => {
        assert.ok(Array.isArray(validateEvent(replaced(event, path, value) as Event)), 'event');
        assert.ok(Array.isArray(validateLease(replaced(lease, path, value) as Lease)), 'lease');
        assert.ok(
          Array.isArray(validateNamespace(replaced(namespace, path, value) as Namespace)),
          'namespace',
        );
      }),
      { numRuns: 400 },
    );
  });
});
