// Two `nso apiserver` replicas sharing one data directory and one etcd act as one API server: the same objects with the
// same uid and resourceVersion, a watch on one sees writes through the other, optimistic concurrency holds across them,
// each publishes and serves the log of its own pod, and a replica stopped with SIGTERM takes only its pod with it.
// They start at the same moment, so the start-up writes they share race for real.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { NsoProcess } from '../e2e/nso-process.ts';
import { EtcdCluster } from '../etcd/etcd-harness.ts';
import { etcdAvailable } from '../etcd/require-etcd.ts';
import { type Answer, type Credentials, call } from './tls-client.ts';

const NETWORKS = '/apis/networking.datumapis.com/v1alpha1/namespaces/default/networks';
const PODS = '/api/v1/namespaces/datum-system/pods';
const COMPONENT_PODS = `${PODS}?labelSelector=app%3Dnetwork-services-operator`;
const PID_ANNOTATION = 'nso.datumapis.com/pid';

interface Meta {
  name: string;
  uid: string;
  resourceVersion: string;
  annotations?: Record<string, string>;
}
interface Obj {
  metadata: Meta;
  spec?: { ipv4Blocks?: string[]; mtu?: number; nodeName?: string };
}
interface List {
  metadata: { resourceVersion: string };
  items: Obj[];
}
interface WatchEvent {
  type: string;
  object: Obj;
}

const network = (name: string, block: string) => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name },
  spec: { ipv4Blocks: [block] },
});

const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');

function adminOf(kubeconfig: string): Credentials {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  return {
    ca: decode(config.clusters[0]?.cluster['certificate-authority-data']),
    cert: decode(config.users[0]?.user['client-certificate-data']),
    key: decode(config.users[0]?.user['client-key-data']),
  };
}

