import type { AllocationHolderKind, NetworkAllocationEntry } from '../../api/network-allocation.ts';
import type { SubnetClaimReason } from '../../api/subnet-claim.ts';
import {
  type Allocation,
  comparePrefixes,
  createPrefixPool,
  type Family,
  formatPrefix,
  type PoolStats,
  type Prefix,
  type PrefixPool,
  parsePrefix,
} from '../../ipam/index.ts';

export interface PlanNetwork {
  readonly name: string;
  /** Both families' blocks, as the Network's spec lists them. */
  readonly blocks: readonly string[];
}

export interface PlanClaim {
  readonly name: string;
  readonly uid: string;
  readonly family: Family;
  readonly prefixLength: number;
  /** spec.cidrBlock: this block or none. */
  readonly cidrBlock?: string | undefined;
  /** status.cidrBlock: what the claim held before its entry was lost, taken again if still free. */
  readonly previousCidr?: string | undefined;
}

export interface PlanSubnet {
  readonly name: string;
  readonly uid: string;
  readonly cidrBlock: string;
  /** The SubnetClaims that own it; none for a Subnet written by hand, which holds its block as its own entry. */
  readonly claimUids: readonly string[];
}

export interface PlanInput {
  /** Absent while the network does not exist or is being deleted: nothing is allocated, entries are still freed. */
  readonly network: PlanNetwork | undefined;
  readonly entries: readonly NetworkAllocationEntry[];
  /** Claims waiting for a block, in creation order (the order they are served in). */
  readonly pending: readonly PlanClaim[];
  /** Holders (by uid) whose blocks are to be freed. */
  readonly releasable: ReadonlySet<string>;
  /**
   * The network's Subnets, in creation order. Those written by hand that have no entry are reserved, before the
   * claims are served; the others the record does not hold are in use all the same.
   */
  readonly subnets: readonly PlanSubnet[];
}

export type AllocationFailureReason = Extract<
  SubnetClaimReason,
  'InsufficientCapacity' | 'Overlaps' | 'OutsideNetwork' | 'PrefixLengthOutOfRange' | 'FamilyNotInNetwork'
>;

export interface AllocationFailure {
  readonly reason: AllocationFailureReason;
  readonly message: string;
}

export interface AllocationPlan {
  /** What the record holds after the plan, in address order. */
  readonly entries: readonly NetworkAllocationEntry[];
  /** Blocks given to claims. */
  readonly allocated: readonly NetworkAllocationEntry[];
  /** Blocks of Subnets written by hand, taken as written. */
  readonly reserved: readonly NetworkAllocationEntry[];
  readonly released: readonly NetworkAllocationEntry[];
  /** Why each pending claim, or Subnet written by hand, that got no block got none, by uid. */
  readonly failures: ReadonlyMap<string, AllocationFailure>;
  /** Each family's pool after the plan; empty when no pool was built. */
  readonly usage: ReadonlyMap<Family, PoolStats>;
  /** Blocks the record or the Subnets hold that no pool could (outside the network, overlapping). */
  readonly problems: readonly string[];
}

/**
 * Blocks parsed once for every round: a round reads every entry of the record, the same strings each time,
 * and parsing was most of its cost. Prefixes are immutable, so rounds share them.
 */
const PARSED = new Map<string, Prefix>();
const MAX_PARSED = 200_000;

/**
 * One allocation round for one network, from the record as read: frees the releasable entries, reserves the
 * blocks of Subnets written by hand that lie inside the network and overlap no entry, then serves the
 * pending claims in order — the explicit cidrBlock, else the block of a Subnet the claim already owns, else
 * the block it held before, else the smallest free aligned block, lowest first. Never gives a claim that
 * already has an entry a second one, and never returns overlapping entries.
 */
