import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStorage } from '../../storage/memory/memory-storage.ts';
import { LeaseResource } from '../builtin/lease.ts';
import { builtinStrategy } from '../builtin-strategies.ts';
import type { ApiObject } from './object-codec.ts';
import { systemWrite } from './request-options.ts';
import { ResourceRegistry } from './resource-registry.ts';

function leaseStore() {
  const registry = new ResourceRegistry({
    storage: new MemoryStorage(),
    now: () => Date.UTC(2026, 10, 24),
    admitNamespace: async () => {},
    findOwnerUid: async () => undefined,
  });
  return registry.register(LeaseResource, builtinStrategy(LeaseResource));
}

const lease = (name: string): ApiObject =>
  ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name } }) as ApiObject;

test('guaranteedUpdate with create: a racing creator of the same key is retried as an update', async () => {
  const store = leaseStore();
  let calls = 0;
  const result = await store.guaranteedUpdate(
    'default',
    'a',
    systemWrite('test'),
    undefined,
    async (current) => {
      calls++;
      // The first time, another writer creates the key between the read and our create.
      if (calls === 1) await store.create('default', lease('a'), systemWrite('other'));
      return current ?? lease('a');
    },
    true,
  );
  assert.equal(result.created, false, 'the second pass updated what the other writer created');
  assert.equal(calls, 2, 'mutated twice');
});

test('guaranteedUpdate with create: AlreadyExists for another key is the caller’s, not retried forever', {
  timeout: 10_000,
}, async () => {
  const store = leaseStore();
  await store.create('default', lease('b'), systemWrite('test'));
  let calls = 0;
  await assert.rejects(
    store.guaranteedUpdate(
      'default',
      'a',
      systemWrite('test'),
      undefined,
      () => {
        calls++;
        return lease('b');
      },
      true,
    ),
    { reason: 'AlreadyExists' },
    'the collision is reported',
  );
  assert.equal(calls, 1, 'no retry loop');
});
