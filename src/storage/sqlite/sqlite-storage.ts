import { Buffer } from 'node:buffer';
import { closeSync, fsync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import {
  checkKey,
  checkRevisionArgument,
  compactedError,
  copyKeyValue,
  futureRevisionError,
} from '../contract.ts';
import {
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  StorageError,
  type WatchEvent,
} from '../storage.ts';
import { watchLoop } from '../watch-loop.ts';
import { prefixEnd } from './prefix-end.ts';
import { openSqliteDatabase, type SqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.ts';

export type SqliteStorageOptions = SqliteDatabaseOptions;

type Write =
  | { readonly kind: 'create'; readonly key: string; readonly value: Buffer }
  | { readonly kind: 'update'; readonly key: string; readonly value: Buffer; readonly expected: number }
  | { readonly kind: 'delete'; readonly key: string; readonly expected: number | undefined };

interface QueuedWrite {
  readonly write: Write;
  readonly resolve: (kv: KeyValue) => void;
  readonly reject: (error: unknown) => void;
}

interface Watcher {
  readonly prefix: string;
  readonly end: string | undefined;
  /** Every event up to this revision has been delivered or queued in `pending`. */
  cursor: number;
  /** The revision of the last event delivered, or the one the watch started from. */
  delivered: number;
  pending: WatchEvent[];
  ended: StorageError | undefined;
  wake: () => void;
}

interface VersionRow {
  readonly id: number;
  readonly name: string;
  readonly create_revision: number;
  readonly deleted: number;
  readonly value: Buffer | null;
}

interface LogRow extends VersionRow {
  readonly prev_revision: number | null;
  readonly prev_value: Buffer | null;
}

interface CleanRow {
  readonly id: number;
  readonly prev_revision: number | null;
  readonly deleted: number;
}

/** Writes committed in one transaction, so they share one fsync. */
const MAX_BATCH = 1024;
/** History rows compaction visits per transaction; writers run between transactions. */
const COMPACT_BATCH = 1000;
const WATCH_PAGE = 256;
/** A caught-up watcher that stops reading holds at most this many events; beyond it, it rereads the log. */
const MAX_PENDING = 4096;
const LATEST = Number.MAX_SAFE_INTEGER;

const noop = (): void => {};

/**
 * The Storage contract on SQLite, kine-style: one log table whose row id is the revision. Concurrent writes are
 * group-committed (one transaction and one fsync per batch); watches are fed in process after each commit and
 * replayed from the log. One process holds the database file at a time.
 */
export class SqliteStorage implements Storage {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #applyBatch: Database.Transaction<
    (batch: readonly QueuedWrite[]) => (WatchEvent | StorageError)[]
  >;
  readonly #cleanBatch: Database.Transaction<(through: number) => number>;
  /** The last revision committed to the database: the next write's revision follows it. */
  #revision: number;
  /**
   * The last revision known to be on disk. Reads, watches and acknowledgements stop here: nothing anyone sees
   * can be lost in a power failure. Equal to #revision but while a WAL sync is under way.
   */
  #durable: number;
  /** With `synchronous` FULL: the WAL file, synced off the event loop after each batch (see #flush). */
  readonly #wal: string | undefined;
  #walFd: number | undefined;
  /** The sync that will cover every commit made so far, and whether one is running. */
  #nextSync: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  #syncing = false;
  #settling: Promise<void> = Promise.resolve();
  #compacted: number;
  #cleaned: number;
  #queue: QueuedWrite[] = [];
  #flushScheduled = false;
  #cleaning: Promise<void> | undefined;
  readonly #watchers = new Set<Watcher>();
  #closed = false;

  private constructor(opened: SqliteDatabase, wal: string | undefined) {
    this.#db = opened.db;
    this.#wal = wal;
    this.#revision = opened.revision;
    this.#durable = opened.revision;
    this.#compacted = opened.compacted;
    this.#cleaned = opened.cleaned;
    this.#applyBatch = this.#db.transaction((batch: readonly QueuedWrite[]) => {
      let revision = this.#revision;
      return batch.map(({ write }) => {
        const outcome = this.#apply(write, revision + 1);
        if (!(outcome instanceof StorageError)) revision++;
        return outcome;
      });
    });
    this.#cleanBatch = this.#db.transaction((through: number) => {
      const rows = this.#sql(
        'SELECT id, prev_revision, deleted FROM log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
      ).all(this.#cleaned, through, COMPACT_BATCH) as CleanRow[];
      const remove = this.#sql('DELETE FROM log WHERE id = ?');
      // A row supersedes its predecessor, and a deletion at or below the point leaves nothing to read there.
      for (const row of rows) {
        if (row.prev_revision !== null) remove.run(row.prev_revision);
        if (row.deleted) remove.run(row.id);
      }
      const cleaned = rows.length === COMPACT_BATCH ? rows.at(-1)!.id : through;
      this.#setMeta('cleaned', cleaned);
      return cleaned;
    });
  }

  /** Opens or creates the database at `file`; refuses a file that fails its integrity check. */
  static async open(file: string, options: SqliteStorageOptions = {}): Promise<SqliteStorage> {
    // FULL durability without an fsync on the event loop: SQLite commits at NORMAL (the WAL is written, not
    // synced), then the WAL is synced on libuv's thread pool while the next requests are served, and a
    // batch is acknowledged, and seen by reads and watches, only once a sync that began after it has ended.
    // One sync covers every batch committed while the previous one ran.
    const full = (options.synchronous ?? 'FULL') === 'FULL';
    const opened = openSqliteDatabase(file, { ...options, synchronous: 'NORMAL' });
    return new SqliteStorage(opened, full ? `${file}-wal` : undefined);
  }

  async get(key: string, options: { readonly revision?: number } = {}): Promise<KeyValue | undefined> {
    this.#ensureOpen();
    checkKey(key);
    const revision = options.revision ?? this.#durable;
    this.#checkReadRevision(revision);
    return this.#latest(key, revision);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#ensureOpen();
    const { limit } = options;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    }
    let revision = options.revision ?? this.#durable;
    let after: string | undefined;
    if (options.continue !== undefined) {
      if (options.revision !== undefined)
        throw new RangeError('a continued list takes its revision from the token');
      ({ revision, after } = decodeContinue(options.continue, prefix));
    }
    this.#checkReadRevision(revision);
    const end = prefixEnd(prefix);
    const rows = this.#sql(listSql(after !== undefined, end !== undefined)).all({
      from: after ?? prefix,
      ...(end === undefined ? {} : { end }),
      revision,
      limit: limit ?? -1,
    }) as VersionRow[];
    const items = rows.map(toKv);
    const last = items.at(-1);
    if (limit === undefined || items.length < limit || !last) return { items, revision, remaining: 0 };
    const { n: remaining } = this.#sql(countSql(end !== undefined)).get({
      from: last.key,
      ...(end === undefined ? {} : { end }),
      revision,
    }) as { n: number };
    if (remaining === 0) return { items, revision, remaining };
    return { items, revision, remaining, continue: encodeContinue({ revision, after: last.key }) };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    return this.#enqueue({ kind: 'create', key, value: Buffer.from(value) });
  }

  async update(key: string, value: Uint8Array, expectedRevision: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    checkRevisionArgument('expectedRevision', expectedRevision, 1);
    return this.#enqueue({ kind: 'update', key, value: Buffer.from(value), expected: expectedRevision });
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    if (expectedRevision !== undefined) checkRevisionArgument('expectedRevision', expectedRevision, 1);
    return this.#enqueue({ kind: 'delete', key, expected: expectedRevision });
  }

  async *watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    checkRevisionArgument('fromRevision', fromRevision, 0);
    this.#ensureOpen();
    if (fromRevision < this.#compacted) throw compactedError(fromRevision, this.#compacted);
    const watcher: Watcher = {
      prefix,
      end: prefixEnd(prefix),
      cursor: fromRevision,
      delivered: fromRevision,
      pending: [],
      ended: undefined,
      wake: noop,
    };
    this.#watchers.add(watcher);
    yield* watchLoop(
      watcher,
      signal,
      () => {
        if (watcher.pending.length === 0 && watcher.cursor < this.#durable) this.#readLog(watcher);
        const event = watcher.pending.shift();
        if (event) watcher.delivered = event.kv.modRevision;
        return event;
      },
      () => this.#watchers.delete(watcher),
    );
  }

  async currentRevision(): Promise<number> {
    this.#ensureOpen();
    return this.#durable;
  }

  async compact(revision: number): Promise<void> {
    this.#ensureOpen();
    checkRevisionArgument('revision', revision, 1);
    if (revision > this.#durable) throw futureRevisionError(revision, this.#durable);
    if (revision > this.#compacted) {
      this.#setMeta('compacted', revision);
      this.#compacted = revision;
    }
    // Reads below the point fail from here on; deleting the history behind it runs in small transactions.
    while (this.#cleaned < revision && !this.#closed) {
      this.#cleaning ??= this.#clean().finally(() => {
        this.#cleaning = undefined;
      });
      await this.#cleaning;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    while (this.#queue.length > 0) this.#flush();
    await this.#settling;
    this.#closed = true;
    if (this.#walFd !== undefined) closeSync(this.#walFd);
    this.#endWatches('storage is closed');
    this.#db.close();
  }

  /** Breaks every open watch stream with Unreachable, as a lost connection would; for tests. */
  cutWatches(): void {
    this.#endWatches('watch stream cut');
  }

  #enqueue(write: Write): Promise<KeyValue> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // After the current microtasks, so every writer woken by the previous commit joins the next batch.
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (this.#queue.length > 0) this.#scheduleFlush();
    let outcomes: (WatchEvent | StorageError)[];
    try {
      outcomes = this.#applyBatch.immediate(batch);
    } catch (cause) {
      this.#fail(batch, cause);
      return;
    }
    const events = outcomes.filter((outcome): outcome is WatchEvent => !(outcome instanceof StorageError));
    this.#revision = events.at(-1)?.kv.modRevision ?? this.#revision;
    const committed = this.#revision;
    const settle = (): void => {
      const before = this.#durable;
      this.#durable = Math.max(this.#durable, committed);
      this.#fanOut(before, events);
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome instanceof StorageError) batch[i]!.reject(outcome);
        else batch[i]!.resolve(copyKeyValue(outcome.kv));
      }
    };
    // Batches settle in commit order; one with nothing new to sync still waits behind those being synced.
    const synced = this.#wal === undefined || events.length === 0 ? undefined : this.#sync();
    this.#settling = this.#settling
      .then(() => synced)
      .then(settle, (cause: unknown) => this.#fail(batch, cause));
  }

  #fail(batch: readonly QueuedWrite[], cause: unknown): void {
    for (const { write, reject } of batch) {
      const message = `the write of ${write.key} failed to commit; it may or may not have taken effect`;
      reject(new StorageError('Unreachable', message, { key: write.key, cause }));
    }
  }

  /** Resolves once a WAL sync that began after this call has ended: everything committed so far is on disk. */
  #sync(): Promise<void> {
    if (this.#nextSync === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      this.#nextSync = { promise, resolve, reject };
      if (!this.#syncing) this.#startSync();
      return promise;
    }
    return this.#nextSync.promise;
  }

  #startSync(): void {
    const waiting = this.#nextSync!;
    this.#nextSync = undefined;
    this.#syncing = true;
    try {
      this.#walFd ??= openSync(this.#wal!, 'r');
    } catch (error) {
      this.#syncing = false;
      waiting.reject(error);
      return;
    }
    fsync(this.#walFd, (error) => {
      this.#syncing = false;
      // Commits made while this sync ran wait for the next one.
      if (this.#nextSync !== undefined) this.#startSync();
      if (error) waiting.reject(error);
      else waiting.resolve();
    });
  }

  /** Checks one write's precondition against the state inside the batch transaction and appends its row. */
  #apply(write: Write, revision: number): WatchEvent | StorageError {
    const { key } = write;
    const current = this.#latest(key, LATEST);
    const insert = this.#sql(
      'INSERT INTO log (id, name, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    if (write.kind === 'create') {
      if (current) return new StorageError('KeyExists', `${key} already exists`, { key, current });
      insert.run(revision, key, revision, null, 0, write.value);
      return {
        type: 'ADDED',
        kv: { key, value: write.value, createRevision: revision, modRevision: revision },
      };
    }
    if (!current) return new StorageError('KeyNotFound', `${key} not found`, { key });
    if (write.expected !== undefined && current.modRevision !== write.expected) {
      const message = `${key} is at revision ${current.modRevision}, not ${write.expected}`;
      return new StorageError('Conflict', message, { key, current });
    }
    const { createRevision, modRevision } = current;
    if (write.kind === 'update') {
      insert.run(revision, key, createRevision, modRevision, 0, write.value);
      return {
        type: 'MODIFIED',
        kv: { key, value: write.value, createRevision, modRevision: revision },
        prev: current,
      };
    }
    insert.run(revision, key, createRevision, modRevision, 1, null);
    return { type: 'DELETED', kv: { ...current, modRevision: revision }, prev: current };
  }

  /** Queues the batch's events for every caught-up watcher; a lagging one reads them from the log. */
  #fanOut(before: number, events: readonly WatchEvent[]): void {
    for (const watcher of this.#watchers) {
      if (watcher.cursor >= before) {
        for (const event of events) {
          if (event.kv.modRevision > watcher.cursor && event.kv.key.startsWith(watcher.prefix)) {
            watcher.pending.push(event);
          }
        }
        watcher.cursor = Math.max(watcher.cursor, this.#durable);
        if (watcher.pending.length > MAX_PENDING) {
          watcher.pending = [];
          watcher.cursor = watcher.delivered;
        }
      }
      watcher.wake();
    }
  }

  #readLog(watcher: Watcher): void {
    if (watcher.cursor < this.#compacted) throw compactedError(watcher.cursor, this.#compacted);
    const rows = this.#sql(watchSql(watcher.end !== undefined)).all({
      after: watcher.cursor,
      through: this.#durable,
      from: watcher.prefix,
      ...(watcher.end === undefined ? {} : { end: watcher.end }),
      limit: WATCH_PAGE,
    }) as LogRow[];
    for (const row of rows) watcher.pending.push(toEvent(row));
    watcher.cursor = rows.length === WATCH_PAGE ? rows.at(-1)!.id : this.#durable;
  }

  async #clean(): Promise<void> {
    while (!this.#closed && this.#cleaned < this.#compacted) {
      try {
        this.#cleaned = this.#cleanBatch.immediate(this.#compacted);
      } catch (cause) {
        throw new StorageError('Unreachable', 'compaction failed to delete history; the next one retries', {
          cause,
        });
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #latest(key: string, revision: number): KeyValue | undefined {
    const row = this.#sql(
      'SELECT id, name, create_revision, deleted, value FROM log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1',
    ).get(key, revision) as VersionRow | undefined;
    return row && !row.deleted ? toKv(row) : undefined;
  }

  #setMeta(key: 'compacted' | 'cleaned', value: number): void {
    this.#sql('UPDATE meta SET value = ? WHERE key = ?').run(value, key);
  }

  #sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (!statement) {
      statement = this.#db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  #endWatches(reason: string): void {
    for (const watcher of this.#watchers) {
      watcher.ended = new StorageError('Unreachable', reason);
      watcher.wake();
    }
    this.#watchers.clear();
  }

  #ensureOpen(): void {
    if (this.#closed) throw new StorageError('Unreachable', 'storage is closed');
  }

  #checkReadRevision(revision: number): void {
    checkRevisionArgument('revision', revision, 1);
    if (revision < this.#compacted) throw compactedError(revision, this.#compacted);
    if (revision > this.#durable) throw futureRevisionError(revision, this.#durable);
  }
}

