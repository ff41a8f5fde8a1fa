// Proves nso's own components appear as valid Running pods that kubectl can select, and that only dead runs' pods are cleaned.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogBuffer } from '../../log/log-buffer.ts';
import { MemoryStorage } from '../../storage/memory/memory-storage.ts';
import { PodResource } from '../builtin/pod.ts';
import { builtinStrategy } from '../builtin-strategies.ts';
import { systemWrite } from '../registry/request-options.ts';
import { ResourceRegistry } from '../registry/resource-registry.ts';
import { ComponentPods, type ComponentPodsOptions } from './component-pods.ts';

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);
const SYSTEM = 'datum-system';

function podStore() {
  const registry = new ResourceRegistry({
    storage: new MemoryStorage(),
    now: () => NOW,
    admitNamespace: async () => {},
    findOwnerUid: async () => undefined,
  });
  return registry.register(PodResource, builtinStrategy(PodResource));
}

const options = (more: Partial<ComponentPodsOptions> = {}): ComponentPodsOptions => ({
  namespace: SYSTEM,
  nodeName: 'node-a',
  pid: 100,
  now: () => NOW,
  instance: 'abc12',
  version: '0.1.0',
  ...more,
});

async function names(store: ReturnType<typeof podStore>): Promise<string[]> {
  return (await store.list(SYSTEM, {})).items.map((pod) => pod.metadata.name ?? '').sort();
}

