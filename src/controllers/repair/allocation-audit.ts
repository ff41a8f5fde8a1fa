import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import {
  type Address,
  comparePrefixes,
  containsPrefix,
  type Prefix,
  parseAddress,
  parsePrefix,
  prefixOf,
  samePrefix,
} from '../../ipam/index.ts';

export interface AuditHolder {
  readonly name: string;
  readonly uid: string;
}

export interface AuditSubnet extends AuditHolder {
  readonly cidrBlock: string;
  /** The SubnetClaims that own it. */
  readonly claimUids: readonly string[];
}

export interface AuditAddress extends AuditHolder {
  readonly address: string;
  /** The NetworkBinding the address is assigned to. */
  readonly holder: AuditHolder;
}

/** One network as the caches show it: every object that holds or uses part of its address space. */
export interface AuditInput {
  readonly network: string;
  /** Both families' blocks, as the Network's spec lists them. */
  readonly blocks: readonly string[];
  /** The entries of the network's NetworkAllocation record. */
  readonly entries: readonly NetworkAllocationEntry[];
  readonly subnets: readonly AuditSubnet[];
  readonly claims: readonly AuditHolder[];
  readonly addresses: readonly AuditAddress[];
  readonly bindings: readonly AuditHolder[];
}

export const DUPLICATE_KINDS = [
  'OverlappingEntries',
  'OverlappingSubnets',
  'SubnetDiffersFromEntry',
  'HolderWithTwoEntries',
] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

export const OUT_OF_RANGE_KINDS = [
  'EntryOutsideNetwork',
  'SubnetOutsideNetwork',
  'AddressOutsideSubnets',
] as const;
export type OutOfRangeKind = (typeof OUT_OF_RANGE_KINDS)[number];

export interface Finding<K extends string> {
  readonly kind: K;
  readonly message: string;
}

export type Orphan =
  | { readonly kind: 'Entry'; readonly entry: NetworkAllocationEntry }
  | { readonly kind: 'Address'; readonly address: AuditAddress };

export interface NetworkAudit {
  readonly duplicates: readonly Finding<DuplicateKind>[];
  readonly outOfRange: readonly Finding<OutOfRangeKind>[];
  /** Record entries and NetworkAddresses whose holder is not among the objects given. */
  readonly orphans: readonly Orphan[];
}

/**
 * What is wrong with one network's allocations: blocks or addresses held twice, held outside the network's
 * blocks or subnets, and held for objects that no longer exist. Reads the input only; the same input in
 * any order gives the same findings.
 */
export function auditNetwork(input: AuditInput): NetworkAudit {
  const duplicates: Finding<DuplicateKind>[] = [];
  const outOfRange: Finding<OutOfRangeKind>[] = [];
  const blocks = input.blocks.flatMap((block) => parsed(parsePrefix(block)));
  const inside = (prefix: Prefix) => blocks.some((block) => containsPrefix(block, prefix));
  const range = input.blocks.length === 0 ? 'no blocks' : input.blocks.join(', ');
  const outside = (what: string, cidr: string, prefix: Prefix | undefined) =>
    prefix === undefined
      ? `${what}: ${cidr} is not a CIDR block`
      : `${what}: ${cidr} is outside network ${input.network} (${range})`;

  const entries: Placed<NetworkAllocationEntry>[] = [];
  for (const entry of inOrder(input.entries, entryOrder)) {
    const prefix = parsed(parsePrefix(entry.cidr))[0];
    if (prefix !== undefined) entries.push({ prefix, item: entry });
    if (prefix === undefined || !inside(prefix))
      outOfRange.push({
        kind: 'EntryOutsideNetwork',
        message: outside(describeEntry(entry), entry.cidr, prefix),
      });
  }
  for (const [outer, inner] of nestedPairs(entries)) {
    if (outer.uid === inner.uid) continue;
    duplicates.push({
      kind: 'OverlappingEntries',
      message: `the allocation record gives ${inner.cidr} to ${describeEntry(inner)}, which overlaps ${outer.cidr} of ${describeEntry(outer)}`,
    });
  }
  const entriesByUid = groupBy(input.entries, (entry) => entry.uid);
  for (const [uid, held] of inOrder([...entriesByUid], ([a], [b]) => compareText(a, b))) {
    if (held.length < 2) continue;
    const sorted = inOrder(held, entryOrder);
    duplicates.push({
      kind: 'HolderWithTwoEntries',
      message: `${describeEntry(sorted[0]!)} (uid ${uid}) holds ${held.length} entries in the allocation record: ${sorted.map((entry) => entry.cidr).join(', ')}`,
    });
  }

  const subnets: Placed<AuditSubnet>[] = [];
  for (const subnet of inOrder(
    input.subnets,
    (a, b) => compareText(a.name, b.name) || compareText(a.uid, b.uid),
  )) {
    const prefix = parsed(parsePrefix(subnet.cidrBlock))[0];
    if (prefix !== undefined) subnets.push({ prefix, item: subnet });
    if (prefix === undefined || !inside(prefix)) {
      const message = outside(`Subnet ${subnet.name}`, subnet.cidrBlock, prefix);
      outOfRange.push({ kind: 'SubnetOutsideNetwork', message });
    }
    for (const uid of new Set([subnet.uid, ...subnet.claimUids])) {
      for (const entry of inOrder(entriesByUid.get(uid) ?? [], entryOrder)) {
        if (sameBlock(entry.cidr, subnet.cidrBlock)) continue;
        duplicates.push({
          kind: 'SubnetDiffersFromEntry',
          message: `Subnet ${subnet.name} holds ${subnet.cidrBlock} but the allocation record gives ${describeEntry(entry)} ${entry.cidr}`,
        });
      }
    }
  }
  for (const [outer, inner] of nestedPairs(subnets)) {
    duplicates.push({
      kind: 'OverlappingSubnets',
      message: `Subnet ${inner.name} (${inner.cidrBlock}) overlaps Subnet ${outer.name} (${outer.cidrBlock})`,
    });
  }

  const subnetBlocks = new PrefixLookup(subnets.map(({ prefix }) => prefix));
  const addresses = inOrder(
    input.addresses,
    (a, b) => compareText(a.name, b.name) || compareText(a.uid, b.uid),
  );
  for (const address of addresses) {
    const value = parsed(parseAddress(address.address))[0];
    if (value !== undefined && subnetBlocks.containsAddress(value)) continue;
    const what = `NetworkAddress ${address.name} of NetworkBinding ${address.holder.name}`;
    const message =
      value === undefined
        ? `${what}: ${address.address} is not an IP address`
        : `${what}: ${address.address} is outside every Subnet of network ${input.network}`;
    outOfRange.push({ kind: 'AddressOutsideSubnets', message });
  }

  const liveHolders = new Set([
    ...input.claims.map((claim) => claim.uid),
    ...input.subnets.flatMap((subnet) => [subnet.uid, ...subnet.claimUids]),
  ]);
  const liveBindings = new Set(input.bindings.map((binding) => binding.uid));
  const orphans: Orphan[] = [
    ...inOrder(input.entries, entryOrder)
      .filter((entry) => !liveHolders.has(entry.uid))
      .map((entry) => ({ kind: 'Entry' as const, entry })),
    ...addresses
      .filter((address) => !liveBindings.has(address.holder.uid))
      .map((address) => ({ kind: 'Address' as const, address })),
  ];
  return { duplicates, outOfRange, orphans };
}

