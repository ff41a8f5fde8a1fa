import type { KubeObject } from '../../client/kube-object.ts';

/** Held by every binding that may have an address, so the address is freed before the binding goes. */
export const NETWORK_BINDING_FINALIZER = 'networking.datumapis.com/address-allocation';

export function hasFinalizer(object: KubeObject): boolean {
  return object.metadata.finalizers?.includes(NETWORK_BINDING_FINALIZER) ?? false;
}

export function withFinalizer<T extends KubeObject>(object: T): T {
  const finalizers = [...(object.metadata.finalizers ?? []), NETWORK_BINDING_FINALIZER];
  return { ...object, metadata: { ...object.metadata, finalizers } };
}

export function withoutFinalizer<T extends KubeObject>(object: T): T {
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== NETWORK_BINDING_FINALIZER);
  return { ...object, metadata: { ...object.metadata, finalizers } };
}
