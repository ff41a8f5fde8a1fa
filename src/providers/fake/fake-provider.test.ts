import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderContext, ProviderNetwork } from '../provider.ts';
import { FakeProvider } from './fake-provider.ts';

const context: ProviderContext = {
  namespace: 'default',
  name: 'prod-context',
  uid: 'c1',
  config: { region: 'us-central1' },
};
const network: ProviderNetwork = {
  namespace: 'default',
  name: 'production-network',
  uid: 'n1',
  ipv4Blocks: ['10.0.0.0/16'],
  ipv6Blocks: [],
};

test('records every call in order, with what it was given', async () => {
  const provider = new FakeProvider();
  const ensured = await provider.ensureNetwork(context, network);
  await provider.deleteNetwork(context);
  assert.deepEqual(
    provider.calls,
    [
      { method: 'ensureNetwork', context, network },
      { method: 'deleteNetwork', context },
    ],
    'both calls, in order',
  );
  assert.deepEqual(
    ensured,
    {
      ok: true,
      message: 'fake programmed network production-network (10.0.0.0/16)',
      resources: [{ kind: 'network', name: 'default-production-network', id: 'n1' }],
    },
    'one network resource',
  );
});

test('failWith makes calls fail until cleared, still recording them', async () => {
  const provider = new FakeProvider('gcp');
  provider.failWith('quota exceeded');
  assert.deepEqual(
    await provider.ensureNetwork(context, network),
    { ok: false, message: 'quota exceeded' },
    'the failure',
  );
  provider.failWith(undefined);
  assert.equal((await provider.deleteNetwork(context)).ok, true, 'succeeds once cleared');
  assert.equal(provider.calls.length, 2, 'both calls recorded');
  assert.equal(provider.name, 'gcp', 'named as given');
});
