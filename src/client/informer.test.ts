// The informer against the real API server over TLS: paginated initial sync, add/update/delete in order, resume
// after the server ends a watch or the connection breaks, re-list with exactly the missed differences after
// compaction (410 as an ERROR event and as an HTTP answer), indexes, serial handlers, and a clean stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Network, NetworkKind } from '../api/network.ts';
import { ApiTransport } from './api-transport.ts';
import { Informer, type InformerOptions } from './informer.ts';
import { apiResourceOf, type KubeObject } from './kube-object.ts';
import { ResourceClient } from './resource-client.ts';
import { startTestApiServer, type TestApiServer } from './testing/test-api-server.ts';

const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false };

function network(namespace: string, name: string, labels: Record<string, string> = {}): Network {
  return {
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'Network',
    metadata: { name, namespace, labels },
    spec: { ipv4Blocks: ['10.0.0.0/16'] },
  };
}

/** Every handler call as a line: `add a@5`, `update a@5->7`, `delete a@7`. */
function record(informer: Informer<Network>): string[] {
  const seen: string[] = [];
  const at = (o: Network) => `${o.metadata.name}@${o.metadata.resourceVersion}`;
  informer.onAdd((o) => void seen.push(`add ${at(o)}`));
  informer.onUpdate((old, o) => void seen.push(`update ${at(old)}->${o.metadata.resourceVersion}`));
  informer.onDelete((o) => void seen.push(`delete ${at(o)}`));
  return seen;
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `within ${timeoutMs} ms: ${what()}`);
    await sleep(10);
  }
}

