import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import { ensureIndex } from '../runtime/client-adapters.ts';

/** Claims, Subnets, bindings and NetworkAddresses by `namespace/network`. */
export const BY_NETWORK = 'repair/by-network';

interface InNetwork extends KubeObject {
  readonly spec: { readonly networkRef: { readonly name: string } };
}

export function addNetworkIndex<T extends InNetwork>(informer: Informer<T>): void {
  ensureIndex(informer, BY_NETWORK, (object) => [
    keyOf(object.metadata.namespace, object.spec.networkRef.name),
  ]);
}