function json<T>(answer: Answer, what: string, status = 200): T {
  assert.equal(answer.status, status, `${what}: ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

/** A raw `?watch=true` stream: its chunked JSON lines parsed as they arrive. */
class WatchStream {
  readonly events: WatchEvent[] = [];
  #buffered = '';
  #wake: (() => void) | undefined;
  #ended = false;

  private constructor(readonly req: ClientRequest) {}

  static open(base: string, path: string, credentials: Credentials): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, base),
        { ca: credentials.ca, cert: credentials.cert, key: credentials.key, agent: false },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => stream.#take(chunk));
          res.on('close', () => {
            stream.#ended = true;
            stream.#wake?.();
          });
          resolve(stream);
        },
      );
      const stream = new WatchStream(req);
      req.on('error', (error) => {
        if (!stream.#ended) reject(error);
      });
      req.end();
    });
  }

  #take(chunk: string): void {
    this.#buffered += chunk;
    for (let newline = this.#buffered.indexOf('\n'); newline >= 0; newline = this.#buffered.indexOf('\n')) {
      const line = this.#buffered.slice(0, newline).trim();
      this.#buffered = this.#buffered.slice(newline + 1);
      if (line !== '') this.events.push(JSON.parse(line) as WatchEvent);
    }
    this.#wake?.();
  }

  async until(
    what: string,
    done: (events: readonly WatchEvent[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seen = () => JSON.stringify(this.events.map((event) => [event.type, event.object.metadata.name]));
    while (!done(this.events)) {
      assert.ok(!this.#ended, `${what}: the watch ended early; saw ${seen()}`);
      const left = deadline - Date.now();
      assert.ok(left > 0, `${what} within ${timeoutMs} ms; saw ${seen()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.#ended = true;
    this.req.destroy();
  }
}

if (etcdAvailable('two nso apiserver replicas over one etcd')) {
  describe('two nso apiserver replicas over one etcd', { timeout: 60_000 }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nso-replicas-'));
    const configs = mkdtempSync(join(tmpdir(), 'nso-replica-kubeconfigs-'));
    let etcd: EtcdCluster | undefined;
    let a: Awaited<ReturnType<typeof NsoProcess.start>> | undefined;
    let b: Awaited<ReturnType<typeof NsoProcess.start>> | undefined;
    let adminA: Credentials;
    let adminB: Credentials;
    const podOf = new Map<'a' | 'b', string>();

    const replica = (name: string) =>
      NsoProcess.start(dataDir, {
        command: 'apiserver',
        args: [
          '--storage',
          `etcd://${etcd!.endpoints.map((url) => url.replace(/^http:\/\//, '')).join(',')}`,
          '--kubeconfig',
          join(configs, `${name}.kubeconfig`),
        ],
      });
    const viaA = (path: string, options?: Parameters<typeof call>[3]) =>
      call(a!.server, path, adminA, options);
    const viaB = (path: string, options?: Parameters<typeof call>[3]) =>
      call(b!.server, path, adminB, options);

    before(async () => {
      etcd = await EtcdCluster.start(1);
      // Both start at once on a fresh directory and a fresh etcd: one creates the CA, certificates and tokens
      // under the directory's lock and the other shares them, and both write the same namespaces and CRDs.
      [a, b] = await Promise.all([replica('a'), replica('b')]);
      adminA = adminOf(a.kubeconfig);
      adminB = adminOf(b.kubeconfig);
    });
    after(async () => {
      await Promise.all([a?.nso.stop(), b?.nso.stop()]);
      await etcd?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(configs, { recursive: true, force: true });
    });

    test('each replica writes its own kubeconfig, both trusting the one CA of the shared data directory', () => {
      assert.notEqual(a!.server, b!.server, 'two servers');
      assert.notEqual(a!.kubeconfig, b!.kubeconfig, 'two kubeconfig files');
      const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
      assert.equal(adminA.ca, ca, "A's kubeconfig trusts the shared CA");
      assert.equal(adminB.ca, ca, "B's kubeconfig trusts the shared CA");
    });

    test('an object created through A is read through B with the same uid and resourceVersion', async () => {
      const created = json<Obj>(
        await viaA(NETWORKS, { method: 'POST', body: network('shared', '10.40.0.0/16') }),
        'create through A',
        201,
      );
      const read = json<Obj>(await viaB(`${NETWORKS}/shared`), 'get through B');
      assert.equal(read.metadata.uid, created.metadata.uid, 'same uid');
      assert.equal(read.metadata.resourceVersion, created.metadata.resourceVersion, 'same resourceVersion');
      assert.deepEqual(read.spec?.ipv4Blocks, ['10.40.0.0/16'], 'same spec');
      const listed = json<List>(await viaB(NETWORKS), 'list through B');
      assert.deepEqual(
        listed.items.map((item) => [item.metadata.name, item.metadata.uid]),
        [['shared', created.metadata.uid]],
        'B lists it',
      );
    });

    test('a watch opened on B sees the ADDED and the MODIFIED made through A, in order', async () => {
      const from = json<List>(await viaB(NETWORKS), 'list through B').metadata.resourceVersion;
      const watch = await WatchStream.open(
        b!.server,
        `${NETWORKS}?watch=true&resourceVersion=${from}`,
        adminB,
      );
      try {
        const created = json<Obj>(
          await viaA(NETWORKS, { method: 'POST', body: network('watched', '10.41.0.0/16') }),
          'create through A',
          201,
        );
        const modified = json<Obj>(
          await viaA(`${NETWORKS}/watched`, {
            method: 'PATCH',
            body: { spec: { mtu: 1400 } },
            contentType: 'application/merge-patch+json',
          }),
          'patch through A',
        );
        await watch.until('ADDED and MODIFIED of watched', (events) => events.length >= 2);
        assert.deepEqual(
          watch.events.map((event) => [
            event.type,
            event.object.metadata.name,
            event.object.metadata.resourceVersion,
          ]),
          [
            ['ADDED', 'watched', created.metadata.resourceVersion],
            ['MODIFIED', 'watched', modified.metadata.resourceVersion],
          ],
          'exactly the two changes, in order, at the resourceVersions A returned',
        );
        assert.equal(watch.events[1]?.object.spec?.mtu, 1400, 'MODIFIED carries the new spec');
      } finally {
        watch.close();
      }
    });

    test('an update through B with a resourceVersion A has since replaced is 409 Conflict', async () => {
      const stale = json<Obj>(await viaA(`${NETWORKS}/shared`), 'get through A');
      const fresh = json<Obj>(
        await viaA(`${NETWORKS}/shared`, {
          method: 'PUT',
          body: {
            ...network('shared', '10.40.0.0/16'),
            metadata: stale.metadata,
            spec: { ipv4Blocks: ['10.40.0.0/16'], mtu: 1500 },
          },
        }),
        'update through A',
      );
      assert.notEqual(
        fresh.metadata.resourceVersion,
        stale.metadata.resourceVersion,
        'A moved the resourceVersion',
      );

      const refused = await viaB(`${NETWORKS}/shared`, {
        method: 'PUT',
        body: {
          ...network('shared', '10.40.0.0/16'),
          metadata: stale.metadata,
          spec: { ipv4Blocks: ['10.40.0.0/16'], mtu: 1300 },
        },
      });
      const status = json<{ reason: string; code: number }>(
        refused,
        'update through B with the stale version',
        409,
      );
      assert.equal(status.reason, 'Conflict', 'reason');
      assert.equal(status.code, 409, 'code');
      const kept = json<Obj>(await viaB(`${NETWORKS}/shared`), 'get through B');
      assert.equal(kept.spec?.mtu, 1500, "A's update stands");
      assert.equal(
        kept.metadata.resourceVersion,
        fresh.metadata.resourceVersion,
        'at the resourceVersion A returned',
      );
    });

    test('each replica publishes its own nso-apiserver pod, and either lists both', async () => {
      for (const [via, name] of [
        [viaA, 'A'],
        [viaB, 'B'],
      ] as const) {
        const pods = json<List>(await via(COMPONENT_PODS), `list pods through ${name}`);
        assert.equal(pods.items.length, 2, `two component pods through ${name}`);
        for (const pod of pods.items)
          assert.match(pod.metadata.name, /^nso-apiserver-[a-z0-9]{5}$/, 'pod name');
        const byPid = new Map(
          pods.items.map((pod) => [pod.metadata.annotations?.[PID_ANNOTATION], pod.metadata.name]),
        );
        const podA = byPid.get(String(a!.nso.child.pid));
        const podB = byPid.get(String(b!.nso.child.pid));
        assert.ok(
          podA !== undefined && podB !== undefined,
          `one pod per replica pid: ${JSON.stringify([...byPid])}`,
        );
        if (podOf.size === 0) {
          podOf.set('a', podA);
          podOf.set('b', podB);
        }
        assert.deepEqual([podOf.get('a'), podOf.get('b')], [podA, podB], `the same pods through ${name}`);
      }
    });

    test("a replica serves its own pod's log; asking A for B's pod log is a 404 Status", async () => {
      const podA = podOf.get('a');
      const podB = podOf.get('b');
      assert.ok(podA !== undefined && podB !== undefined, 'the pods were found');
      for (const [via, pod, name] of [
        [viaA, podA, 'A'],
        [viaB, podB, 'B'],
      ] as const) {
        const log = await via(`${PODS}/${pod}/log`);
        assert.equal(log.status, 200, `${name} serves its own pod log: ${log.body}`);
        assert.match(log.contentType, /^text\/plain/, `${name}: log content type`);
        const lines = log.body
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.ok(
          lines.some((line) => line.msg === 'serving'),
          `${name}: its serving line`,
        );
      }
      const elsewhere = await viaA(`${PODS}/${podB}/log`);
      const status = json<{ kind: string; code: number; reason: string; message: string }>(
        elsewhere,
        "A asked for B's pod log",
        404,
      );
      assert.deepEqual(
        { kind: status.kind, code: status.code, reason: status.reason },
        { kind: 'Status', code: 404, reason: 'NotFound' },
        `a NotFound Status: ${status.message}`,
      );
    });

    test('SIGTERM stops A cleanly and removes its pod; B keeps serving every object', async () => {
      const networksBefore = json<List>(await viaB(NETWORKS), 'list networks through B').items.map((item) => [
        item.metadata.name,
        item.metadata.uid,
        item.metadata.resourceVersion,
      ]);
      assert.equal(networksBefore.length, 2, 'shared and watched exist');
      const podsFrom = json<List>(await viaB(COMPONENT_PODS), 'list pods through B').metadata.resourceVersion;
      const pods = await WatchStream.open(
        b!.server,
        `${COMPONENT_PODS}&watch=true&resourceVersion=${podsFrom}`,
        adminB,
      );
      try {
        const ended = await a!.nso.stop();
        assert.deepEqual(ended, { code: 0, signal: null }, `A exits 0 on SIGTERM\n${a!.nso.stderr}`);
        await pods.until("the DELETED of A's pod", (events) =>
          events.some((event) => event.type === 'DELETED' && event.object.metadata.name === podOf.get('a')),
        );
      } finally {
        pods.close();
      }
      assert.deepEqual(
        json<List>(await viaB(COMPONENT_PODS), 'list pods through B').items.map((pod) => pod.metadata.name),
        [podOf.get('b')],
        "only B's pod is left",
      );
      const networksAfter = json<List>(await viaB(NETWORKS), 'list networks through B').items.map((item) => [
        item.metadata.name,
        item.metadata.uid,
        item.metadata.resourceVersion,
      ]);
      assert.deepEqual(networksAfter, networksBefore, 'every object, unchanged');
      json<Obj>(
        await viaB(NETWORKS, { method: 'POST', body: network('after-a', '10.42.0.0/16') }),
        'B still writes',
        201,
      );
      assert.equal((await viaB(`${PODS}/${podOf.get('b')}/log`)).status, 200, "B still serves its pod's log");
    });
  });
}