describe('Informer', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<Network>;
  let namespaces: ResourceClient<KubeObject>;
  const running: Informer<Network>[] = [];
  const errors: unknown[] = [];
  let namespaceCount = 0;

  /** A fresh namespace per test, so informers see only their own objects. */
  async function freshNamespace(): Promise<string> {
    const name = `informer-${++namespaceCount}`;
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }

  function informer(namespace: string, options: InformerOptions = {}): Informer<Network> {
    const made = new Informer(networks, {
      namespace,
      onError: (error) => errors.push(error),
      backoff: { initialMs: 20, maxMs: 200 },
      ...options,
    });
    running.push(made);
    return made;
  }

  const lists = (namespace: string) =>
    server.requests.filter(
      (r) =>
        r.path.endsWith(`/namespaces/${namespace}/networks`) && r.method === 'GET' && !r.query.has('watch'),
    );
  const watches = (namespace: string) =>
    server.requests.filter(
      (r) => r.path.endsWith(`/namespaces/${namespace}/networks`) && r.query.has('watch'),
    );

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient<Network>(transport, apiResourceOf(NetworkKind));
    namespaces = new ResourceClient<KubeObject>(transport, NAMESPACES);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((i) => i.stop()));
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  test('syncs from a paginated list, then reports adds, updates and deletes in order', async () => {
    const ns = await freshNamespace();
    for (let i = 0; i < 7; i++) await networks.create(network(ns, `n${i}`, { i: String(i) }));
    const cluster = informer(ns, { pageSize: 3 });
    const seen = record(cluster);
    assert.equal(cluster.hasSynced(), false, 'not synced before start');
    cluster.start();
    await cluster.waitForSync(AbortSignal.timeout(10_000));
    assert.equal(cluster.hasSynced(), true, 'synced after waitForSync');
    assert.equal(seen.length, 7, `one add per listed object before sync: ${seen.join(', ')}`);
    assert.deepEqual(
      lists(ns).map((r) => [r.query.get('limit'), r.query.has('continue')]),
      [
        ['3', false],
        ['3', true],
        ['3', true],
      ],
      'three pages of three',
    );
    assert.equal(cluster.list().length, 7, 'the cache holds all seven');
    const listRv = cluster.lastSyncResourceVersion();
    await waitFor(
      () => watches(ns).length > 0,
      () => 'a watch request',
    );
    const watch = watches(ns)[0]!.query;
    assert.equal(watch.get('resourceVersion'), listRv, 'the watch starts at the list resourceVersion');
    assert.equal(watch.get('allowWatchBookmarks'), 'true', 'the watch asks for bookmarks');

    seen.length = 0;
    const original = cluster.get(ns, 'n1')?.metadata.resourceVersion;
    const added = await networks.create(network(ns, 'fresh'));
    const updated = await networks.patch(ns, 'n1', { type: 'merge', patch: { spec: { mtu: 1500 } } });
    await networks.delete(ns, 'n2');
    await waitFor(
      () => seen.length === 3,
      () => `three events, saw ${seen.join(', ')}`,
    );
    assert.deepEqual(
      seen.slice(0, 2),
      [
        `add fresh@${added.metadata.resourceVersion}`,
        `update n1@${original}->${updated.metadata.resourceVersion}`,
      ],
      'add, then update with the old and new versions, in the order they happened',
    );
    assert.match(seen[2]!, /^delete n2@\d+$/, 'then the delete of n2');
    assert.equal(cluster.get(ns, 'fresh')?.metadata.uid, added.metadata.uid, 'the cache has the new object');
    assert.equal(cluster.get(ns, 'n1')?.spec.mtu, 1500, 'the cache has the update');
    assert.equal(cluster.get(ns, 'n2'), undefined, 'the cache dropped the deleted object');
    assert.equal(lists(ns).length, 3, 'no re-list happened');
  });

  test('resumes from the last resourceVersion when the server ends each watch', async () => {
    const ns = await freshNamespace();
    const cluster = informer(ns, { watchTimeoutSeconds: 1 });
    const seen = record(cluster);
    cluster.start();
    await cluster.waitForSync();
    const errorsBefore = errors.length;
    const expected: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await networks.create(network(ns, `r${i}`));
      expected.push(`add r${i}@${created.metadata.resourceVersion}`);
      await sleep(450);
    }
    await waitFor(
      () => seen.length === expected.length,
      () => `${expected.length} adds, saw ${seen.join(', ')}`,
    );
    assert.deepEqual(seen, expected, 'every add once, in order, across watch restarts');
    const restarts = watches(ns);
    assert.ok(restarts.length >= 2, `the watch was re-established (${restarts.length} watches)`);
    const versions = restarts.map((r) => Number(r.query.get('resourceVersion')));
    assert.ok(
      versions.every((v, i) => i === 0 || v >= versions[i - 1]!),
      `each watch resumes at or after the previous one: ${versions.join(', ')}`,
    );
    assert.equal(lists(ns).length, 1, 'resuming never re-lists');
    assert.deepEqual(errors.slice(errorsBefore), [], 'a watch the server ends on time is no failure');
  });

  test('resumes without a re-list after the watch connection breaks', async () => {
    const ns = await freshNamespace();
    const cluster = informer(ns);
    const seen = record(cluster);
    cluster.start();
    await cluster.waitForSync();
    server.breakWatches({ code: 503, reason: 'ServiceUnavailable', message: 'partitioned' });
    const created = await networks.create(network(ns, 'during'));
    await sleep(150);
    server.resumeWatches();
    await waitFor(
      () => seen.length === 1,
      () => `the add made during the partition, saw ${seen.join(', ')}`,
    );
    assert.deepEqual(seen, [`add during@${created.metadata.resourceVersion}`], 'delivered once by the watch');
    assert.equal(lists(ns).length, 1, 'a broken connection resumes the watch, it does not re-list');
    assert.ok(watches(ns).length >= 3, 'the refused watches were retried');
  });

  test('re-lists after compaction and reports exactly what it missed', async () => {
    const ns = await freshNamespace();
    for (const name of ['kept', 'changed', 'removed', 'recreated']) await networks.create(network(ns, name));
    const cluster = informer(ns);
    const seen = record(cluster);
    cluster.start();
    await cluster.waitForSync();
    const before = new Map(cluster.list().map((o) => [o.metadata.name, o.metadata.resourceVersion]));
    seen.length = 0;

    server.breakWatches({ code: 503, reason: 'ServiceUnavailable', message: 'partitioned' });
    const added = await networks.create(network(ns, 'added'));
    const transient = await networks.create(network(ns, 'transient'));
    await networks.delete(ns, 'transient');
    const changed = await networks.patch(ns, 'changed', { type: 'merge', patch: { spec: { mtu: 1400 } } });
    await networks.delete(ns, 'removed');
    await networks.delete(ns, 'recreated');
    const recreated = await networks.create(network(ns, 'recreated'));
    await server.storage.compact(await server.storage.currentRevision());
    const listsBefore = lists(ns).length;
    server.resumeWatches();

    await waitFor(
      () => seen.length === 4,
      () => `four changes, saw ${seen.join(', ')}`,
    );
    await sleep(200);
    assert.deepEqual(
      [...seen].sort(),
      [
        `add added@${added.metadata.resourceVersion}`,
        `delete removed@${before.get('removed')}`,
        `update changed@${before.get('changed')}->${changed.metadata.resourceVersion}`,
        `update recreated@${before.get('recreated')}->${recreated.metadata.resourceVersion}`,
      ].sort(),
      `exactly the differences: nothing for kept, nothing for transient (${transient.metadata.name})`,
    );
    assert.equal(lists(ns).length, listsBefore + 1, 'one re-list');
    assert.deepEqual(
      cluster
        .list()
        .map((o) => o.metadata.name)
        .sort(),
      ['added', 'changed', 'kept', 'recreated'],
      'the cache matches the server',
    );
    const later = await networks.create(network(ns, 'later'));
    await waitFor(
      () => seen.length === 5,
      () => `the watch after the re-list, saw ${seen.join(', ')}`,
    );
    assert.equal(
      seen[4],
      `add later@${later.metadata.resourceVersion}`,
      'watching resumed after the re-list',
    );
  });

  test('re-lists when the watch itself is refused with HTTP 410, without duplicates', async () => {
    const ns = await freshNamespace();
    const kept = await networks.create(network(ns, 'kept'));
    const cluster = informer(ns);
    const seen = record(cluster);
    cluster.start();
    await cluster.waitForSync();
    server.breakWatches({ code: 410, reason: 'Expired', message: 'too old resource version' });
    const during = await networks.create(network(ns, 'during'));
    await waitFor(
      () => seen.length === 2,
      () => `the object created while watches were refused, saw ${seen.join(', ')}`,
    );
    const listsDuring = lists(ns).length;
    assert.ok(listsDuring >= 2, `the 410 caused a re-list (${listsDuring} lists)`);
    server.resumeWatches();
    const updated = await networks.patch(ns, 'during', { type: 'merge', patch: { spec: { mtu: 1300 } } });
    await waitFor(
      () => seen.length === 3,
      () => `the update after watches resumed, saw ${seen.join(', ')}`,
    );
    assert.deepEqual(
      seen,
      [
        `add kept@${kept.metadata.resourceVersion}`,
        `add during@${during.metadata.resourceVersion}`,
        `update during@${during.metadata.resourceVersion}->${updated.metadata.resourceVersion}`,
      ],
      'each change once, however many re-lists ran',
    );
  });

  test('indexes answer from the cache and follow updates and deletes', async () => {
    const ns = await freshNamespace();
    await networks.create(network(ns, 'a', { tier: 'web' }));
    await networks.create(network(ns, 'b', { tier: 'db' }));
    const cluster = informer(ns);
    cluster.start();
    await cluster.waitForSync();
    cluster.addIndex('tier', (o) => (o.metadata.labels?.tier === undefined ? [] : [o.metadata.labels.tier]));
    const tier = (value: string) =>
      cluster
        .byIndex('tier', value)
        .map((o) => o.metadata.name)
        .sort();
    assert.deepEqual(tier('web'), ['a'], 'an index added after sync covers the cache');
    await networks.create(network(ns, 'c', { tier: 'web' }));
    await networks.patch(ns, 'a', { type: 'merge', patch: { metadata: { labels: { tier: 'db' } } } });
    await networks.delete(ns, 'b');
    await waitFor(
      () => tier('web').join() === 'c' && tier('db').join() === 'a',
      () => `web=${tier('web')} db=${tier('db')}`,
    );
    assert.deepEqual(tier('db'), ['a'], 'b left the index when deleted, a joined when relabelled');
  });

  test('handlers run one at a time, in order, even when they are slow', async () => {
    const ns = await freshNamespace();
    const cluster = informer(ns);
    let inFlight = 0;
    let overlapped = false;
    const versions: number[] = [];
    cluster.onUpdate(async (_old, o) => {
      inFlight++;
      overlapped ||= inFlight > 1;
      await sleep(Math.floor(Math.random() * 15));
      versions.push(Number(o.metadata.resourceVersion));
      inFlight--;
    });
    cluster.start();
    await cluster.waitForSync();
    await networks.create(network(ns, 'busy'));
    await waitFor(
      () => cluster.get(ns, 'busy') !== undefined,
      () => 'the add',
    );
    for (let mtu = 1300; mtu < 1310; mtu++)
      await networks.patch(ns, 'busy', { type: 'merge', patch: { spec: { mtu } } });
    await waitFor(
      () => versions.length === 10,
      () => `ten updates, saw ${versions.length}`,
    );
    assert.equal(overlapped, false, 'no handler call overlapped another');
    assert.deepEqual(
      versions,
      [...versions].sort((x, y) => x - y),
      'updates arrive in resourceVersion order',
    );
  });

  test('a handler added late sees the cached objects once, then later events; a throwing handler is reported', async () => {
    const ns = await freshNamespace();
    await networks.create(network(ns, 'early'));
    const cluster = informer(ns);
    cluster.onAdd(() => {
      throw new Error('handler bug');
    });
    cluster.start();
    await cluster.waitForSync();
    const seen = record(cluster);
    await networks.create(network(ns, 'late'));
    await waitFor(
      () => seen.length === 2,
      () => `early replayed then late, saw ${seen.join(', ')}`,
    );
    assert.match(seen[0]!, /^add early@/, 'the cached object is replayed first');
    assert.match(seen[1]!, /^add late@/, 'then the new one');
    assert.ok(
      errors.some((e) => e instanceof Error && (e.cause as Error | undefined)?.message === 'handler bug'),
      'the throwing handler was reported, and the informer went on',
    );
  });

  test('stop ends the watch and any retry wait at once', async () => {
    const ns = await freshNamespace();
    const cluster = informer(ns);
    cluster.start();
    await cluster.waitForSync();
    await waitFor(
      () => server.openWatches() > 0,
      () => 'an open watch',
    );
    const openBefore = server.openWatches();
    await cluster.stop();
    await waitFor(
      () => server.openWatches() === openBefore - 1,
      () => `the watch closed (${server.openWatches()} open)`,
    );

    server.breakWatches({ code: 503, reason: 'ServiceUnavailable', message: 'down' });
    try {
      const retrying = informer(ns, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
      retrying.start();
      await retrying.waitForSync();
      await waitFor(
        () => errors.some((e) => e instanceof Error && e.message === 'down'),
        () => 'a refused watch, then a long backoff',
      );
      const began = Date.now();
      await retrying.stop();
      assert.ok(Date.now() - began < 1_000, 'stop does not wait out the backoff');
    } finally {
      server.resumeWatches();
    }

    const neverSynced = informer(ns);
    const waiting = neverSynced.waitForSync();
    await neverSynced.stop();
    await assert.rejects(waiting, /stopped before it synced/, 'waitForSync rejects when stopped first');
  });

  test('a process that starts and stops an informer exits by itself', async () => {
    const helper = new URL('./testing/test-api-server.ts', import.meta.url).href;
    const client = new URL('./', import.meta.url).href;
    const script = `
      import { startTestApiServer } from ${JSON.stringify(helper)};
      import { ApiTransport } from ${JSON.stringify(`${client}api-transport.ts`)};
      import { ResourceClient } from ${JSON.stringify(`${client}resource-client.ts`)};
      import { Informer } from ${JSON.stringify(`${client}informer.ts`)};
      const server = await startTestApiServer();
      const transport = new ApiTransport(server.kubeConfig);
      const resource = { group: 'networking.datumapis.com', version: 'v1alpha1', plural: 'networks', kind: 'Network', namespaced: true };
      const informer = new Informer(new ResourceClient(transport, resource), { namespace: 'default' });
      informer.start();
      await informer.waitForSync();
      await informer.stop();
      await server.close();
      console.log('stopped');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    assert.equal(signal, null, `the process exited on its own, not killed after 30 s: ${output}`);
    assert.equal(code, 0, `exit code 0: ${output}`);
    assert.match(output, /stopped/, 'it got through stop and close');
  });
});
