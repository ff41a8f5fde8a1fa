import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Subnet } from '../../api/subnet.ts';
import { HELD } from './subnet-placement.ts';
import { subnetStatus } from './subnet-status.ts';

const subnet = (cidrBlock: string): Subnet =>
  ({
    metadata: { name: 'web-tier-subnet', generation: 1 },
    spec: { networkRef: { name: 'n' }, cidrBlock },
  }) as Subnet;

test("the specification's /24 with one binding: 5 allocated, 251 available, gateway and reserved addresses", () => {
  const status = subnetStatus(
    subnet('10.0.1.0/24'),
    HELD,
    [{ owner: 'default/web-app-binding', address: '10.0.1.2' }],
    'T',
  );
  assert.equal(status.phase, 'Ready', 'phase');
  assert.equal(status.allocatedIPs, 5, 'allocated');
  assert.equal(status.availableIPs, 251, 'available');
  assert.equal(status.gateway, '10.0.1.1', 'gateway');
  assert.deepEqual(status.reservedIPs, ['10.0.1.0', '10.0.1.1', '10.0.1.254', '10.0.1.255'], 'reserved');
  assert.equal(status.observedGeneration, 1, 'observedGeneration');
});

test('a fresh /24 is 4 and 252; an IPv6 /64 counts in decimal strings', () => {
  const fresh = subnetStatus(subnet('10.0.2.0/24'), HELD, [], 'T');
  assert.deepEqual([fresh.allocatedIPs, fresh.availableIPs], [4, 252], 'fresh /24');
  const v6 = subnetStatus(subnet('fd00::/64'), HELD, [], 'T');
  assert.deepEqual(
    [v6.allocatedIPs, v6.availableIPs, v6.gateway],
    [2, '18446744073709551614', 'fd00::1'],
    'IPv6',
  );
});

test('a binding holding a reserved address is reported; the Ready condition keeps its transition time', () => {
  const first = subnetStatus(
    subnet('10.0.1.0/24'),
    HELD,
    [{ owner: 'default/b', address: '10.0.1.255' }],
    'T1',
  );
  assert.equal(first.conditions?.[0]?.reason, 'AddressConflict', 'reason');
  const again = subnetStatus({ ...subnet('10.0.1.0/24'), status: first }, HELD, [], 'T2');
  assert.equal(again.conditions?.[0]?.lastTransitionTime, 'T1', 'still True: no transition');
});

test('a Subnet not held is Pending while it may yet be, Failed where the network must change, without counts', () => {
  const waiting = subnetStatus(subnet('10.0.1.0/24'), { kind: 'Waiting', message: 'waiting' }, [], 'T');
  assert.deepEqual(
    [waiting.phase, waiting.conditions?.[0]?.status, waiting.conditions?.[0]?.reason],
    ['Pending', 'False', 'Pending'],
    'waiting for the allocator',
  );
  assert.equal(waiting.allocatedIPs, undefined, 'no counts for a block not held');
  const phaseOf = (reason: 'NetworkNotFound' | 'Overlaps' | 'OutsideNetwork' | 'FamilyNotInNetwork') =>
    subnetStatus(subnet('10.0.1.0/24'), { kind: 'Refused', reason, message: 'm' }, [], 'T').phase;
  assert.equal(phaseOf('NetworkNotFound'), 'Pending', 'the network may come');
  assert.equal(phaseOf('Overlaps'), 'Pending', 'the holder may go');
  assert.equal(phaseOf('OutsideNetwork'), 'Failed', 'the network must change');
  assert.equal(phaseOf('FamilyNotInNetwork'), 'Failed', 'the network must change');
});
