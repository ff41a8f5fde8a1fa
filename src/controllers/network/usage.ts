import type { Network } from '../../api/network.ts';
import { createPrefixPool, formatPrefix, type Prefix, parsePrefix } from '../../ipam/index.ts';

type FamilyUsage = NonNullable<NonNullable<Network['status']>['ipv4']>;

export interface SubnetRange {
  /** Who holds the range, for messages: namespace/name of the Subnet. */
  readonly owner: string;
  readonly cidr: string;
}

export interface NetworkUsage {
  readonly ipv4?: FamilyUsage;
  readonly ipv6?: FamilyUsage;
  /** Subnets that do not fit: outside every block, or overlapping an earlier one. */
  readonly problems: readonly string[];
}

/**
 * How much of each family's blocks the network's subnets take: size, allocated, available and the largest
 * free prefix, computed by the same allocator that hands subnets out. Counts beyond 2^53 (IPv6) are decimal
 * strings, as Kubernetes' int-or-string quantities are.
 */
export function networkUsage(network: Network, subnets: readonly SubnetRange[]): NetworkUsage {
  const problems: string[] = [];
  const family = (blocks: readonly string[] | undefined, version: 4 | 6): FamilyUsage | undefined => {
    const prefixes = (blocks ?? []).map((text) => parsePrefix(text)).flatMap((p) => (p.ok ? [p.value] : []));
    if (prefixes.length === 0) return undefined;
    const built = createPrefixPool(prefixes);
    if (!built.ok) {
      problems.push(built.message);
      return undefined;
    }
    const ranges = subnets
      .map((subnet) => ({ subnet, parsed: parsePrefix(subnet.cidr) }))
      .flatMap(({ subnet, parsed }) =>
        parsed.ok && parsed.value.family === version ? [{ subnet, prefix: parsed.value }] : [],
      )
      .sort((a, b) => a.subnet.owner.localeCompare(b.subnet.owner));
    for (const { subnet, prefix } of ranges) {
      const reserved = built.pool.reserve(prefix as Prefix, subnet.owner);
      if (!reserved.ok)
        problems.push(`subnet ${subnet.owner} (${formatPrefix(prefix)}): ${reserved.message}`);
    }
    const stats = built.pool.stats();
    return {
      size: count(stats.size),
      allocated: count(stats.allocated),
      available: count(stats.available),
      ...(stats.largestFreeBits === null ? {} : { largestFreePrefix: stats.largestFreeBits }),
    };
  };
  const ipv4 = family(network.spec.ipv4Blocks, 4);
  const ipv6 = family(network.spec.ipv6Blocks, 6);
  return { ...(ipv4 === undefined ? {} : { ipv4 }), ...(ipv6 === undefined ? {} : { ipv6 }), problems };
}

function count(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