export function planAllocations(input: PlanInput): AllocationPlan {
  const released = input.entries.filter((entry) => input.releasable.has(entry.uid));
  const kept =
    released.length === 0 ? input.entries : input.entries.filter((e) => !input.releasable.has(e.uid));
  const served = new Set(kept.map((entry) => entry.uid));
  const pending: PlanClaim[] = [];
  for (const claim of input.pending) {
    if (served.has(claim.uid)) continue;
    served.add(claim.uid);
    pending.push(claim);
  }
  const written = input.subnets.filter((subnet) => subnet.claimUids.length === 0 && !served.has(subnet.uid));
  const network = input.network;
  if (network === undefined || (pending.length === 0 && written.length === 0 && released.length === 0)) {
    const none = { allocated: [], reserved: [], failures: new Map(), usage: new Map(), problems: [] };
    return { entries: kept, released, ...none };
  }
  const space = new AddressSpace(network, kept, input.subnets, new Set(pending.map((claim) => claim.uid)));
  const reserved: NetworkAllocationEntry[] = [];
  const allocated: NetworkAllocationEntry[] = [];
  const failures = new Map<string, AllocationFailure>();
  // A written Subnet names the one block it can have, where most claims could take any: served first, a claim
  // of the same round never lands on it.
  for (const subnet of written) {
    const result = space.reserveSubnet(subnet);
    if (typeof result === 'string') {
      reserved.push({ cidr: result, kind: 'Subnet', name: subnet.name, uid: subnet.uid });
    } else {
      failures.set(subnet.uid, result);
    }
  }
  for (const claim of pending) {
    const result = space.serve(claim);
    if (typeof result === 'string') {
      allocated.push({ cidr: result, kind: 'SubnetClaim', name: claim.name, uid: claim.uid });
    } else {
      failures.set(claim.uid, result);
    }
  }
  return {
    entries: space.sorted([...kept, ...reserved, ...allocated]),
    allocated,
    reserved,
    released,
    failures,
    usage: space.usage(),
    problems: space.problems,
  };
}

/** The network's pools, one per family, with who holds what so refusals can name the holder. */
class AddressSpace {
  readonly problems: string[] = [];
  readonly #network: PlanNetwork;
  readonly #pools = new Map<Family, PrefixPool>();
  readonly #holders = new Map<string, string>();
  readonly #ownedSubnets = new Map<string, PlanSubnet>();

  constructor(
    network: PlanNetwork,
    entries: readonly NetworkAllocationEntry[],
    subnets: readonly PlanSubnet[],
    pending: ReadonlySet<string>,
  ) {
    this.#network = network;
    const blocks = new Map<Family, Prefix[]>();
    for (const block of network.blocks) {
      const prefix = this.#parse(block);
      if (prefix === undefined) this.problems.push(`the network's block ${block} is not a CIDR`);
      else listOf(blocks, prefix.family).push(prefix);
    }
    const held = new Map<Family, Allocation[]>();
    const hold = (cidr: string, owner: string, kind: AllocationHolderKind, name: string): void => {
      const prefix = this.#parse(cidr);
      if (prefix === undefined) {
        this.problems.push(`${cidr} (${kind} ${name}) is not a CIDR`);
        return;
      }
      this.#holders.set(owner, `${kind} ${name}`);
      listOf(held, prefix.family).push({ prefix, owner });
    };
    for (const entry of entries) hold(entry.cidr, entry.uid, entry.kind, entry.name);
    const recorded = new Set(entries.map((entry) => entry.cidr));
    for (const subnet of subnets) {
      const owner = subnet.claimUids.find((uid) => pending.has(uid));
      if (owner !== undefined) {
        // A pending claim's own Subnet: the claim adopts its block below rather than colliding with it.
        if (!this.#ownedSubnets.has(owner) || subnet.name === this.#ownedSubnets.get(owner)?.name)
          this.#ownedSubnets.set(owner, subnet);
      } else if (subnet.claimUids.length > 0 && !recorded.has(subnet.cidrBlock)) {
        hold(subnet.cidrBlock, `Subnet/${subnet.uid}`, 'Subnet', subnet.name);
      }
    }
    for (const [family, familyBlocks] of blocks) {
      const built = createPrefixPool(familyBlocks, held.get(family) ?? []);
      if (!built.ok) {
        this.problems.push(built.message);
        continue;
      }
      this.#pools.set(family, built.pool);
      for (const conflict of built.conflicts) {
        const { prefix, owner } = conflict.allocation;
        this.problems.push(`${formatPrefix(prefix)} (${this.#holders.get(owner)}): ${conflict.reason}`);
      }
    }
    for (const [family, allocations] of held) {
      if (this.#pools.has(family)) continue;
      for (const { prefix, owner } of allocations) {
        this.problems.push(
          `${formatPrefix(prefix)} (${this.#holders.get(owner)}): the network has no IPv${family} blocks`,
        );
      }
    }
  }

  /** The Subnet's own block, or why it cannot have it. */
  reserveSubnet(subnet: PlanSubnet): string | AllocationFailure {
    const prefix = this.#parse(subnet.cidrBlock);
    if (prefix === undefined) {
      return { reason: 'OutsideNetwork', message: `${subnet.cidrBlock} is not a CIDR block` };
    }
    const pool = this.#pools.get(prefix.family);
    if (pool === undefined) {
      return {
        reason: 'FamilyNotInNetwork',
        message: `${subnet.cidrBlock} is IPv${prefix.family}; network ${this.#network.name} has no IPv${prefix.family} blocks`,
      };
    }
    return this.#held(this.#reserve(pool, subnet.cidrBlock, subnet.uid), subnet.uid, `Subnet ${subnet.name}`);
  }

  /** The block given to the claim, or why there is none. */
  serve(claim: PlanClaim): string | AllocationFailure {
    return this.#held(this.#serve(claim), claim.uid, `SubnetClaim ${claim.name}`);
  }

  #serve(claim: PlanClaim): string | AllocationFailure {
    const pool = this.#pools.get(claim.family);
    if (pool === undefined) {
      return {
        reason: 'FamilyNotInNetwork',
        message: `network ${this.#network.name} has no IPv${claim.family} blocks`,
      };
    }
    if (claim.cidrBlock !== undefined) return this.#reserve(pool, claim.cidrBlock, claim.uid);
    const owned = this.#ownedSubnets.get(claim.uid);
    if (owned !== undefined) return this.#reserve(pool, owned.cidrBlock, claim.uid);
    if (claim.previousCidr !== undefined) {
      const again = this.#reserve(pool, claim.previousCidr, claim.uid);
      if (typeof again === 'string') return again;
    }
    const result = pool.allocate(claim.prefixLength, claim.uid);
    if (result.ok) return formatPrefix(result.prefix);
    const reason: AllocationFailureReason =
      result.reason === 'InvalidPrefixLength' || result.reason === 'TooLarge'
        ? 'PrefixLengthOutOfRange'
        : 'InsufficientCapacity';
    return { reason, message: `network ${this.#network.name}: ${result.message}` };
  }

  /** Names the holder of a block given in this round, so a later refusal in the round can name it. */
  #held(result: string | AllocationFailure, uid: string, holder: string): string | AllocationFailure {
    if (typeof result === 'string') this.#holders.set(uid, holder);
    return result;
  }

