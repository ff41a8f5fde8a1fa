import type { ObjectMeta } from '../../api/object-meta.ts';

/** Just the metadata the runtime reads from any Kubernetes object. */
export interface ObjectLike {
  readonly metadata?: Readonly<Pick<ObjectMeta, 'name' | 'namespace' | 'ownerReferences'>>;
}

/** client-go's MetaNamespaceKeyFunc: `namespace/name`, or `name` for a cluster-scoped object. */
export function objectKey(object: ObjectLike): string {
  return keyOf(object.metadata?.namespace, object.metadata?.name ?? '');
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { readonly namespace: string | undefined; readonly name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
