// Proves where a Subnet stands against its network's record: owned by a claim, held, waiting, or refused with
// the reason the allocator would give, naming the holder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network } from '../../api/network.ts';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import type { Subnet } from '../../api/subnet.ts';
import { subnetPlacement } from './subnet-placement.ts';

const network = {
  metadata: { name: 'n', namespace: 'default' },
  spec: { ipv4Blocks: ['10.0.0.0/16'] },
} as Network;
const subnet = (cidrBlock: string, extra: Partial<Subnet['metadata']> = {}): Subnet =>
  ({
    metadata: { name: 'manual', namespace: 'default', uid: 'u1', ...extra },
    spec: { networkRef: { name: 'n' }, cidrBlock },
  }) as Subnet;
const entry = (cidr: string, kind: 'Subnet' | 'SubnetClaim', name: string, uid: string) =>
  ({ cidr, kind, name, uid }) satisfies NetworkAllocationEntry;

test('a Subnet a claim owns is held as today, whatever the record says', () => {
  const owned = subnet('10.9.0.0/24', {
    ownerReferences: [{ apiVersion: 'v', kind: 'SubnetClaim', name: 'c', uid: 'c1' }],
  });
  assert.deepEqual(subnetPlacement(owned, undefined, []), { kind: 'Held' }, 'held');
});

test('a written Subnet is held only once the record has its uid with its block', () => {
  assert.deepEqual(
    subnetPlacement(subnet('10.0.1.0/24'), network, [entry('10.0.1.0/24', 'Subnet', 'manual', 'u1')]),
    { kind: 'Held' },
    'held',
  );
  assert.deepEqual(
    subnetPlacement(subnet('10.0.1.0/24'), network, []),
    { kind: 'Waiting', message: 'waiting for the allocator to reserve 10.0.1.0/24 in network n' },
    'waiting',
  );
  assert.deepEqual(
    subnetPlacement(subnet('10.0.1.0/24'), network, [entry('10.0.1.0/24', 'Subnet', 'manual', 'old')]),
    { kind: 'Waiting', message: 'waiting for the allocator to reserve 10.0.1.0/24 in network n' },
    'the entry of an earlier Subnet of its name is not an overlap: the allocator frees it',
  );
});

test('a written Subnet is refused as the allocator would refuse it', () => {
  const reasons = (s: Subnet, n: Network | undefined, entries: NetworkAllocationEntry[] = []) => {
    const placement = subnetPlacement(s, n, entries);
    return placement.kind === 'Refused' ? [placement.reason, placement.message] : [placement.kind];
  };
  assert.deepEqual(
    reasons(subnet('10.0.1.0/24'), undefined),
    ['NetworkNotFound', 'network n does not exist in namespace default'],
    'missing network',
  );
  assert.deepEqual(
    reasons(subnet('10.0.1.0/24'), { ...network, metadata: { ...network.metadata, deletionTimestamp: 'T' } }),
    ['NetworkNotFound', 'network n is being deleted'],
    'network being deleted',
  );
  assert.deepEqual(
    reasons(subnet('10.1.0.0/24'), network),
    ['OutsideNetwork', '10.1.0.0/24 is outside network n (10.0.0.0/16)'],
    'outside',
  );
  assert.deepEqual(
    reasons(subnet('fd00::/64'), network),
    ['FamilyNotInNetwork', 'fd00::/64 is IPv6; network n has no IPv6 blocks'],
    'family',
  );
  assert.deepEqual(
    reasons(subnet('10.0.0.0/23'), network, [entry('10.0.1.0/24', 'SubnetClaim', 'web', 'c1')]),
    ['Overlaps', '10.0.0.0/23 overlaps 10.0.1.0/24, which is allocated to SubnetClaim web'],
    'overlapping a claim, named with its block',
  );
  assert.deepEqual(
    reasons(subnet('10.0.1.0/24'), network, [entry('10.0.1.0/24', 'Subnet', 'other', 's2')]),
    ['Overlaps', '10.0.1.0/24 is already allocated to Subnet other'],
    'the same block as another Subnet',
  );
});
