import type { KindDefinition } from '../api/kind.ts';
import type { ObjectMeta } from '../api/object-meta.ts';

/** What the client needs of any object: its type and metadata; the rest is the kind's business. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** One REST resource of one API group version. */
export interface ApiResource {
  /** '' for the core group (/api/v1). */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** nso's own kinds are all namespaced. */
export function apiResourceOf(kind: KindDefinition): ApiResource {
  return { group: kind.group, version: kind.version, plural: kind.plural, kind: kind.kind, namespaced: true };
}

/** `namespace/name`, or `name` for a cluster-scoped object, as client-go's MetaNamespaceKeyFunc. */
export function objectKey(object: {
  readonly metadata?: { readonly namespace?: string | undefined; readonly name?: string | undefined };
}): string {
  return keyOf(object.metadata?.namespace, object.metadata?.name ?? '');
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of keyOf: a key without a slash is a cluster-scoped name. */
export function splitKey(key: string): { readonly namespace: string | undefined; readonly name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
