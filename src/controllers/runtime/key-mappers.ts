import { keyOf, type ObjectLike, objectKey } from './object-key.ts';

/** Which keys an event about `object` should enqueue. */
export type KeyMapper<T> = (object: T) => Iterable<string>;

/** The object's own key. */
export const byObjectKey: KeyMapper<ObjectLike> = (object) => [objectKey(object)];

export interface OwnerMapperOptions {
  /** Only owners of this API group ('' for the core group). */
  readonly group?: string;
  /** Only the owner marked controller=true. */
  readonly controllerOnly?: boolean;
}

/** The keys of the object's owners of `kind`; owners of namespaced objects share their namespace. */
export function byOwner(kind: string, options: OwnerMapperOptions = {}): KeyMapper<ObjectLike> {
  return (object) => {
    const keys: string[] = [];
    for (const ref of object.metadata?.ownerReferences ?? []) {
      if (ref.kind !== kind) continue;
      if (options.group !== undefined && groupOf(ref.apiVersion) !== options.group) continue;
      if (options.controllerOnly && ref.controller !== true) continue;
      keys.push(keyOf(object.metadata?.namespace, ref.name));
    }
    return keys;
  };
}

/** The part of a cache that finds objects by an index value (client-go's Indexer.ByIndex). */
export interface IndexReader<T> {
  byIndex(indexName: string, value: string): readonly T[];
}

/**
 * The keys of the objects `index` files under the values `valuesOf` gives for the changed object, e.g. a
 * Network's `namespace/name` → every SubnetClaim whose networkRef names it.
 */
export function byIndex<S, T extends ObjectLike>(
  index: IndexReader<T>,
  indexName: string,
  valuesOf: (object: S) => Iterable<string>,
): KeyMapper<S> {
  return (object) => {
    const keys = new Set<string>();
    for (const value of valuesOf(object)) {
      for (const found of index.byIndex(indexName, value)) keys.add(objectKey(found));
    }
    return keys;
  };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
