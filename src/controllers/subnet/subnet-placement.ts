import type { Network } from '../../api/network.ts';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import type { Subnet, SubnetReason } from '../../api/subnet.ts';
import { containsPrefix, formatPrefix, overlaps, parsePrefix } from '../../ipam/index.ts';

/** Where a Subnet stands in its network's allocation record, from which its phase and Ready condition follow. */
export type SubnetPlacement =
  | { readonly kind: 'Held' }
  | { readonly kind: 'Waiting'; readonly message: string }
  | {
      readonly kind: 'Refused';
      readonly reason: Extract<
        SubnetReason,
        'NetworkNotFound' | 'OutsideNetwork' | 'Overlaps' | 'FamilyNotInNetwork'
      >;
      readonly message: string;
    };

export const HELD: SubnetPlacement = { kind: 'Held' };

/**
 * A Subnet's placement: one a SubnetClaim owns holds the block its claim was given; one written by hand holds
 * its block only once the record has an entry for its uid and that block. Until then it waits for the
 * allocator, or is refused for what the allocator would refuse it for.
 */
export function subnetPlacement(
  subnet: Subnet,
  network: Network | undefined,
  entries: readonly NetworkAllocationEntry[],
): SubnetPlacement {
  if ((subnet.metadata.ownerReferences ?? []).some((ref) => ref.kind === 'SubnetClaim')) return HELD;
  const cidr = subnet.spec.cidrBlock;
  const networkName = subnet.spec.networkRef.name;
  if (network === undefined || network.metadata.deletionTimestamp !== undefined) {
    const why =
      network === undefined
        ? `does not exist in namespace ${subnet.metadata.namespace ?? 'default'}`
        : 'is being deleted';
    return { kind: 'Refused', reason: 'NetworkNotFound', message: `network ${networkName} ${why}` };
  }
  const uid = subnet.metadata.uid;
  if (entries.some((entry) => entry.uid === uid && entry.cidr === cidr)) return HELD;
  const parsed = parsePrefix(cidr);
  if (!parsed.ok)
    return { kind: 'Refused', reason: 'OutsideNetwork', message: `${cidr} is not a CIDR block` };
  const prefix = parsed.value;
  const blocks = [...(network.spec.ipv4Blocks ?? []), ...(network.spec.ipv6Blocks ?? [])].flatMap((block) => {
    const each = parsePrefix(block);
    return each.ok && each.value.family === prefix.family ? [each.value] : [];
  });
  if (blocks.length === 0) {
    return {
      kind: 'Refused',
      reason: 'FamilyNotInNetwork',
      message: `${cidr} is IPv${prefix.family}; network ${networkName} has no IPv${prefix.family} blocks`,
    };
  }
  if (!blocks.some((block) => containsPrefix(block, prefix))) {
    return {
      kind: 'Refused',
      reason: 'OutsideNetwork',
      message: `${cidr} is outside network ${networkName} (${blocks.map(formatPrefix).join(', ')})`,
    };
  }
  for (const entry of entries) {
    // An earlier Subnet of this name is gone, names being unique: the allocator frees its entry.
    if (entry.uid === uid || (entry.kind === 'Subnet' && entry.name === subnet.metadata.name)) continue;
    const held = parsePrefix(entry.cidr);
    if (!held.ok || !overlaps(held.value, prefix)) continue;
    const who = `${entry.kind} ${entry.name}`;
    return {
      kind: 'Refused',
      reason: 'Overlaps',
      message:
        entry.cidr === cidr
          ? `${cidr} is already allocated to ${who}`
          : `${cidr} overlaps ${entry.cidr}, which is allocated to ${who}`,
    };
  }
  return {
    kind: 'Waiting',
    message: `waiting for the allocator to reserve ${cidr} in network ${networkName}`,
  };
}
