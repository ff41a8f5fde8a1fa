import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Workload } from '../../api/workload.ts';
import { desiredBindings } from './desired-bindings.ts';
import { workloadStatus } from './workload-status.ts';

const NOW = '2026-01-01T00:00:00Z';
const workload: Workload = {
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web-app', generation: 2 },
  spec: {
    networkInterfaces: [
      { network: { name: 'prod' }, subnet: { name: 'web' } },
      { network: { name: 'backup' }, ipAddress: '10.60.0.9' },
    ],
  },
};
const [prod, backup] = desiredBindings(workload);
const withStatus = (phase: 'Bound' | 'Failed', ipAddress?: string): NetworkBinding => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkBinding',
  metadata: { name: 'x' },
  spec: prod!.spec,
  status: {
    phase,
    ...(ipAddress === undefined ? {} : { ipAddress, subnetRef: { name: 'web' } }),
    conditions: [
      { type: 'Bound', status: 'False', reason: 'AddressInUse', message: 'taken', lastTransitionTime: NOW },
    ],
  },
});

test('one binding per interface, named <workload>-<network>, Static where an address is given', () => {
  assert.equal(prod?.name, 'web-app-prod', 'named after workload and network');
  assert.deepEqual(prod?.spec.subnetRef, { name: 'web' }, 'the interface subnet');
  assert.deepEqual(prod?.spec.ipAddressAllocation, { type: 'Dynamic' }, 'Dynamic without an address');
  assert.deepEqual(
    backup?.spec.ipAddressAllocation,
    { type: 'Static', specificIP: '10.60.0.9' },
    'Static with one',
  );
});

test('Ready only when every interface is bound; a failed binding is BindingFailed', () => {
  const ready = workloadStatus(
    workload,
    [
      { desired: prod!, found: { kind: 'Owned', binding: withStatus('Bound', '10.0.1.2') } },
      { desired: backup!, found: { kind: 'Owned', binding: withStatus('Bound', '10.60.0.9') } },
    ],
    NOW,
  );
  assert.equal(ready.conditions?.[0]?.status, 'True', 'all bound');
  assert.equal(ready.interfaces?.[0]?.ipAddress, '10.0.1.2', 'addresses reported');
  const pending = workloadStatus(
    workload,
    [
      { desired: prod!, found: { kind: 'Owned', binding: withStatus('Bound', '10.0.1.2') } },
      { desired: backup!, found: { kind: 'Missing' } },
    ],
    NOW,
  );
  assert.equal(pending.conditions?.[0]?.reason, 'Pending', 'one still to come');
  const failed = workloadStatus(
    workload,
    [
      { desired: prod!, found: { kind: 'Owned', binding: withStatus('Failed') } },
      { desired: backup!, found: { kind: 'Foreign' } },
    ],
    NOW,
  );
  assert.equal(failed.conditions?.[0]?.reason, 'BindingFailed', 'a failed binding fails the workload');
  assert.match(failed.conditions?.[0]?.message ?? '', /web-app-prod: taken/, 'naming the binding and why');
});
