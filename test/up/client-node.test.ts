// `@kubernetes/client-node` 1.4.0, the JavaScript client controllers are written with, against `nso up`: the kubeconfig
// nso writes and a bearer-token one both load; create, list by label, get, watch, merge patch, server-side apply with its
// 409 on a conflicting field manager, delete, and the component pod with its log all behave as on kube-apiserver.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { NsoProcess } from '../e2e/nso-process.ts';

const GROUP = 'networking.datumapis.com';
const VERSION = 'v1alpha1';
const PLURAL = 'networks';
const NAMESPACE = 'default';
const NETWORKS = { group: GROUP, version: VERSION, namespace: NAMESPACE, plural: PLURAL };
const WATCH_PATH = `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/${PLURAL}`;

interface Network {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    managedFields?: { manager: string; operation: string; fieldsV1?: unknown }[];
  };
  spec: { ipv4Blocks?: string[]; mtu?: number };
}

interface NetworkList {
  metadata: { resourceVersion: string };
  items: Network[];
}

const network = (name: string, labels: Record<string, string>, block: string): Network => ({
  apiVersion: `${GROUP}/${VERSION}`,
  kind: 'Network',
  metadata: { name, labels },
  spec: { ipv4Blocks: [block] },
});

/** The HTTP status and Status reason of what a client-node call rejected with. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; reason: string | undefined }> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiException, `an ApiException, not ${String(error)}`);
    const body =
      typeof error.body === 'string' && error.body !== ''
        ? (JSON.parse(error.body) as { reason?: string })
        : {};
    return { code: error.code, reason: body.reason };
  }
  assert.fail('the call succeeded');
}

/** Events a client-node Watch delivered, and a way to wait for the one a test expects. */
class WatchEvents {
  readonly seen: { type: string; name: string; resourceVersion: string }[] = [];
  #wake: (() => void) | undefined;

  push = (type: string, object: Network): void => {
    this.seen.push({
      type,
      name: object.metadata.name,
      resourceVersion: object.metadata.resourceVersion ?? '',
    });
    this.#wake?.();
  };

