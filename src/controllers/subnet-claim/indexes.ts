import type { Network } from '../../api/network.ts';
import type { NetworkAllocation } from '../../api/network-allocation.ts';
import type { Subnet } from '../../api/subnet.ts';
import type { SubnetClaim } from '../../api/subnet-claim.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import { ensureIndex } from '../runtime/client-adapters.ts';

export type NetworkObject = Network & KubeObject;
export type ClaimObject = SubnetClaim & KubeObject;
export type SubnetObject = Subnet & KubeObject;
export type RecordObject = NetworkAllocation & KubeObject;

/** Claims and Subnets by `namespace/network`: the key of their network's allocator. */
export const BY_NETWORK = 'subnet-claim/by-network';
/** Claims by metadata.uid, the identity allocations are recorded under. */
export const CLAIM_BY_UID = 'subnet-claim/by-uid';
/** Subnets by the uid of each SubnetClaim that owns them. */
export const SUBNET_BY_CLAIM_UID = 'subnet-claim/by-claim-uid';

export const networkKeyOf = (object: ClaimObject | SubnetObject): string =>
  keyOf(object.metadata.namespace, object.spec.networkRef.name);

export const claimUidsOf = (subnet: SubnetObject): string[] =>
  (subnet.metadata.ownerReferences ?? []).filter((ref) => ref.kind === 'SubnetClaim').map((ref) => ref.uid);

export function addClaimIndexes(claims: Informer<ClaimObject>): void {
  ensureIndex(claims, BY_NETWORK, (claim) => [networkKeyOf(claim)]);
  ensureIndex(claims, CLAIM_BY_UID, (claim) => (claim.metadata.uid ? [claim.metadata.uid] : []));
}

export function addSubnetIndexes(subnets: Informer<SubnetObject>): void {
  ensureIndex(subnets, BY_NETWORK, (subnet) => [networkKeyOf(subnet)]);
  ensureIndex(subnets, SUBNET_BY_CLAIM_UID, claimUidsOf);
}

export function claimByUid(claims: Informer<ClaimObject>, uid: string): ClaimObject | undefined {
  return claims.byIndex(CLAIM_BY_UID, uid)[0];
}
