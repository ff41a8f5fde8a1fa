import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkContext } from '../../api/network-context.ts';
import { networkContextStatus } from './network-context-status.ts';

const context = (status?: NetworkContext['status']): NetworkContext => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkContext',
  metadata: { name: 'prod-context', namespace: 'default', generation: 3 },
  spec: { networkRef: { name: 'production-network' }, providerConfig: { gcp: { region: 'us-central1' } } },
  ...(status === undefined ? {} : { status }),
});

const programmed = {
  kind: 'Programmed',
  provider: 'gcp',
  message: 'created vpc production-network',
  resources: [{ kind: 'vpc', name: 'production-network' }],
} as const;

test('programmed: Programmed and Ready True at the generation, with the resources', () => {
  const status = networkContextStatus(context(), programmed, '2026-01-01T00:00:00Z');
  assert.equal(status.observedGeneration, 3, 'observedGeneration');
  assert.equal(status.provider, 'gcp', 'provider');
  assert.deepEqual(status.resources, [{ kind: 'vpc', name: 'production-network' }], 'resources');
  for (const type of ['Programmed', 'Ready']) {
    const condition = status.conditions?.find((c) => c.type === type);
    assert.deepEqual(
      condition,
      {
        type,
        status: 'True',
        reason: 'Programmed',
        message: 'created vpc production-network',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        observedGeneration: 3,
      },
      type,
    );
  }
});

test('an unknown provider names the known ones and keeps the last resources', () => {
  const before = networkContextStatus(context(), programmed, '2026-01-01T00:00:00Z');
  const status = networkContextStatus(
    context(before),
    { kind: 'UnknownProvider', provider: 'aws', known: ['fake', 'gcp'] },
    '2026-01-02T00:00:00Z',
  );
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'False', 'not Ready');
  assert.equal(ready?.reason, 'UnknownProvider', 'reason');
  assert.equal(ready?.message, 'unknown provider "aws"; known providers: fake, gcp', 'message');
  assert.equal(ready?.lastTransitionTime, '2026-01-02T00:00:00Z', 'the status changed, so the time did');
  assert.deepEqual(status.resources, before.resources, 'what the provider created is still reported');
});

test('an unchanged status keeps its transition time, and other conditions are kept', () => {
  const first = networkContextStatus(context(), programmed, '2026-01-01T00:00:00Z');
  const other = {
    type: 'Linked',
    status: 'True',
    reason: 'X',
    message: 'y',
    lastTransitionTime: '2025-01-01T00:00:00Z',
  } as const;
  const again = networkContextStatus(
    context({ ...first, conditions: [other, ...(first.conditions ?? [])] }),
    programmed,
    '2026-01-05T00:00:00Z',
  );
  assert.deepEqual(again.conditions?.[0], other, 'a condition of another type is kept');
  assert.equal(
    again.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime,
    '2026-01-01T00:00:00Z',
    'Ready did not transition',
  );
});

test('a missing network and a failing provider say which', () => {
  const missing = networkContextStatus(
    context(),
    { kind: 'NetworkNotFound', provider: 'gcp', network: 'production-network' },
    '2026-01-01T00:00:00Z',
  );
  assert.equal(
    missing.conditions?.find((c) => c.type === 'Programmed')?.reason,
    'NetworkNotFound',
    'NetworkNotFound',
  );
  const failed = networkContextStatus(
    context(),
    { kind: 'ProviderFailed', provider: 'gcp', message: 'quota exceeded' },
    '2026-01-01T00:00:00Z',
  );
  assert.equal(
    failed.conditions?.find((c) => c.type === 'Ready')?.message,
    'provider gcp failed: quota exceeded',
    'ProviderFailed carries the message',
  );
});