  async until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      assert.ok(left > 0, `${what} within ${timeoutMs} ms; saw ${JSON.stringify(this.seen)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

describe('@kubernetes/client-node 1.4.0 against nso up', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nso-client-node-'));
  let running: Awaited<ReturnType<typeof NsoProcess.start>>;
  let kc: KubeConfig;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;

  before(async () => {
    // No operator: these tests count resourceVersions, managers and watch events of their own writes.
    running = await NsoProcess.start(dataDir, { args: ['--no-operator'] });
    kc = new KubeConfig();
    kc.loadFromFile(running.kubeconfig);
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(async () => {
    await running?.nso.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the kubeconfig nso wrote loads and names the server it serves on', () => {
    assert.equal(kc.getCurrentCluster()?.server, running.server, 'current cluster server');
    assert.ok(kc.getCurrentUser()?.certData, 'the admin client certificate is in the kubeconfig');
  });

  test('create, list by label selector and get', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...NETWORKS,
      body: network('web', { tier: 'web' }, '10.10.0.0/16'),
    })) as Network;
    assert.equal(created.metadata.name, 'web', 'created name');
    assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/, 'created uid');
    await custom.createNamespacedCustomObject({
      ...NETWORKS,
      body: network('db', { tier: 'db' }, '10.11.0.0/16'),
    });

    const web = (await custom.listNamespacedCustomObject({
      ...NETWORKS,
      labelSelector: 'tier=web',
    })) as NetworkList;
    assert.deepEqual(
      web.items.map((item) => item.metadata.name),
      ['web'],
      'tier=web selects only web',
    );
    const tiered = (await custom.listNamespacedCustomObject({
      ...NETWORKS,
      labelSelector: 'tier in (web,db)',
    })) as NetworkList;
    assert.deepEqual(
      tiered.items.map((item) => item.metadata.name).sort(),
      ['db', 'web'],
      'a set-based selector selects both',
    );

    const got = (await custom.getNamespacedCustomObject({ ...NETWORKS, name: 'web' })) as Network;
    assert.equal(got.metadata.uid, created.metadata.uid, 'get returns the created object');
    assert.equal(got.metadata.resourceVersion, created.metadata.resourceVersion, 'unchanged resourceVersion');
    assert.deepEqual(got.spec.ipv4Blocks, ['10.10.0.0/16'], 'spec as created');

    const missing = await refusal(custom.getNamespacedCustomObject({ ...NETWORKS, name: 'absent' }));
    assert.deepEqual(missing, { code: 404, reason: 'NotFound' }, 'get of a missing object');
  });

  test('a JSON merge patch, sent with its content type set by setHeaderOptions', async () => {
    const patched = (await custom.patchNamespacedCustomObject(
      { ...NETWORKS, name: 'web', body: { metadata: { labels: { patched: 'yes' } }, spec: { mtu: 1400 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Network;
    assert.equal(patched.spec.mtu, 1400, 'the patched field');
    assert.deepEqual(patched.spec.ipv4Blocks, ['10.10.0.0/16'], 'fields the patch left out are kept');
    assert.deepEqual(patched.metadata.labels, { tier: 'web', patched: 'yes' }, 'labels merged, not replaced');

    const removed = (await custom.patchNamespacedCustomObject(
      { ...NETWORKS, name: 'web', body: { metadata: { labels: { patched: null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as Network;
    assert.deepEqual(removed.metadata.labels, { tier: 'web' }, 'null deletes a key');
  });

  test('server-side apply: create and update by one manager, 409 for a second without force, takeover with it', async () => {
    const apply = (manager: string, body: unknown, force?: boolean) =>
      custom.patchNamespacedCustomObject(
        {
          ...NETWORKS,
          name: 'applied',
          body,
          fieldManager: manager,
          ...(force === undefined ? {} : { force }),
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ) as Promise<Network>;
    const mine = {
      ...network('applied', { owner: 'alice' }, '10.20.0.0/16'),
      spec: { ipv4Blocks: ['10.20.0.0/16'], mtu: 1500 },
    };

    const created = await apply('alice', mine, true);
    assert.equal(created.spec.mtu, 1500, 'apply creates the object');
    assert.ok(
      created.metadata.managedFields?.some(
        (entry) => entry.manager === 'alice' && entry.operation === 'Apply',
      ),
      `alice manages it by Apply: ${JSON.stringify(created.metadata.managedFields)}`,
    );
    const again = await apply('alice', { ...mine, spec: { ...mine.spec, mtu: 1600 } }, true);
    assert.equal(again.spec.mtu, 1600, 'the owner changes its own field');

    const theirs = {
      apiVersion: `${GROUP}/${VERSION}`,
      kind: 'Network',
      metadata: { name: 'applied' },
      spec: { mtu: 8000 },
    };
    const conflict = await refusal(apply('bob', theirs));
    assert.deepEqual(conflict, { code: 409, reason: 'Conflict' }, 'a second manager changing alice’s field');
    const unchanged = (await custom.getNamespacedCustomObject({ ...NETWORKS, name: 'applied' })) as Network;
    assert.equal(unchanged.spec.mtu, 1600, 'the refused apply changed nothing');

    const forced = await apply('bob', theirs, true);
    assert.equal(forced.spec.mtu, 8000, 'force takes the field over');
    assert.deepEqual(forced.spec.ipv4Blocks, ['10.20.0.0/16'], 'alice’s other field is kept');
    const managers = (forced.metadata.managedFields ?? []).map((entry) => entry.manager).sort();
    assert.deepEqual(managers, ['alice', 'bob'], 'both managers remain');
    const back = await refusal(apply('alice', { ...mine, spec: { ...mine.spec, mtu: 1600 } }));
    assert.deepEqual(back, { code: 409, reason: 'Conflict' }, 'now alice conflicts over bob’s field');
  });

  test('a Watch from a list resourceVersion sees ADDED, MODIFIED and DELETED of later changes, in order', async () => {
    const listed = (await custom.listNamespacedCustomObject(NETWORKS)) as NetworkList;
    const events = new WatchEvents();
    let ended: unknown = 'not yet';
    const controller = await new Watch(kc).watch(
      WATCH_PATH,
      { resourceVersion: listed.metadata.resourceVersion },
      events.push,
      (error: unknown) => {
        ended = error;
      },
    );
    try {
      await custom.createNamespacedCustomObject({
        ...NETWORKS,
        body: network('watched', {}, '10.30.0.0/16'),
      });
      await custom.patchNamespacedCustomObject(
        { ...NETWORKS, name: 'watched', body: { spec: { mtu: 1300 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await custom.deleteNamespacedCustomObject({ ...NETWORKS, name: 'watched' });
      await events.until('DELETED of watched', () =>
        events.seen.some((event) => event.type === 'DELETED' && event.name === 'watched'),
      );
      assert.equal(ended, 'not yet', 'the watch stays open');
      const watched = events.seen.filter((event) => event.name === 'watched');
      assert.deepEqual(
        watched.map((event) => event.type),
        ['ADDED', 'MODIFIED', 'DELETED'],
        'one event per change, in order',
      );
      assert.deepEqual(
        events.seen.filter((event) => event.name !== 'watched' && event.type !== 'BOOKMARK'),
        [],
        'nothing from before the resourceVersion is replayed',
      );
      const versions = watched.map((event) => BigInt(event.resourceVersion));
      assert.ok(
        versions[0]! < versions[1]! && versions[1]! < versions[2]!,
        `rising resourceVersions: ${versions}`,
      );
    } finally {
      controller.abort();
    }
  });

  test('delete removes the object, and a second delete is 404', async () => {
    const db = (await custom.getNamespacedCustomObject({ ...NETWORKS, name: 'db' })) as Network;
    const status = (await custom.deleteNamespacedCustomObject({ ...NETWORKS, name: 'db' })) as {
      kind?: string;
      status?: string;
      details?: { name?: string; uid?: string };
    };
    assert.deepEqual(
      { kind: status.kind, status: status.status, name: status.details?.name, uid: status.details?.uid },
      { kind: 'Status', status: 'Success', name: 'db', uid: db.metadata.uid },
      'a Success Status naming the deleted object',
    );
    assert.deepEqual(
      await refusal(custom.getNamespacedCustomObject({ ...NETWORKS, name: 'db' })),
      { code: 404, reason: 'NotFound' },
      'gone',
    );
    assert.deepEqual(
      await refusal(custom.deleteNamespacedCustomObject({ ...NETWORKS, name: 'db' })),
      { code: 404, reason: 'NotFound' },
      'deleting it again',
    );
  });

  test('CoreV1Api lists the nso-apiserver pod by label and reads its log as JSON lines', async () => {
    const pods = await core.listNamespacedPod({
      namespace: 'datum-system',
      labelSelector: 'app=network-services-operator',
    });
    const names = pods.items.map((item) => item.metadata?.name ?? '');
    assert.equal(names.length, 1, `the API server alone (--no-operator): ${names.join(', ')}`);
    assert.match(names[0]!, /^nso-apiserver-[a-z0-9]{5}$/, 'API server pod name');
    const pod = pods.items[0]!;
    assert.equal(pod.status?.phase, 'Running', 'phase');
    assert.equal(pod.spec?.containers[0]?.name, 'apiserver', 'container');

    const log = await core.readNamespacedPodLog({ namespace: 'datum-system', name: pod.metadata!.name! });
    assert.equal(typeof log, 'string', 'the log is text');
    const lines = log
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.length > 0, 'the log has lines');
    assert.ok(
      lines.some((line) => line.msg === 'serving' && line.component === 'apiserver'),
      `the serving line is there: ${log.slice(0, 500)}`,
    );
    const tail = await core.readNamespacedPodLog({
      namespace: 'datum-system',
      name: pod.metadata!.name!,
      tailLines: 1,
    });
    assert.equal(tail.trimEnd().split('\n').length, 1, 'tailLines=1 gives one line');
  });

  test('a kubeconfig built with loadFromOptions from the CA and the admin token lists; a wrong token is 401', async () => {
    const admin = readFileSync(join(dataDir, 'tokens.csv'), 'utf8')
      .split('\n')
      .map((line) => line.split(','))
      .find((fields) => fields[1] === 'nso-admin');
    assert.ok(admin?.[0], 'tokens.csv has the nso-admin line');
    const caData = readFileSync(join(dataDir, 'pki', 'ca.crt')).toString('base64');
    const withToken = (token: string): KubeConfig => {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'nso', server: running.server, caData, skipTLSVerify: false }],
        users: [{ name: 'token-user', token }],
        contexts: [{ name: 'nso', cluster: 'nso', user: 'token-user', namespace: NAMESPACE }],
        currentContext: 'nso',
      });
      return config;
    };

    const byToken = withToken(admin[0]).makeApiClient(CustomObjectsApi);
    const listed = (await byToken.listNamespacedCustomObject(NETWORKS)) as NetworkList;
    assert.deepEqual(
      listed.items.map((item) => item.metadata.name).sort(),
      ['applied', 'web'],
      'the token sees what the certificate created',
    );
    const namespaces = await withToken(admin[0]).makeApiClient(CoreV1Api).listNamespace();
    assert.ok(
      namespaces.items.some((namespace) => namespace.metadata?.name === NAMESPACE),
      'CoreV1Api with the token lists namespaces',
    );

    const wrong = withToken(`${admin[0]}x`).makeApiClient(CustomObjectsApi);
    const refused = await refusal(wrong.listNamespacedCustomObject(NETWORKS));
    assert.equal(refused.code, 401, 'a wrong token is 401');
  });
});
