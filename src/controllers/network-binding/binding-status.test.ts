import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkBinding } from '../../api/network-binding.ts';
import { bindingStatus } from './binding-status.ts';

const binding = (status?: NetworkBinding['status']): NetworkBinding => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkBinding',
  metadata: { name: 'b', generation: 3 },
  spec: { workloadRef: { name: 'w', kind: 'Workload' }, networkRef: { name: 'n' } },
  ...(status === undefined ? {} : { status }),
});

test('a bound binding reports its address, subnet and gateway, Bound and Ready at its generation', () => {
  const status = bindingStatus(
    binding(),
    { kind: 'Bound', address: '10.0.1.2', subnet: 's', gateway: '10.0.1.1' },
    '2026-01-01T00:00:00Z',
  );
  assert.equal(status.phase, 'Bound', 'phase');
  assert.equal(status.ipAddress, '10.0.1.2', 'address');
  assert.deepEqual(status.subnetRef, { name: 's' }, 'subnet');
  assert.equal(status.gateway, '10.0.1.1', 'gateway');
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration]),
    [
      ['Bound', 'True', 'Bound', 3],
      ['Ready', 'True', 'Bound', 3],
    ],
    'conditions',
  );
});

test('refusals: reserved and out-of-range fail for good, the others wait', () => {
  const phase = (reason: 'AddressReserved' | 'AddressOutOfRange' | 'AddressInUse' | 'SubnetExhausted') =>
    bindingStatus(binding(), { kind: 'Failed', reason, message: 'm' }, '2026-01-01T00:00:00Z').phase;
  assert.equal(phase('AddressReserved'), 'Failed', 'a reserved address never frees');
  assert.equal(phase('AddressOutOfRange'), 'Failed', 'nor does the subnet move');
  assert.equal(phase('AddressInUse'), 'Pending', 'the holder may go');
  assert.equal(phase('SubnetExhausted'), 'Pending', 'an address may free');
});

test('a condition that keeps its status keeps its lastTransitionTime', () => {
  const first = bindingStatus(
    binding(),
    { kind: 'Failed', reason: 'SubnetExhausted', message: 'full' },
    '2026-01-01T00:00:00Z',
  );
  const again = bindingStatus(
    binding(first),
    { kind: 'Failed', reason: 'NetworkNotFound', message: 'gone' },
    '2026-02-02T00:00:00Z',
  );
  assert.equal(again.conditions?.[0]?.lastTransitionTime, '2026-01-01T00:00:00Z', 'still False: unchanged');
  const bound = bindingStatus(
    binding(again),
    { kind: 'Bound', address: '10.0.1.2', subnet: 's', gateway: undefined },
    '2026-03-03T00:00:00Z',
  );
  assert.equal(bound.conditions?.[0]?.lastTransitionTime, '2026-03-03T00:00:00Z', 'False → True: now');
});
