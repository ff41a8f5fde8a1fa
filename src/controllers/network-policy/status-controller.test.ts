// The NetworkPolicy status controller against a real API server, run through the operator's composition:
// what a policy selects, its defaulted policyTypes, warnings with Events, Accepted with observedGeneration,
// and the status following workload changes through watches. Two operators without leader election agree.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { NetworkPolicy } from '../../api/network-policy.ts';
import { NetworkPolicyKind } from '../../api/network-policy.ts';
import { WorkloadKind } from '../../api/workload.ts';
import { runOperator } from '../../cli/operator.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';

type Policy = NetworkPolicy & KubeObject;
type Object = KubeObject & Record<string, unknown>;

const workload = (name: string, tier: string): Object => ({
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name, namespace: 'default', labels: { tier } },
  spec: { networkInterfaces: [{ network: { name: 'net' } }] },
});

describe('the NetworkPolicy status controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let policies: ResourceClient<Policy>;
  let workloads: ResourceClient<Object>;
  const stop = new AbortController();
  const running: Promise<void>[] = [];

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    policies = new ResourceClient<Policy>(transport, apiResourceOf(NetworkPolicyKind));
    workloads = new ResourceClient<Object>(transport, apiResourceOf(WorkloadKind));
    // Two operators, neither leading: status must still converge and stay put.
    for (const identity of ['one', 'two']) {
      const logger = createLogger({ component: 'operator', buffer: new LogBuffer() });
      running.push(
        runOperator({ kubeConfig: server.kubeConfig, logger, identity, leaderElection: false }, stop.signal),
      );
    }
  });
  after(async () => {
    stop.abort();
    await Promise.all(running);
    transport.close();
    await server.close();
  });

  const statusOf = (name: string, check: (status: NonNullable<Policy['status']>) => boolean) =>
    eventually(`status of ${name}`, async () => {
      const status = (await policies.get('default', name)).status;
      return status !== undefined && check(status) ? status : undefined;
    });

  test('selected workloads, defaulted policy types and Accepted, following workload changes', async () => {
    await workloads.create(workload('web-1', 'web'));
    await workloads.create(workload('web-2', 'web'));
    await workloads.create(workload('db', 'db'));
    await policies.create({
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'default' },
      spec: { podSelector: { matchLabels: { tier: 'web' } }, ingress: [{ from: [{ podSelector: {} }] }] },
    } as Policy);
    const status = await statusOf('web', (s) => s.selectedWorkloads === 2);
    assert.deepEqual(status.selectedNames, ['web-1', 'web-2'], 'names');
    assert.deepEqual(status.policyTypes, ['Ingress'], 'Ingress only: no egress rules');
    assert.equal(status.observedGeneration, 1, 'observedGeneration');
    const accepted = status.conditions?.find((c) => c.type === 'Accepted');
    assert.equal(accepted?.status, 'True', 'Accepted');
    assert.equal(accepted?.message, 'selects 2 workloads', 'message');
    assert.equal(status.warnings, undefined, 'no warnings');

    const db = await workloads.get('default', 'db');
    await workloads.update({ ...db, metadata: { ...db.metadata, labels: { tier: 'web' } } });
    await statusOf('web', (s) => s.selectedWorkloads === 3);
    await workloads.delete('default', 'web-1');
    const after = await statusOf('web', (s) => s.selectedWorkloads === 2);
    assert.deepEqual(after.selectedNames, ['db', 'web-2'], 'names follow the workloads');
    assert.equal(
      after.conditions?.find((c) => c.type === 'Accepted')?.lastTransitionTime,
      accepted?.lastTransitionTime,
      'Accepted did not transition',
    );
  });

  test('a policy edit is observed at its generation; a selector matching nothing warns with an Event', async () => {
    const created = await policies.create({
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'NetworkPolicy',
      metadata: { name: 'typo', namespace: 'default' },
      spec: { podSelector: { matchLabels: { tier: 'wbe' } }, policyTypes: ['Ingress', 'Egress'] },
    } as Policy);
    const status = await statusOf('typo', (s) => s.selectedWorkloads === 0);
    assert.deepEqual(status.policyTypes, ['Ingress', 'Egress'], 'policy types as given');
    assert.match(
      status.warnings?.[0] ?? '',
      /^spec\.podSelector: podSelector tier=wbe selects no workload in namespace default$/,
      'warning',
    );
    assert.equal(status.conditions?.[0]?.reason, 'AcceptedWithWarnings', 'reason');
    const events = new ResourceClient<Object>(transport, EVENTS);
    const event = await eventually('a SelectsNothing event', async () =>
      (await events.list('default', { fieldSelector: 'involvedObject.name=typo' })).items.find(
        (item) => item.reason === 'SelectsNothing',
      ),
    );
    assert.equal(event.type, 'Warning', 'event type');

    const current = await policies.get('default', 'typo');
    await policies.update({
      ...current,
      spec: { ...current.spec, podSelector: { matchLabels: { tier: 'web' } } },
    });
    const fixed = await statusOf('typo', (s) => s.observedGeneration === created.metadata.generation! + 1);
    assert.equal(fixed.selectedWorkloads, 2, 'selects the web tier now');
    assert.equal(fixed.warnings, undefined, 'the warning is gone');
    assert.equal(fixed.conditions?.[0]?.reason, 'Accepted', 'reason');
  });

  test('once converged, the two operators leave the status alone', async () => {
    const first = await policies.get('default', 'web');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await policies.get('default', 'web');
    assert.ok(isDeepStrictEqual(second.status, first.status), 'the same status');
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'no rewrite');
  });
});
