import type { KubeObject } from '../../client/kube-object.ts';

/** Held by every claim that may have a block, so its block is freed before the claim goes. */
export const SUBNET_CLAIM_FINALIZER = 'networking.datumapis.com/subnet-allocation';

export function hasFinalizer(object: KubeObject): boolean {
  return object.metadata.finalizers?.includes(SUBNET_CLAIM_FINALIZER) ?? false;
}

export function withFinalizer<T extends KubeObject>(object: T): T {
  const finalizers = [...(object.metadata.finalizers ?? []), SUBNET_CLAIM_FINALIZER];
  return { ...object, metadata: { ...object.metadata, finalizers } };
}

export function withoutFinalizer<T extends KubeObject>(object: T): T {
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== SUBNET_CLAIM_FINALIZER);
  return { ...object, metadata: { ...object.metadata, finalizers } };
}
