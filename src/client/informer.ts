import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, isGone } from './api-error.ts';
import { type KubeObject, objectKey } from './kube-object.ts';
import { type CacheChange, type IndexFunction, ObjectCache, relistChanges } from './object-cache.ts';
import type { ResourceClient, WatchEvent } from './resource-client.ts';

export interface InformerOptions {
  /** Only this namespace; absent watches every namespace. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Objects per list page. Default 500. */
  readonly pageSize?: number;
  /** How long the server keeps each watch open before the informer resumes it. Default 5–10 minutes. */
  readonly watchTimeoutSeconds?: number;
  /** Retry delays after failures: initialMs doubling to maxMs, each with jitter. Default 100 ms to 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Failures the informer recovers from by retrying, and errors thrown by handlers. Default: a process warning. */
  readonly onError?: (error: unknown) => void;
  /** In [0, 1): jitter source. */
  readonly random?: () => number;
}

export type AddHandler<T> = (object: T) => void | Promise<void>;
export type UpdateHandler<T> = (old: T, object: T) => void | Promise<void>;
export type DeleteHandler<T> = (object: T) => void | Promise<void>;

/** A watch that ends sooner than this without one event counts as a failure, so a flapping server is not hammered. */
const SHORT_WATCH_MS = 1000;

/**
 * A cache of one resource kept current by list-then-watch, as client-go's reflector: paginated list, watch
 * from its resourceVersion with bookmarks, resume from the last version seen, re-list on 410 Gone and report
 * only the differences, back off on other failures. Handlers run one at a time in event order, each awaited
 * before the next event, with the cache already showing the event; none sees an event twice or misses one.
 */
export class Informer<T extends KubeObject> {
  readonly #client: ResourceClient<T>;
  readonly #options: InformerOptions;
  readonly #cache = new ObjectCache<T>();
  readonly #adds: AddHandler<T>[] = [];
  readonly #updates: UpdateHandler<T>[] = [];
  readonly #deletes: DeleteHandler<T>[] = [];
  readonly #abort = new AbortController();
  readonly #syncWaiters = new Set<{ resolve: () => void; reject: (error: unknown) => void }>();
  #tail: Promise<void> = Promise.resolve();
  #running: Promise<void> | undefined;
  #resourceVersion: string | undefined;
  #failures = 0;
  #synced = false;
  #stopped = false;

  constructor(client: ResourceClient<T>, options: InformerOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  start(): void {
    if (this.#running !== undefined || this.#stopped) throw new Error('an informer starts once');
    this.#running = this.#run(this.#abort.signal);
  }

  /** Ends the watch and any retry wait, and resolves once the running handler (if any) has returned. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    for (const waiter of this.#syncWaiters) waiter.reject(new Error('the informer stopped before it synced'));
    await this.#running;
    await this.#tail;
  }

  /** True once the first complete list is in the cache and its add handlers have run. */
  hasSynced(): boolean {
    return this.#synced;
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return;
    if (this.#stopped) throw new Error('the informer stopped before it synced');
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => waiter.reject(signal?.reason);
      const waiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (error: unknown) => {
          done();
          reject(error);
        },
      };
      const done = (): void => {
        this.#syncWaiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#syncWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The resourceVersion the cache reflects; undefined before the first list. */
  lastSyncResourceVersion(): string | undefined {
    return this.#resourceVersion;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#cache.get(namespace, name);
  }

  getByKey(key: string): T | undefined {
    return this.#cache.getByKey(key);
  }

  list(namespace?: string): T[] {
    return this.#cache.list(namespace);
  }

  addIndex(name: string, fn: IndexFunction<T>): void {
    this.#cache.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.#cache.byIndex(name, value);
  }

  /** A handler added after objects are cached is first called once for each of them, before any later event. */
  onAdd(handler: AddHandler<T>): () => void {
    void this.#serially(async () => {
      this.#adds.push(handler);
      for (const object of this.#cache.list()) await this.#call(() => handler(object));
    });
    return () => void this.#serially(async () => remove(this.#adds, handler));
  }

  onUpdate(handler: UpdateHandler<T>): () => void {
    void this.#serially(async () => void this.#updates.push(handler));
    return () => void this.#serially(async () => remove(this.#updates, handler));
  }

  onDelete(handler: DeleteHandler<T>): () => void {
    void this.#serially(async () => void this.#deletes.push(handler));
    return () => void this.#serially(async () => remove(this.#deletes, handler));
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        if (this.#resourceVersion === undefined) await this.#relist(signal);
        await this.#watch(signal);
      } catch (error) {
        if (signal.aborted) return;
        const gone = isGone(error);
        if (gone) this.#resourceVersion = undefined;
        // The first 410 after progress re-lists at once; one straight after a fresh list waits like any failure.
        if (gone && this.#failures === 0) {
          this.#failures = 1;
          continue;
        }
        this.#report(error);
        await this.#backOff(signal);
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.#options;
    const items: T[] = [];
    let resourceVersion = '';
    let next: string | undefined;
    do {
      const page = await this.#client.list(namespace, {
        ...(labelSelector === undefined ? {} : { labelSelector }),
        ...(fieldSelector === undefined ? {} : { fieldSelector }),
        ...(next === undefined ? {} : { continue: next }),
        limit: this.#options.pageSize ?? 500,
        signal,
      });
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      next = page.continue;
    } while (next !== undefined);
    await this.#serially(() => this.#apply(relistChanges(this.#cache, items)));
    this.#resourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      for (const waiter of this.#syncWaiters) waiter.resolve();
    }
  }

  async #watch(signal: AbortSignal): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.#options;
    const random = this.#options.random ?? Math.random;
    const started = Date.now();
    let events = 0;
    await this.#client.watch(
      namespace,
      {
        allowWatchBookmarks: true,
        timeoutSeconds: this.#options.watchTimeoutSeconds ?? Math.floor(300 * (1 + random())),
        ...(this.#resourceVersion === undefined ? {} : { resourceVersion: this.#resourceVersion }),
        ...(labelSelector === undefined ? {} : { labelSelector }),
        ...(fieldSelector === undefined ? {} : { fieldSelector }),
      },
      async (event) => {
        events++;
        await this.#onEvent(event);
      },
      signal,
    );
    if (signal.aborted) return;
    if (events === 0 && Date.now() - started < SHORT_WATCH_MS)
      throw new Error(`the watch of ${this.#client.resource.plural} ended at once without an event`);
    this.#failures = 0;
  }

