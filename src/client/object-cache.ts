import { type KubeObject, objectKey } from './kube-object.ts';

/** The values an object is filed under in one index, e.g. its network's name. */
export type IndexFunction<T> = (object: T) => readonly string[];

/** The index every cache has: objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

export type CacheChange<T> =
  | { readonly type: 'add'; readonly object: T }
  | { readonly type: 'update'; readonly old: T; readonly object: T }
  | { readonly type: 'delete'; readonly object: T };

interface Index<T> {
  readonly fn: IndexFunction<T>;
  readonly byValue: Map<string, Set<string>>;
  readonly valuesOf: Map<string, readonly string[]>;
}

/**
 * Objects by `namespace/name` with named secondary indexes. Every change is one synchronous step, so a reader
 * never sees an index out of step with the objects. Objects are shared, not copied: never mutate one.
 */
export class ObjectCache<T extends KubeObject> {
  readonly #objects = new Map<string, T>();
  readonly #indexes = new Map<string, Index<T>>();

  constructor() {
    this.addIndex(NAMESPACE_INDEX, (object) => [object.metadata.namespace ?? '']);
  }

  get size(): number {
    return this.#objects.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(namespace === undefined || namespace === '' ? name : `${namespace}/${name}`);
  }

  getByKey(key: string): T | undefined {
    return this.#objects.get(key);
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    return namespace === undefined ? [...this.#objects.values()] : this.byIndex(NAMESPACE_INDEX, namespace);
  }

  keys(): string[] {
    return [...this.#objects.keys()];
  }

  /** Adds an index over the objects already cached and every later change; a name is used once. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    if (this.#indexes.has(name)) throw new Error(`the cache already has an index named ${name}`);
    const index: Index<T> = { fn, byValue: new Map(), valuesOf: new Map() };
    const filing = [...this.#objects].map(([key, object]) => ({ key, values: valuesFor(index, object) }));
    for (const { key, values } of filing) file(index, key, values);
    this.#indexes.set(name, index);
  }

  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (index === undefined) throw new Error(`the cache has no index named ${name}`);
    const keys = index.byValue.get(value);
    return keys === undefined ? [] : [...keys].map((key) => this.#objects.get(key)!);
  }

  /** Stores the object under its key; returns what it replaced. An index function that throws changes nothing. */
  set(object: T): T | undefined {
    const key = objectKey(object);
    const filing = [...this.#indexes.values()].map((index) => ({ index, values: valuesFor(index, object) }));
    const old = this.#objects.get(key);
    this.#objects.set(key, object);
    for (const { index, values } of filing) {
      unfile(index, key);
      file(index, key, values);
    }
    return old;
  }

  /** Removes the object with this key; returns it. */
  delete(key: string): T | undefined {
    const old = this.#objects.get(key);
    if (old === undefined) return undefined;
    this.#objects.delete(key);
    for (const index of this.#indexes.values()) unfile(index, key);
    return old;
  }
}

/**
 * What turns the cached objects into `listed`: adds for new keys, updates where the resourceVersion changed,
 * deletes (with the last cached state) for keys no longer listed. Unchanged objects give nothing.
 */
export function relistChanges<T extends KubeObject>(
  cache: Pick<ObjectCache<T>, 'keys' | 'getByKey'>,
  listed: readonly T[],
): CacheChange<T>[] {
  const changes: CacheChange<T>[] = [];
  const seen = new Set<string>();
  for (const object of listed) {
    const key = objectKey(object);
    seen.add(key);
    const old = cache.getByKey(key);
    if (old === undefined) changes.push({ type: 'add', object });
    else if (old.metadata.resourceVersion !== object.metadata.resourceVersion)
      changes.push({ type: 'update', old, object });
  }
  for (const key of cache.keys()) {
    if (!seen.has(key)) changes.push({ type: 'delete', object: cache.getByKey(key)! });
  }
  return changes;
}

function valuesFor<T>(index: Index<T>, object: T): readonly string[] {
  return [...new Set(index.fn(object))];
}

function file<T>(index: Index<T>, key: string, values: readonly string[]): void {
  index.valuesOf.set(key, values);
  for (const value of values) {
    const keys = index.byValue.get(value);
    if (keys === undefined) index.byValue.set(value, new Set([key]));
    else keys.add(key);
  }
}

function unfile<T>(index: Index<T>, key: string): void {
  for (const value of index.valuesOf.get(key) ?? []) {
    const keys = index.byValue.get(value);
    keys?.delete(key);
    if (keys?.size === 0) index.byValue.delete(value);
  }
  index.valuesOf.delete(key);
}
