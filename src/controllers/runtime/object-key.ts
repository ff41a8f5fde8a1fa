import type { ObjectMeta } from '../../api/object-meta.ts';

export { keyOf, objectKey, splitKey } from '../../client/kube-object.ts';

/** Just the metadata the runtime reads from any Kubernetes object. */
export interface ObjectLike {
  readonly metadata?: Readonly<Pick<ObjectMeta, 'name' | 'namespace' | 'ownerReferences'>>;
}
