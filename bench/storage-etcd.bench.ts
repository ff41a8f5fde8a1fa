// The etcd backend against the plain etcd3 client on the same etcd: writes, reads and watch latency.
import { Etcd3 } from 'etcd3';
import { EtcdStorage } from '../src/storage/etcd/etcd-storage.ts';
import { isStorageError, type WatchEvent } from '../src/storage/storage.ts';
import { EtcdCluster } from '../test/etcd/etcd-harness.ts';
import { type Bench, median, round } from './bench.ts';

const VALUE = new Uint8Array(1024).fill(0x61);
const ROUNDS = 4;

/** Runs `body` against a fresh single-member etcd, with one EtcdStorage and one raw etcd3 client. */
async function withEtcd<T>(body: (store: EtcdStorage, raw: Etcd3) => Promise<T>): Promise<T> {
  const cluster = await EtcdCluster.start(1);
  const store = new EtcdStorage({ endpoints: cluster.endpoints, prefix: '/nso-bench/' });
  const raw = new Etcd3({ hosts: cluster.endpoints });
  try {
    return await body(store, raw);
  } finally {
    raw.close();
    await store.close();
    await cluster.stop();
  }
}

/** Operations per second of `op` run `count` times by `workers` concurrent loops. */
async function rate(count: number, workers: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/** Storage creates against raw puts of the same 1 KiB values, alternating rounds so drift hits both alike. */
function writes(workers: number): () => Promise<Record<string, number>> {
  return () =>
    withEtcd(async (store, raw) => {
      const count = workers === 1 ? 1_000 : 4_000;
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let round = -1; round < ROUNDS; round++) {
        const rawRun = (): Promise<number> =>
          rate(count, workers, (i) => raw.put(`/raw-bench/${round}/${i}`).value(Buffer.from(VALUE)).exec());
        const ourRun = (): Promise<number> =>
          rate(count, workers, (i) => store.create(`/${workers}/${round}/${i}`, VALUE));
        const rawFirst = round % 2 === 0;
        let rawRate = rawFirst ? await rawRun() : 0;
        const ourRate = await ourRun();
        if (!rawFirst) rawRate = await rawRun();
        if (round < 0) continue;
        theirs.push(rawRate);
        ours.push(ourRate);
      }
      const writesPerSec = median(ours);
      const rawWritesPerSec = median(theirs);
      return {
        writesPerSec: round(writesPerSec),
        rawWritesPerSec: round(rawWritesPerSec),
        ratio: round(writesPerSec / rawWritesPerSec),
      };
    });
}

async function reads(): Promise<Record<string, number>> {
  return withEtcd(async (store) => {
    const keys = 1_000;
    await rate(keys, 16, (i) => store.create(`/read/${i}`, VALUE));
    const runs: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      const perSec = await rate(4_000, 16, async (i) => {
        if (!(await store.get(`/read/${(i * 7919) % keys}`))) throw new Error('a written key is missing');
      });
      if (round >= 0) runs.push(perSec);
    }
    return { readsPerSec: round(median(runs)) };
  });
}

/** From the start of a create until its event reaches a watcher, one write at a time. */
async function watchLatency(): Promise<Record<string, number>> {
  return withEtcd(async (store) => {
    const count = 1_000;
    const controller = new AbortController();
    const from = await store.currentRevision();
    const iterator = store.watch('/watch/', from, controller.signal)[Symbol.asyncIterator]();
    const latencies: number[] = [];
    try {
      for (let i = -50; i < count; i++) {
        const started = performance.now();
        const [written, next] = await Promise.all([store.create(`/watch/${i}`, VALUE), iterator.next()]);
        const event = next.value as WatchEvent | undefined;
        if (next.done || event?.kv.modRevision !== written.modRevision)
          throw new Error('the watch lost an event');
        if (i >= 0) latencies.push(performance.now() - started);
      }
    } catch (error) {
      if (isStorageError(error)) throw new Error(`watch bench failed: ${error.message}`, { cause: error });
      throw error;
    } finally {
      controller.abort();
      await iterator.return?.();
    }
    latencies.sort((a, b) => a - b);
    return { p50Ms: round(median(latencies)), p99Ms: round(latencies[Math.floor(latencies.length * 0.99)]!) };
  });
}

export const benches: Bench[] = [
  { name: 'storage.etcd.write1', run: writes(1) },
  { name: 'storage.etcd.write16', run: writes(16) },
  { name: 'storage.etcd.read', run: reads },
  { name: 'storage.etcd.watch', run: watchLatency },
];
