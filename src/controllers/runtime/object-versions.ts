import type { KubeObject } from '../../client/kube-object.ts';

/**
 * Whether two versions of an object differ at most in what a reconciler of its spec passes over: its status
 * and metadata other than identity, generation and deletion (a status write, a label).
 */
export function sameSpecAndLife(a: KubeObject, b: KubeObject): boolean {
  return (
    a.metadata.uid === b.metadata.uid &&
    a.metadata.generation === b.metadata.generation &&
    a.metadata.deletionTimestamp === b.metadata.deletionTimestamp
  );
}

/**
 * The reference a controller puts on what it makes for `owner` (controller-runtime's SetControllerReference):
 * the garbage collector deletes it with its owner, and foreground deletion of the owner waits for it.
 */
export function controllerReference(owner: KubeObject, kind: string) {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