/** The latest row of each key in range at @revision, live keys only, in key order. */
function listSql(afterKey: boolean, bounded: boolean): string {
  const latest = `SELECT max(id) AS id, deleted FROM log WHERE ${range(afterKey, bounded)} AND id <= @revision
    GROUP BY name HAVING deleted = 0 ORDER BY name LIMIT @limit`;
  return `SELECT l.id, l.name, l.create_revision, l.deleted, l.value FROM (${latest}) AS latest
    JOIN log AS l ON l.id = latest.id ORDER BY l.name`;
}

function countSql(bounded: boolean): string {
  return `SELECT count(*) AS n FROM (SELECT max(id), deleted FROM log WHERE ${range(true, bounded)}
    AND id <= @revision GROUP BY name HAVING deleted = 0)`;
}

// The unary + keeps SQLite on the id range: the rows after a watcher's cursor are few, a prefix's may be many.
function watchSql(bounded: boolean): string {
  const name = `+l.name >= @from${bounded ? ' AND +l.name < @end' : ''}`;
  return `SELECT l.id, l.name, l.create_revision, l.prev_revision, l.deleted, l.value, p.value AS prev_value
    FROM log AS l LEFT JOIN log AS p ON p.id = l.prev_revision
    WHERE l.id > @after AND l.id <= @through AND ${name} ORDER BY l.id LIMIT @limit`;
}

function range(afterKey: boolean, bounded: boolean): string {
  return `name ${afterKey ? '>' : '>='} @from${bounded ? ' AND name < @end' : ''}`;
}

function toKv(row: VersionRow): KeyValue {
  return { key: row.name, value: bytes(row.value), createRevision: row.create_revision, modRevision: row.id };
}

function toEvent(row: LogRow): WatchEvent {
  const kv = toKv(row);
  if (row.prev_revision === null) return { type: 'ADDED', kv };
  if (row.prev_value === null)
    throw new Error(`the log row before revision ${row.id} of ${row.name} is missing`);
  const prev = { ...kv, value: bytes(row.prev_value), modRevision: row.prev_revision };
  return row.deleted
    ? { type: 'DELETED', kv: { ...kv, value: prev.value }, prev }
    : { type: 'MODIFIED', kv, prev };
}

/** A plain Uint8Array over the Buffer better-sqlite3 returned, which nothing else references. */
function bytes(value: Buffer | null): Uint8Array {
  return value === null
    ? new Uint8Array(0)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
