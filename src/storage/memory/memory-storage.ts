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
import { SortedKeys } from './sorted-keys.ts';

interface Version {
  readonly createRevision: number;
  readonly modRevision: number;
  /** Undefined: the key was deleted at modRevision. */
  readonly value: Uint8Array | undefined;
}

interface Watcher {
  readonly prefix: string;
  /** Every event up to this revision has been delivered or queued in `pending`. */
  cursor: number;
  readonly pending: WatchEvent[];
  ended: StorageError | undefined;
  wake: () => void;
}

const noop = (): void => {};

/**
 * The Storage contract in memory, for tests: a multi-version index per key plus a log of events by revision.
 * `cutWatches()` breaks every open watch stream, as a lost connection would.
 */
export class MemoryStorage implements Storage {
  #revision = 1;
  #compacted = 0;
  /** Revision just before #log[0]. */
  #logBase = 1;
  readonly #log: WatchEvent[] = [];
  readonly #versions = new Map<string, Version[]>();
  /** Every key with retained versions, in key order. */
  readonly #keys = new SortedKeys();
  readonly #watchers = new Set<Watcher>();
  #closed = false;

  async get(key: string, options: { readonly revision?: number } = {}): Promise<KeyValue | undefined> {
    this.#ensureOpen();
    checkKey(key);
    const revision = options.revision ?? this.#revision;
    this.#checkReadRevision(revision);
    const kv = this.#at(key, revision);
    return kv && copyKeyValue(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#ensureOpen();
    const { limit } = options;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    }
    let revision = options.revision ?? this.#revision;
    let after: string | undefined;
    if (options.continue !== undefined) {
      if (options.revision !== undefined)
        throw new RangeError('a continued list takes its revision from the token');
      ({ revision, after } = decodeContinue(options.continue, prefix));
    }
    this.#checkReadRevision(revision);
    const items: KeyValue[] = [];
    let remaining = 0;
    this.#keys.scan(after ?? prefix, after !== undefined, (key) => {
      if (!key.startsWith(prefix)) return false;
      if (limit !== undefined && items.length >= limit) {
        if (this.#versionAt(key, revision)) remaining++;
      } else {
        const kv = this.#at(key, revision);
        if (kv) items.push(copyKeyValue(kv));
      }
      return true;
    });
    const last = items.at(-1);
    if (remaining === 0 || !last) return { items, revision, remaining: 0 };
    return { items, revision, remaining, continue: encodeContinue({ revision, after: last.key }) };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    const current = this.#at(key, this.#revision);
    if (current)
      throw new StorageError('KeyExists', `${key} already exists`, { key, current: copyKeyValue(current) });
    const revision = this.#revision + 1;
    const kv = { key, value: new Uint8Array(value), createRevision: revision, modRevision: revision };
    this.#commit({ type: 'ADDED', kv });
    return copyKeyValue(kv);
  }

  async update(key: string, value: Uint8Array, expectedRevision: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    checkRevisionArgument('expectedRevision', expectedRevision, 1);
    const prev = this.#current(key, expectedRevision);
    const revision = this.#revision + 1;
    const kv = {
      key,
      value: new Uint8Array(value),
      createRevision: prev.createRevision,
      modRevision: revision,
    };
    this.#commit({ type: 'MODIFIED', kv, prev });
    return copyKeyValue(kv);
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    if (expectedRevision !== undefined) checkRevisionArgument('expectedRevision', expectedRevision, 1);
    const prev = this.#current(key, expectedRevision);
    const kv = { ...prev, modRevision: this.#revision + 1 };
    this.#commit({ type: 'DELETED', kv, prev });
    return copyKeyValue(kv);
  }

  async *watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    checkRevisionArgument('fromRevision', fromRevision, 0);
    this.#ensureOpen();
    if (fromRevision < this.#compacted) throw compactedError(fromRevision, this.#compacted);
    const watcher: Watcher = { prefix, cursor: fromRevision, pending: [], ended: undefined, wake: noop };
    this.#watchers.add(watcher);
    yield* watchLoop(
      watcher,
      signal,
      () => watcher.pending.shift() ?? this.#next(watcher),
      () => this.#watchers.delete(watcher),
    );
  }

  async currentRevision(): Promise<number> {
    this.#ensureOpen();
    return this.#revision;
  }

  async compact(revision: number): Promise<void> {
    this.#ensureOpen();
    checkRevisionArgument('revision', revision, 1);
    if (revision > this.#revision) throw futureRevisionError(revision, this.#revision);
    if (revision <= this.#compacted) return;
    const dropCount = revision - this.#logBase;
    // Open watchers keep what they have not read yet: compaction only refuses new reads below the point.
    for (const watcher of this.#watchers) {
      if (watcher.cursor >= revision) continue;
      for (let i = Math.max(0, watcher.cursor - this.#logBase); i < dropCount; i++) {
        const event = this.#log[i]!;
        if (event.kv.key.startsWith(watcher.prefix)) watcher.pending.push(event);
      }
      watcher.cursor = revision;
    }
    const dropped = this.#log.splice(0, dropCount);
    this.#logBase = revision;
    this.#compacted = revision;
    for (const key of new Set(dropped.map((event) => event.kv.key))) this.#prune(key, revision);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#endWatches('storage is closed');
  }

  /** Breaks every open watch stream with Unreachable, as a lost connection would; for tests. */
  cutWatches(): void {
    this.#endWatches('watch stream cut');
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
    if (revision > this.#revision) throw futureRevisionError(revision, this.#revision);
  }

  #at(key: string, revision: number): KeyValue | undefined {
    const version = this.#versionAt(key, revision);
    if (!version?.value) return undefined;
    return {
      key,
      value: version.value,
      createRevision: version.createRevision,
      modRevision: version.modRevision,
    };
  }

  /** The version of `key` live at `revision`, if any. */
  #versionAt(key: string, revision: number): Version | undefined {
    const versions = this.#versions.get(key);
    if (!versions) return undefined;
    const latest = versions[versions.length - 1]!;
    const version = latest.modRevision <= revision ? latest : versions[countUpTo(versions, revision) - 1];
    return version?.value ? version : undefined;
  }

  #current(key: string, expectedRevision: number | undefined): KeyValue {
    const current = this.#at(key, this.#revision);
    if (!current) throw new StorageError('KeyNotFound', `${key} not found`, { key });
    if (expectedRevision !== undefined && current.modRevision !== expectedRevision) {
      throw new StorageError(
        'Conflict',
        `${key} is at revision ${current.modRevision}, not ${expectedRevision}`,
        { key, current: copyKeyValue(current) },
      );
    }
    return current;
  }

  #commit(event: WatchEvent): void {
    const { key, modRevision, createRevision } = event.kv;
    let versions = this.#versions.get(key);
    if (!versions) {
      versions = [];
      this.#versions.set(key, versions);
      this.#keys.insert(key);
    }
    const value = event.type === 'DELETED' ? undefined : event.kv.value;
    versions.push({ createRevision, modRevision, value });
    this.#log.push(event);
    this.#revision = modRevision;
    for (const watcher of this.#watchers) watcher.wake();
  }

  #next(watcher: Watcher): WatchEvent | undefined {
    for (let i = Math.max(0, watcher.cursor - this.#logBase); i < this.#log.length; i++) {
      const event = this.#log[i]!;
      if (event.kv.key.startsWith(watcher.prefix)) {
        watcher.cursor = event.kv.modRevision;
        return event;
      }
    }
    watcher.cursor = Math.max(watcher.cursor, this.#revision);
    return undefined;
  }

  /** Keeps the newest version at or below `revision` and everything after it; a deletion there is dropped. */
  #prune(key: string, revision: number): void {
    const versions = this.#versions.get(key);
    if (!versions) return;
    let keep = countUpTo(versions, revision) - 1;
    if (keep >= 0 && versions[keep]!.value === undefined) keep++;
    if (keep > 0) versions.splice(0, keep);
    if (versions.length > 0) return;
    this.#versions.delete(key);
    this.#keys.delete(key);
  }
}

/** How many versions have a modRevision at or below `revision`. */
function countUpTo(versions: readonly Version[], revision: number): number {
  let low = 0;
  let high = versions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (versions[mid]!.modRevision <= revision) low = mid + 1;
    else high = mid;
  }
  return low;
}
