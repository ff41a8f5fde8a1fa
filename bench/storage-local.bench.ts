import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemoryStorage } from '../src/storage/memory/memory-storage.ts';
import { SqliteStorage } from '../src/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../src/storage/storage.ts';
import { type Bench, gc, median, random, round } from './bench.ts';

interface Backend {
  readonly name: string;
  /** An empty store of its own, and how to remove it. */
  open(): Promise<{ readonly store: Storage; dispose(): Promise<void> }>;
  /** The ceiling for `count` writes of `value`: no store, the same durability, one commit per write. */
  rawWrites(count: number, value: Uint8Array): number;
  rawReads(count: number, value: Uint8Array): number;
  /** Writes per run for one writer, sixteen, and the raw ceiling; SQLite at FULL is bound by fsync. */
  readonly writes: { readonly one: number; readonly sixteen: number; readonly raw: number };
}

const RUNS = 3;
const VALUE = Uint8Array.from({ length: 1024 }, (_, i) => (i * 31) & 0xff);

const memory: Backend = {
  name: 'memory',
  open: async () => {
    const store = new MemoryStorage();
    return { store, dispose: () => store.close() };
  },
  rawWrites: (count, value) => {
    const map = new Map<string, Uint8Array>();
    const start = performance.now();
    for (let i = 0; i < count; i++) map.set(`/bench/raw/${i}`, new Uint8Array(value));
    return perSec(count, start);
  },
  rawReads: (count, value) => {
    const map = new Map<string, Uint8Array>();
    const keys = 10_000;
    for (let i = 0; i < keys; i++) map.set(`/bench/raw/${i}`, value);
    const next = random(7);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      if (!map.get(`/bench/raw/${Math.floor(next() * keys)}`)) throw new Error('raw read missed');
    }
    return perSec(count, start);
  },
  writes: { one: 50_000, sixteen: 50_000, raw: 50_000 },
};

/** Also the raw commit ceiling other benchmarks quote beside their own figures. */
export const sqlite: Backend = {
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nso-bench-sqlite-'));
    const store = await SqliteStorage.open(join(dir, 'store.db'));
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  rawWrites: (count, value) =>
    withRawDatabase((db) => {
      const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
      const start = performance.now();
      for (let i = 0; i < count; i++) insert.run(`/bench/raw/${i}`, value);
      return perSec(count, start);
    }),
  rawReads: (count, value) =>
    withRawDatabase((db) => {
      const keys = 10_000;
      const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
      db.transaction(() => {
        for (let i = 0; i < keys; i++) insert.run(`/bench/raw/${i}`, value);
      })();
      const select = db.prepare<[string], { value: Buffer }>('SELECT value FROM kv WHERE name = ?');
      const next = random(7);
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        if (!select.get(`/bench/raw/${Math.floor(next() * keys)}`)) throw new Error('raw read missed');
      }
      return perSec(count, start);
    }),
  writes: { one: 500, sixteen: 10_000, raw: 500 },
};

/** A plain better-sqlite3 table at the store's durability: WAL, synchronous=FULL, a unique name index. */
function withRawDatabase<T>(body: (db: Database.Database) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'nso-bench-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, value BLOB)');
    return body(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function writes(backend: Backend, writers: number, count: number): Promise<Record<string, number>> {
  const { store, dispose } = await backend.open();
  try {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < count) await store.create(`/bench/w/${next++}`, VALUE);
      }),
    );
    return {
      writesPerSec: perSec(count, start),
      rawWritesPerSec: backend.rawWrites(backend.writes.raw, VALUE),
    };
  } finally {
    await dispose();
  }
}

async function reads(backend: Backend): Promise<Record<string, number>> {
  const { store, dispose } = await backend.open();
  try {
    const keys = 10_000;
    let loaded = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (loaded < keys) await store.create(`/bench/r/${loaded++}`, VALUE);
      }),
    );
    const count = 50_000;
    const next = random(7);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      if (!(await store.get(`/bench/r/${Math.floor(next() * keys)}`))) throw new Error('read missed');
    }
    return { readsPerSec: perSec(count, start), rawReadsPerSec: backend.rawReads(count, VALUE) };
  } finally {
    await dispose();
  }
}

/**
 * Latency from the write call to its event reaching a watcher, so it includes the commit (and its fsync). Each
 * write waits for the previous event, so a backlog never inflates the figure.
 */
async function watchLatency(backend: Backend, count: number): Promise<Record<string, number>> {
  const { store, dispose } = await backend.open();
  const controller = new AbortController();
  try {
    const iterator = store
      .watch('/bench/watch/', await store.currentRevision(), controller.signal)
      [Symbol.asyncIterator]();
    const delivered: number[] = [];
    const acked: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const event = iterator.next();
      await store.create(`/bench/watch/${i}`, VALUE);
      acked.push(performance.now() - start);
      if ((await event).done) throw new Error('the watch ended');
      delivered.push(performance.now() - start);
    }
    await iterator.return?.();
    return {
      p50Ms: percentile(delivered, 0.5),
      p99Ms: percentile(delivered, 0.99),
      writeAckP50Ms: percentile(acked, 0.5),
    };
  } finally {
    controller.abort();
    await dispose();
  }
}

async function medianRuns(run: () => Promise<Record<string, number>>): Promise<Record<string, number>> {
  await run();
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc();
    runs.push(await run());
  }
  return Object.fromEntries(
    Object.keys(runs[0]!).map((key) => [key, round(median(runs.map((r) => r[key]!)))]),
  );
}

function perSec(count: number, start: number): number {
  return count / ((performance.now() - start) / 1000);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const benches: Bench[] = [memory, sqlite].flatMap((backend) => [
  {
    name: `storage.${backend.name}.write1`,
    run: () => medianRuns(() => writes(backend, 1, backend.writes.one)),
  },
  {
    name: `storage.${backend.name}.write16`,
    run: async () => {
      const figures = await medianRuns(() => writes(backend, 16, backend.writes.sixteen));
      return { ...figures, ratioToRaw: round(figures.writesPerSec! / figures.rawWritesPerSec!) };
    },
  },
  { name: `storage.${backend.name}.read`, run: () => medianRuns(() => reads(backend)) },
  {
    name: `storage.${backend.name}.watch`,
    run: () => medianRuns(() => watchLatency(backend, backend.name === 'sqlite' ? 500 : 5_000)),
  },
]);
