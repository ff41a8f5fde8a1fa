import type { NetworkAddress } from '../../api/network-address.ts';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { NetworkContext } from '../../api/network-context.ts';
import type { Subnet } from '../../api/subnet.ts';
import type { SubnetClaim } from '../../api/subnet-claim.ts';
import type { KubeObject } from '../../client/kube-object.ts';

/** Everything of one network that must be gone before the network may go. */
export interface NetworkDependents {
  readonly contexts: readonly (NetworkContext & KubeObject)[];
  readonly claims: readonly (SubnetClaim & KubeObject)[];
  readonly subnets: readonly (Subnet & KubeObject)[];
  readonly bindings: readonly (NetworkBinding & KubeObject)[];
  readonly addresses: readonly (NetworkAddress & KubeObject)[];
}

/** The kinds that reference a network by spec.networkRef and are deleted with it. */
export type DependentKind = Exclude<keyof NetworkDependents, 'addresses'>;
export type DependentCounts = { readonly [K in DependentKind]: number };

const NOUNS: { readonly [K in DependentKind]: readonly [string, string] } = {
  claims: ['subnet claim', 'subnet claims'],
  subnets: ['subnet', 'subnets'],
  bindings: ['binding', 'bindings'],
  contexts: ['context', 'contexts'],
};

/** Contexts, claims, subnets and bindings still present, being deleted or not. */
export function holdersLeft(dependents: NetworkDependents): number {
  const { contexts, claims, subnets, bindings } = dependents;
  return contexts.length + claims.length + subnets.length + bindings.length;
}

/** Addresses whose holding binding is not among the dependents: nothing else will ever free them. */
export function orphanAddresses(dependents: NetworkDependents): (NetworkAddress & KubeObject)[] {
  const holders = new Set(dependents.bindings.map((binding) => binding.metadata.uid));
  return dependents.addresses.filter((address) => !holders.has(address.spec.holder.uid));
}

/** The objects a cascade deletes: those not being deleted already. */
export function undeleted<T extends KubeObject>(objects: readonly T[]): T[] {
  return objects.filter((object) => object.metadata.deletionTimestamp === undefined);
}

/** "deleting 2 subnet claims, 1 binding", or undefined when nothing new was deleted. */
export function deletingMessage(counts: DependentCounts): string | undefined {
  const kinds = Object.keys(NOUNS) as DependentKind[];
  const parts = kinds
    .filter((kind) => counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${NOUNS[kind][counts[kind] === 1 ? 0 : 1]}`);
  return parts.length === 0 ? undefined : `deleting ${parts.join(', ')}`;
}