export function describeEntry(entry: NetworkAllocationEntry): string {
  return `${entry.kind} ${entry.name}`;
}

interface Placed<T> {
  readonly prefix: Prefix;
  readonly item: T;
}

/**
 * Every item that lies inside another, paired with the innermost one it lies in. CIDR blocks either nest or
 * are disjoint, so after sorting (a block before the blocks inside it) one stack of open blocks finds them.
 */
function nestedPairs<T>(placed: readonly Placed<T>[]): [T, T][] {
  const sorted = [...placed].sort((a, b) => comparePrefixes(a.prefix, b.prefix));
  const open: Placed<T>[] = [];
  const pairs: [T, T][] = [];
  for (const next of sorted) {
    while (open.length > 0 && !containsPrefix(open[open.length - 1]!.prefix, next.prefix)) open.pop();
    const outer = open[open.length - 1];
    if (outer !== undefined) pairs.push([outer.item, next.item]);
    open.push(next);
  }
  return pairs;
}

/** Whether an address lies in any of a set of blocks, looked up once per distinct prefix length. */
class PrefixLookup {
  readonly #lengths = new Map<string, Set<string>>();

  constructor(prefixes: readonly Prefix[]) {
    for (const prefix of prefixes) {
      const key = `${prefix.family}/${prefix.bits}`;
      let starts = this.#lengths.get(key);
      if (starts === undefined) {
        starts = new Set();
        this.#lengths.set(key, starts);
      }
      starts.add(String(prefix.addr));
    }
  }

  containsAddress(address: Address): boolean {
    for (const [key, starts] of this.#lengths) {
      const [family, bits] = key.split('/').map(Number);
      if (family === address.family && starts.has(String(prefixOf(address, bits!).addr))) return true;
    }
    return false;
  }
}

function parsed<T>(result: { readonly ok: true; readonly value: T } | { readonly ok: false }): T[] {
  return result.ok ? [result.value] : [];
}

function sameBlock(a: string, b: string): boolean {
  const [x, y] = [parsePrefix(a), parsePrefix(b)];
  return x.ok && y.ok ? samePrefix(x.value, y.value) : a === b;
}

function entryOrder(a: NetworkAllocationEntry, b: NetworkAllocationEntry): number {
  const [x, y] = [parsePrefix(a.cidr), parsePrefix(b.cidr)];
  const byPrefix =
    x.ok && y.ok
      ? comparePrefixes(x.value, y.value)
      : x.ok !== y.ok
        ? x.ok
          ? -1
          : 1
        : compareText(a.cidr, b.cidr);
  return byPrefix || compareText(a.uid, b.uid) || compareText(a.name, b.name);
}

function inOrder<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
