import type { Network } from '../../api/network.ts';
import type { NetworkAddress } from '../../api/network-address.ts';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Subnet } from '../../api/subnet.ts';
import type { Workload } from '../../api/workload.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import { ensureIndex } from '../runtime/client-adapters.ts';

export type NetworkObject = Network & KubeObject;
export type SubnetObject = Subnet & KubeObject;
export type BindingObject = NetworkBinding & KubeObject;
export type AddressObject = NetworkAddress & KubeObject;
export type WorkloadObject = Workload & KubeObject;

/** Bindings and Subnets by `namespace/network`. */
export const BY_NETWORK = 'network-binding/by-network';
/** NetworkAddresses by the uid of the binding holding them. */
export const ADDRESS_BY_HOLDER = 'network-binding/address-by-holder';
/** NetworkAddresses by `namespace/subnet`. */
export const ADDRESS_BY_SUBNET = 'network-binding/address-by-subnet';

export function addIndexes(
  bindings: Informer<BindingObject>,
  subnets: Informer<SubnetObject>,
  addresses: Informer<AddressObject>,
): void {
  ensureIndex(bindings, BY_NETWORK, (b) => [keyOf(b.metadata.namespace, b.spec.networkRef.name)]);
  ensureIndex(subnets, BY_NETWORK, (s) => [keyOf(s.metadata.namespace, s.spec.networkRef.name)]);
  ensureIndex(addresses, ADDRESS_BY_HOLDER, (a) => [a.spec.holder.uid]);
  ensureIndex(addresses, ADDRESS_BY_SUBNET, (a) => [keyOf(a.metadata.namespace, a.spec.subnetRef.name)]);
}
