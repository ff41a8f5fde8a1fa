// Proves a Lease as client-go leader election writes it is accepted, and bad durations are refused as Kubernetes refuses them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { formatFieldError } from '../schema/field-error.ts';
import { type Lease, LeaseResource, validateLease } from './lease.ts';

type Obj = Record<string, unknown>;
const schema = new ResourceSchema(LeaseResource.schema, { namespaced: true });

/** resourcelock.LeaseLock.Create: MicroTimes with six fractional digits, transitions from 0. */
const written: Obj = {
  kind: 'Lease',
  apiVersion: 'coordination.k8s.io/v1',
  metadata: { name: 'network-services-operator', namespace: 'datum-system', creationTimestamp: null },
  spec: {
    holderIdentity: 'nso-7c9f_4b1e2f0a-9d3c-4e8b-a1f2-6c5d4e3b2a10',
    leaseDurationSeconds: 15,
    acquireTime: '2024-01-01T00:00:00.000000Z',
    renewTime: '2024-01-01T00:00:10.250000Z',
    leaseTransitions: 0,
  },
};

function admit(object: Obj): string[] {
  const decoded = schema.decode(object);
  const errors = schema.validate(decoded.object);
  return [...errors, ...validateLease(decoded.object as unknown as Lease)].map(formatFieldError);
}

const withSpec = (spec: Obj): Obj => ({ ...written, spec: { ...(written.spec as Obj), ...spec } });

describe('Lease', () => {
  test('a lease as client-go leader election writes it is accepted', () => {
    assert.deepEqual(admit(written), [], 'no errors');
    assert.deepEqual(schema.decode(written).unknownFields, [], 'every field is known');
  });

  test('a renewal that changes holder is accepted', () => {
    assert.deepEqual(admit(withSpec({ holderIdentity: 'nso-other', leaseTransitions: 1 })), [], 'no errors');
  });

  test('a zero duration and negative transitions are refused', () => {
    assert.deepEqual(
      admit(withSpec({ leaseDurationSeconds: 0, leaseTransitions: -1 })),
      [
        'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
        'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
      ],
      'both errors',
    );
  });

  test('a preferred holder needs a strategy, and a strategy must be known or qualified', () => {
    assert.deepEqual(
      admit(withSpec({ preferredHolder: 'nso-1' })),
      ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
      'preferredHolder alone',
    );
    assert.deepEqual(
      admit(withSpec({ strategy: 'Newest' })),
      ['spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'],
      'unknown strategy',
    );
    assert.deepEqual(
      admit(withSpec({ strategy: 'example.com/mine', preferredHolder: 'a' })),
      [],
      'qualified',
    );
  });

  test('renewTime must be a time', () => {
    const errors = admit(withSpec({ renewTime: 'soon' }));
    assert.equal(errors.length, 1, 'one error');
    assert.match(errors[0]!, /^spec\.renewTime: Invalid value: "soon"/, 'names the field');
  });

  test('kubectl get leases shows the holder', () => {
    assert.deepEqual(
      LeaseResource.printerColumns.map((c) => [c.name, c.jsonPath]),
      [
        ['Holder', '.spec.holderIdentity'],
        ['Age', '.metadata.creationTimestamp'],
      ],
      'columns',
    );
  });
});
