// Proves the harness only hands out an etcd it verified, and that a dead etcd surfaces as Unreachable.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { EtcdStorage } from '../../src/storage/etcd/etcd-storage.ts';
import { isStorageError, type WatchEvent } from '../../src/storage/storage.ts';
import { EtcdCluster } from './etcd-harness.ts';
import { etcdAvailable } from './require-etcd.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

if (etcdAvailable('etcd failures')) {
  describe('etcd failures', { timeout: 60_000 }, () => {
    const clusters: EtcdCluster[] = [];
    after(async () => {
      await Promise.all(clusters.map((cluster) => cluster.stop()));
    });

    test('the harness starts a member with its own name, token and loopback ports, and removes it', async () => {
      const cluster = await EtcdCluster.start(1);
      clusters.push(cluster);
      const [member] = cluster.members;
      assert.ok(member);
      assert.match(member.clientUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(member.peerUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new Etcd3({ hosts: member.clientUrl });
      try {
        const { members } = await client.cluster.memberList({});
        assert.deepEqual(
          members.map((m) => [m.name, m.peerURLs, m.clientURLs]),
          [[member.name, [member.peerUrl], [member.clientUrl]]],
        );
      } finally {
        client.close();
      }
      await cluster.stop();
      assert.equal(cluster.isRunning(0), false);
      assert.equal(existsSync(member.dataDir), false, 'the data directory is removed');
    });

    test('a killed etcd ends an open watch and later calls with Unreachable', async () => {
      const cluster = await EtcdCluster.start(1);
      clusters.push(cluster);
      const store = new EtcdStorage({
        endpoints: cluster.endpoints,
        prefix: '/nso-failure/',
        requestTimeoutMs: 2_000,
      });
      try {
        const first = await store.create('/a', bytes('a'));
        const events: WatchEvent[] = [];
        // The outcome is captured at once: the watch may end while the kill is still being awaited.
        const watchEnd = (async () => {
          for await (const event of store.watch('/', first.modRevision - 1, new AbortController().signal)) {
            events.push(event);
          }
        })().then(
          () => undefined,
          (error: unknown) => error,
        );
        while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        await cluster.kill(0);

        assert.ok(isStorageError(await watchEnd, 'Unreachable'), 'the watch ends with Unreachable');
        assert.deepEqual(
          events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`),
          [`ADDED /a@${first.modRevision}`],
        );
        await assert.rejects(store.create('/b', bytes('b')), (error) => isStorageError(error, 'Unreachable'));
        await assert.rejects(store.get('/a'), (error) => isStorageError(error, 'Unreachable'));
        await assert.rejects(store.currentRevision(), (error) => isStorageError(error, 'Unreachable'));
      } finally {
        await store.close();
      }
    });
  });
}