  usage(): Map<Family, PoolStats> {
    return new Map([...this.#pools].map(([family, pool]) => [family, pool.stats()]));
  }

  sorted(entries: readonly NetworkAllocationEntry[]): NetworkAllocationEntry[] {
    const order = (entry: NetworkAllocationEntry): Prefix | undefined => this.#parse(entry.cidr);
    return [...entries].sort((a, b) => {
      const pa = order(a);
      const pb = order(b);
      if (pa === undefined || pb === undefined) return pa === pb ? a.cidr.localeCompare(b.cidr) : pa ? -1 : 1;
      return comparePrefixes(pa, pb);
    });
  }

  #reserve(pool: PrefixPool, cidr: string, uid: string): string | AllocationFailure {
    const prefix = this.#parse(cidr);
    if (prefix === undefined) return { reason: 'OutsideNetwork', message: `${cidr} is not a CIDR block` };
    const result = pool.reserve(prefix, uid);
    if (result.ok) return formatPrefix(prefix);
    switch (result.reason) {
      case 'WrongFamily':
        return {
          reason: 'FamilyNotInNetwork',
          message: `${cidr} is IPv${prefix.family}; network ${this.#network.name} has no IPv${prefix.family} blocks`,
        };
      case 'OutsidePool':
        return {
          reason: 'OutsideNetwork',
          message: `${cidr} is outside network ${this.#network.name} (${pool.blocks.map(formatPrefix).join(', ')})`,
        };
      case 'Overlaps': {
        const holder = result.holder;
        const who =
          holder === undefined ? 'another holder' : (this.#holders.get(holder.owner) ?? holder.owner);
        const held = holder === undefined ? undefined : formatPrefix(holder.prefix);
        return {
          reason: 'Overlaps',
          message:
            held === undefined || held === cidr
              ? `${cidr} is already allocated to ${who}`
              : `${cidr} overlaps ${held}, which is allocated to ${who}`,
        };
      }
    }
  }

  #parse(cidr: string): Prefix | undefined {
    let prefix = PARSED.get(cidr);
    if (prefix === undefined) {
      const parsed = parsePrefix(cidr);
      if (!parsed.ok) return undefined;
      prefix = parsed.value;
      if (PARSED.size >= MAX_PARSED) PARSED.clear();
      PARSED.set(cidr, prefix);
    }
    return prefix;
  }
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}