describe('ComponentPods', () => {
  test('publishes one Running pod per component with the labels and annotations kubectl reads', async () => {
    const store = podStore();
    const pods = new ComponentPods(store, options());
    const logs = new LogBuffer();
    await pods.publish([{ component: 'apiserver', container: 'apiserver', logs }]);
    const pod = await store.get(SYSTEM, 'nso-apiserver-abc12');
    assert.deepEqual(
      pod.metadata.labels,
      {
        app: 'network-services-operator',
        'app.kubernetes.io/name': 'network-services-operator',
        'app.kubernetes.io/component': 'apiserver',
        'app.kubernetes.io/instance': 'abc12',
      },
      'labels',
    );
    assert.deepEqual(
      pod.metadata.annotations,
      { 'nso.datumapis.com/pid': '100', 'kubectl.kubernetes.io/default-container': 'apiserver' },
      'annotations',
    );
    assert.deepEqual(
      pod.spec,
      { containers: [{ name: 'apiserver', image: 'nso:0.1.0' }], nodeName: 'node-a' },
      'spec',
    );
    const status = pod.status as Record<string, unknown>;
    assert.equal(status.phase, 'Running', 'phase');
    assert.equal(status.podIP, '127.0.0.1', 'pod IP');
    assert.equal(status.startTime, '2026-11-24T10:00:00Z', 'start time');
    const conditions = status.conditions as { type: string; status: string }[];
    assert.ok(
      ['Ready', 'ContainersReady', 'Initialized', 'PodScheduled'].every((type) =>
        conditions.some((c) => c.type === type && c.status === 'True'),
      ),
      'ready conditions are True',
    );
    assert.deepEqual(
      status.containerStatuses,
      [
        {
          name: 'apiserver',
          ready: true,
          restartCount: 0,
          image: 'nso:0.1.0',
          imageID: '',
          started: true,
          state: { running: { startedAt: '2026-11-24T10:00:00Z' } },
        },
      ],
      'container status',
    );
    const selected = await store.list(SYSTEM, { labelSelector: 'app=network-services-operator' });
    assert.deepEqual(
      selected.items.map((p) => p.metadata.name),
      ['nso-apiserver-abc12'],
      'kubectl logs -l app=network-services-operator finds it',
    );
  });

  test('a given image wins; a random instance is five lowercase letters or digits', async () => {
    const store = podStore();
    const pods = new ComponentPods(store, { nodeName: 'n', pid: 1, now: () => NOW });
    assert.match(pods.instance, /^[a-z0-9]{5}$/, 'instance');
    assert.equal(pods.namespace, SYSTEM, 'namespace defaults to datum-system');
    await pods.publish([{ component: 'apiserver', container: 'c', image: 'nso:dev', logs: new LogBuffer() }]);
    const pod = await store.get(SYSTEM, `nso-apiserver-${pods.instance}`);
    assert.equal((pod.spec as { containers: { image: string }[] }).containers[0]?.image, 'nso:dev', 'image');
  });

  test('publishing again replaces the pod', async () => {
    const store = podStore();
    const pods = new ComponentPods(store, options());
    const component = { component: 'apiserver', container: 'apiserver', logs: new LogBuffer() };
    await pods.publish([component]);
    await pods.publish([{ ...component, image: 'nso:next' }]);
    const pod = await store.get(SYSTEM, 'nso-apiserver-abc12');
    assert.equal((pod.spec as { containers: { image: string }[] }).containers[0]?.image, 'nso:next', 'image');
  });

  test('logsFor answers only for its own pods and containers', async () => {
    const store = podStore();
    const pods = new ComponentPods(store, options());
    const logs = new LogBuffer();
    await pods.publish([{ component: 'apiserver', container: 'apiserver', logs }]);
    assert.equal(pods.logsFor(SYSTEM, 'nso-apiserver-abc12', 'apiserver'), logs, 'its own container');
    assert.equal(pods.logsFor(SYSTEM, 'nso-apiserver-abc12', 'other'), undefined, 'another container');
    assert.equal(pods.logsFor(SYSTEM, 'nso-apiserver-zzzzz', 'apiserver'), undefined, 'another pod');
    assert.equal(pods.logsFor('default', 'nso-apiserver-abc12', 'apiserver'), undefined, 'another namespace');
  });

  test('removeStale deletes this node’s pods of dead or reused pids and leaves the rest', async () => {
    const store = podStore();
    const earlier = async (instance: string, pid: number, nodeName: string) =>
      new ComponentPods(store, options({ instance, pid, nodeName })).publish([
        { component: 'apiserver', container: 'apiserver', logs: new LogBuffer() },
      ]);
    await earlier('dead1', 7, 'node-a');
    await earlier('live1', 8, 'node-a');
    await earlier('other', 7, 'node-b');
    await earlier('reuse', 100, 'node-a');
    await store.create(
      SYSTEM,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'unrelated', labels: { 'app.kubernetes.io/name': 'network-services-operator' } },
        spec: { containers: [{ name: 'c' }], nodeName: 'node-a' },
      },
      systemWrite('test'),
    );
    const pods = new ComponentPods(store, options());
    await pods.publish([{ component: 'apiserver', container: 'apiserver', logs: new LogBuffer() }]);
    const asked: number[] = [];
    const removed = await pods.removeStale((pid) => {
      asked.push(pid);
      return pid === 8;
    });
    assert.deepEqual(removed.sort(), ['nso-apiserver-dead1', 'nso-apiserver-reuse'], 'removed');
    assert.deepEqual(
      await names(store),
      ['nso-apiserver-abc12', 'nso-apiserver-live1', 'nso-apiserver-other', 'unrelated'],
      'its own, the live one, another node’s and one without a pid remain',
    );
    assert.ok(!asked.includes(100), 'its own pid is never asked about: a pod naming it is not its own');
  });

  test('close ends follows of its logs and deletes its pods, tolerating ones already gone', async () => {
    const store = podStore();
    const pods = new ComponentPods(store, options());
    const a = new LogBuffer();
    const b = new LogBuffer();
    await pods.publish([
      { component: 'apiserver', container: 'apiserver', logs: a },
      { component: 'controller-manager', container: 'manager', logs: b },
    ]);
    assert.deepEqual(
      await names(store),
      ['nso-apiserver-abc12', 'nso-controller-manager-abc12'],
      'both published',
    );
    await store.delete(SYSTEM, 'nso-apiserver-abc12', { dryRun: false, propagationPolicy: undefined });
    let ended = 0;
    b.subscribe({ line: () => {}, end: () => ended++ });
    await pods.close();
    assert.deepEqual(await names(store), [], 'no pods left');
    assert.ok(a.closed && b.closed, 'buffers closed');
    assert.equal(ended, 1, 'the follower was told');
    assert.equal(pods.logsFor(SYSTEM, 'nso-controller-manager-abc12', 'manager'), undefined, 'forgotten');
  });
});
