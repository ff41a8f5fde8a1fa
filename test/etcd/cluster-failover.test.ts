// Proves that killing the leader of a 3-member etcd mid-run loses no acknowledged write.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { EtcdStorage } from '../../src/storage/etcd/etcd-storage.ts';
import { isStorageError, type KeyValue } from '../../src/storage/storage.ts';
import { EtcdCluster } from './etcd-harness.ts';
import { etcdAvailable } from './require-etcd.ts';

const WRITERS = 8;
const PER_WRITER = 150;
const text = new TextDecoder();

interface Acked {
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
  /** Acknowledged only on a retry, which found the earlier attempt's value already committed. */
  readonly recovered: boolean;
}

if (etcdAvailable('etcd cluster failover')) {
  let cluster: EtcdCluster | undefined;
  after(async () => {
    await cluster?.stop();
  });

  test('3-member loopback cluster: SIGKILL the leader mid-run, no acknowledged write is lost', {
    timeout: 120_000,
  }, async () => {
    cluster = await EtcdCluster.start(3);
    const store = new EtcdStorage({
      endpoints: cluster.endpoints,
      prefix: '/nso-failover/',
      requestTimeoutMs: 3_000,
    });
    const acked: Acked[] = [];
    let unreachable = 0;
    let killedAt = -1;

    const write = async (key: string, value: string): Promise<Acked> => {
      const deadline = Date.now() + 60_000;
      for (let retried = false; ; retried = true) {
        try {
          const kv = await store.create(key, new TextEncoder().encode(value));
          return { key, value, modRevision: kv.modRevision, recovered: false };
        } catch (error) {
          // A retried create-if-absent that meets our own value proves the earlier, unacknowledged try committed.
          if (retried && isStorageError(error, 'KeyExists') && text.decode(error.current!.value) === value) {
            return { key, value, modRevision: error.current!.modRevision, recovered: true };
          }
          if (!isStorageError(error, 'Unreachable') || Date.now() > deadline) throw error;
          unreachable++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; i < PER_WRITER; i++)
        acked.push(await write(`/w${w}/${String(i).padStart(4, '0')}`, `w${w}.${i}`));
    };
    const killer = async (): Promise<void> => {
      while (acked.length < (WRITERS * PER_WRITER) / 3)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const leader = await cluster!.leaderIndex();
      assert.notEqual(leader, undefined, 'the cluster has a leader to kill');
      killedAt = acked.length;
      await cluster!.kill(leader!, 'SIGKILL');
    };

    try {
      await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), killer()]);
      assert.ok(
        killedAt > 0 && killedAt < acked.length / 2,
        `the kill came mid-run (after ${killedAt} writes)`,
      );
      assert.equal(cluster.members.filter((_, i) => cluster!.isRunning(i)).length, 2);

      const revisions = acked.map((a) => a.modRevision);
      assert.equal(
        new Set(revisions).size,
        revisions.length,
        'every acknowledged write has its own revision',
      );
      for (let w = 0; w < WRITERS; w++) {
        const mine = acked.filter((a) => a.key.startsWith(`/w${w}/`)).map((a) => a.modRevision);
        for (let i = 1; i < mine.length; i++) {
          assert.ok(mine[i]! > mine[i - 1]!, `writer ${w}: revision ${mine[i]} follows ${mine[i - 1]}`);
        }
      }

      const stored = new Map<string, KeyValue>();
      let page = await store.list('/', { limit: 500 });
      for (;;) {
        for (const item of page.items) stored.set(item.key, item);
        if (page.continue === undefined) break;
        page = await store.list('/', { limit: 500, continue: page.continue });
      }
      const lost = acked.filter((a) => {
        const kv = stored.get(a.key);
        return !kv || text.decode(kv.value) !== a.value || kv.modRevision !== a.modRevision;
      });
      assert.deepEqual(lost, [], 'every acknowledged write is present with its value and revision');
      assert.equal(stored.size, WRITERS * PER_WRITER, 'nothing but the acknowledged writes is stored');
      console.error(
        `failover: ${acked.length} writes acknowledged, kill after ${killedAt}, ${unreachable} Unreachable retried, ` +
          `${acked.filter((a) => a.recovered).length} recovered by create-if-absent`,
      );
    } finally {
      await store.close();
    }
  });
}
