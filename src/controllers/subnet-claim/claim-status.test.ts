// Proves the status a claim shows for each state: phase, conditions, block and Subnet, and that a condition
// keeps its lastTransitionTime while its status holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SubnetClaim } from '../../api/subnet-claim.ts';
import { type ClaimState, claimStatus } from './claim-status.ts';

const claim: SubnetClaim = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'SubnetClaim',
  metadata: { name: 'web-tier-subnet-claim', namespace: 'default', generation: 3 },
  spec: { networkRef: { name: 'production-network' }, prefixLength: 24 },
};
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const bound: ClaimState = {
  kind: 'Allocated',
  network: 'production-network',
  cidr: '10.0.0.0/24',
  subnet: { kind: 'Ready', name: 'web-tier-subnet' },
};

test('an allocated claim with its Subnet is Bound, Allocated and Ready', () => {
  assert.deepEqual(
    claimStatus(claim, bound, T0),
    {
      observedGeneration: 3,
      conditions: [
        {
          type: 'Allocated',
          status: 'True',
          reason: 'Allocated',
          message: '10.0.0.0/24 allocated from network production-network',
          lastTransitionTime: T0,
          observedGeneration: 3,
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'SubnetReady',
          message: 'Subnet web-tier-subnet holds 10.0.0.0/24',
          lastTransitionTime: T0,
          observedGeneration: 3,
        },
      ],
      phase: 'Bound',
      subnetRef: { name: 'web-tier-subnet' },
      cidrBlock: '10.0.0.0/24',
    },
    'the whole status',
  );
});

test('phases: waiting for space is Pending, needing a change is Failed, a blocked Subnet is Pending', () => {
  const phase = (state: ClaimState) => claimStatus(claim, state, T0).phase;
  const failed = (
    reason: 'InsufficientCapacity' | 'Overlaps' | 'OutsideNetwork' | 'PrefixLengthOutOfRange',
  ) => phase({ kind: 'Failed', failure: { reason, message: reason } });
  assert.equal(failed('InsufficientCapacity'), 'Pending', 'capacity may free');
  assert.equal(failed('Overlaps'), 'Pending', 'the holder may go');
  assert.equal(failed('OutsideNetwork'), 'Failed', 'the claim must change');
  assert.equal(failed('PrefixLengthOutOfRange'), 'Failed', 'the claim must change');
  assert.equal(
    phase({ kind: 'NetworkNotFound', message: 'network x does not exist' }),
    'Pending',
    'no network yet',
  );
  const blocked = claimStatus(claim, { ...bound, subnet: { kind: 'Blocked', message: 'taken' } }, T0);
  assert.equal(blocked.phase, 'Pending', 'no Subnet of its own');
  assert.equal(blocked.cidrBlock, '10.0.0.0/24', 'the block is still held');
  assert.equal(blocked.subnetRef, undefined, 'no subnetRef');
});

test('lastTransitionTime moves only when a condition’s status does', () => {
  const first = claimStatus(claim, { kind: 'NetworkNotFound', message: 'network x does not exist' }, T0);
  const capacity: ClaimState = {
    kind: 'Failed',
    failure: { reason: 'InsufficientCapacity', message: 'full' },
  };
  const second = claimStatus({ ...claim, status: first }, capacity, T1);
  assert.equal(second.conditions?.[0]?.lastTransitionTime, T0, 'False → False keeps the time');
  assert.equal(second.conditions?.[0]?.reason, 'InsufficientCapacity', 'with the new reason');
  const third = claimStatus({ ...claim, status: second }, bound, T1);
  assert.equal(third.conditions?.[0]?.lastTransitionTime, T1, 'False → True moves it');
});