  async #onEvent(event: WatchEvent<T>): Promise<void> {
    switch (event.type) {
      case 'ERROR':
        throw new ApiError(event.object);
      case 'BOOKMARK':
        this.#resourceVersion = event.object.metadata.resourceVersion;
        break;
      case 'ADDED':
      case 'MODIFIED':
        await this.#serially(() => this.#apply([this.#upsert(event.object)]));
        this.#resourceVersion = event.object.metadata.resourceVersion;
        break;
      case 'DELETED':
        await this.#serially(() => this.#apply(this.#removal(event.object)));
        this.#resourceVersion = event.object.metadata.resourceVersion;
        break;
    }
    this.#failures = 0;
  }

  #upsert(object: T): CacheChange<T> {
    const old = this.#cache.getByKey(objectKey(object));
    return old === undefined ? { type: 'add', object } : { type: 'update', old, object };
  }

  /** A delete of an object the cache never had (it came and went while unwatched) reports nothing. */
  #removal(object: T): CacheChange<T>[] {
    return this.#cache.getByKey(objectKey(object)) === undefined ? [] : [{ type: 'delete', object }];
  }

  async #apply(changes: readonly CacheChange<T>[]): Promise<void> {
    for (const change of changes) {
      switch (change.type) {
        case 'add':
          this.#cache.set(change.object);
          for (const handler of [...this.#adds]) await this.#call(() => handler(change.object));
          break;
        case 'update':
          this.#cache.set(change.object);
          if (change.old.metadata.resourceVersion === change.object.metadata.resourceVersion) break;
          for (const handler of [...this.#updates])
            await this.#call(() => handler(change.old, change.object));
          break;
        case 'delete':
          this.#cache.delete(objectKey(change.object));
          for (const handler of [...this.#deletes]) await this.#call(() => handler(change.object));
          break;
      }
    }
  }

  /** Runs cache work and handlers strictly one after another; never rejects (failures are reported). */
  #serially(task: () => Promise<void>): Promise<void> {
    this.#tail = this.#tail.then(task).catch((error: unknown) => this.#report(error));
    return this.#tail;
  }

  async #call(handler: () => void | Promise<void>): Promise<void> {
    try {
      await handler();
    } catch (error) {
      this.#report(
        new Error(`an informer handler for ${this.#client.resource.plural} failed`, { cause: error }),
      );
    }
  }

  async #backOff(signal: AbortSignal): Promise<void> {
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 100, maxMs: 30_000 };
    const random = this.#options.random ?? Math.random;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    try {
      await sleep(ceiling / 2 + (random() * ceiling) / 2, undefined, { signal });
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  #report(error: unknown): void {
    if (this.#options.onError !== undefined) this.#options.onError(error);
    else process.emitWarning(`informer of ${this.#client.resource.plural}: ${String(error)}`);
  }
}

function remove<H>(handlers: H[], handler: H): void {
  const at = handlers.indexOf(handler);
  if (at >= 0) handlers.splice(at, 1);
}
