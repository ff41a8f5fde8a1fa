import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkAddress } from '../../api/network-address.ts';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import {
  deletingMessage,
  holdersLeft,
  type NetworkDependents,
  orphanAddresses,
  undeleted,
} from './dependents.ts';

const binding = (name: string, uid: string, deleting = false): NetworkBinding & KubeObject => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkBinding',
  metadata: {
    name,
    uid,
    ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { workloadRef: { name: 'w', kind: 'Workload' }, networkRef: { name: 'net' } },
});
const address = (ip: string, holderUid: string): NetworkAddress & KubeObject => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkAddress',
  metadata: { name: `net.${ip}`, uid: `a-${ip}` },
  spec: {
    networkRef: { name: 'net' },
    subnetRef: { name: 's' },
    address: ip,
    holder: { kind: 'NetworkBinding', name: 'b', uid: holderUid },
  },
});
const none: NetworkDependents = { contexts: [], claims: [], subnets: [], bindings: [], addresses: [] };

test('deletingMessage names each kind with its count, singular or plural, and nothing when nothing is new', () => {
  assert.equal(
    deletingMessage({ claims: 2, subnets: 1, bindings: 0, contexts: 1 }),
    'deleting 2 subnet claims, 1 subnet, 1 context',
    'zero kinds left out, counts agree with their nouns',
  );
  assert.equal(
    deletingMessage({ claims: 0, subnets: 0, bindings: 0, contexts: 0 }),
    undefined,
    'no Event for a pass that deleted nothing new',
  );
});

test('holdersLeft counts contexts, claims, subnets and bindings, being deleted or not, but not addresses', () => {
  assert.equal(holdersLeft(none), 0, 'nothing left');
  const some = { ...none, bindings: [binding('b1', 'u1', true)], addresses: [address('10.0.0.2', 'u1')] };
  assert.equal(holdersLeft(some), 1, 'a binding being deleted still holds the network');
});

test('orphanAddresses are those whose holding binding is gone', () => {
  const held = address('10.0.0.2', 'u1');
  const orphan = address('10.0.0.3', 'gone');
  const dependents = { ...none, bindings: [binding('b1', 'u1')], addresses: [held, orphan] };
  assert.deepEqual(orphanAddresses(dependents), [orphan], 'only the address without a binding');
  assert.deepEqual(
    orphanAddresses({ ...none, addresses: [held] }),
    [held],
    'with no bindings left every address is an orphan',
  );
});

test('undeleted skips objects already being deleted', () => {
  const live = binding('b1', 'u1');
  assert.deepEqual(undeleted([live, binding('b2', 'u2', true)]), [live], 'only the live binding');
});
