import { type Family, familyBits } from './address.ts';
import { type BlockKey, type BlockSpace, ipv4Space, ipv6Space } from './block-space.ts';
import { MinHeap } from './min-heap.ts';
import { comparePrefixes, formatPrefix, lastAddress, type Prefix, parsePrefix } from './prefix.ts';

export interface Allocation {
  readonly prefix: Prefix;
  /** Opaque to the pool: whoever holds the block, e.g. a claim's UID. */
  readonly owner: string;
}

export type AllocateResult =
  | { readonly ok: true; readonly prefix: Prefix }
  | {
      readonly ok: false;
      readonly reason: 'InvalidPrefixLength' | 'TooLarge' | 'Exhausted' | 'Fragmented';
      readonly message: string;
    };

export type ReserveResult =
  | { readonly ok: true; readonly prefix: Prefix }
  | {
      readonly ok: false;
      readonly reason: 'WrongFamily' | 'OutsidePool' | 'Overlaps';
      readonly message: string;
      readonly holder?: Allocation;
    };

export type ReleaseResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'NotAllocated' | 'NotOwner'; readonly message: string };

export interface PoolStats {
  readonly size: bigint;
  readonly allocated: bigint;
  readonly available: bigint;
  readonly allocations: number;
  /** The prefix length of the largest free block, or null when the pool is full. */
  readonly largestFreeBits: number | null;
}

/** Plain data: JSON-serialisable (canonical CIDR text), and enough to rebuild an identical pool. */
export interface PoolSnapshot {
  readonly family: Family;
  readonly blocks: readonly string[];
  readonly allocations: readonly { readonly cidr: string; readonly owner: string }[];
}

export interface RebuildConflict {
  readonly allocation: Allocation;
  readonly reason: 'WrongFamily' | 'OutsidePool' | 'Overlaps';
  readonly message: string;
}

/**
 * Subnet allocation over one family of a network's blocks. Every allocated block is aligned, inside the pool,
 * and disjoint from every other; allocate() picks the smallest free block that fits, lowest address first.
 */
export interface PrefixPool {
  readonly family: Family;
  readonly blocks: readonly Prefix[];
  allocate(bits: number, owner: string): AllocateResult;
  reserve(prefix: Prefix, owner: string): ReserveResult;
  release(prefix: Prefix, owner?: string): ReleaseResult;
  ownerOf(prefix: Prefix): string | undefined;
  /** The allocation that contains or lies inside `prefix`, if any. */
  holderOf(prefix: Prefix): Allocation | undefined;
  allocations(): Allocation[];
  stats(): PoolStats;
  snapshot(): PoolSnapshot;
}

export type PoolResult =
  | { readonly ok: true; readonly pool: PrefixPool; readonly conflicts: readonly RebuildConflict[] }
  | { readonly ok: false; readonly message: string };

/**
 * Builds a pool over `blocks` (one family, not overlapping) holding `allocations`, in O(n log n).
 * Allocations that cannot be held (overlapping an earlier one in address order, outside the pool, wrong family)
 * are left out and reported as conflicts, never dropped silently.
 */
export function createPrefixPool(
  blocks: readonly Prefix[],
  allocations: readonly Allocation[] = [],
): PoolResult {
  const first = blocks[0];
  if (!first) return { ok: false, message: 'a pool needs at least one block' };
  const sorted = [...blocks].sort(comparePrefixes);
  for (let i = 0; i < sorted.length; i++) {
    const block = sorted[i]!;
    if (block.family !== first.family) {
      return {
        ok: false,
        message: `${formatPrefix(block)} is IPv${block.family} but ${formatPrefix(first)} is IPv${first.family}; a pool holds one family`,
      };
    }
    const before = sorted[i - 1];
    if (before && lastAddress(before).value >= block.addr) {
      return { ok: false, message: `the blocks ${formatPrefix(before)} and ${formatPrefix(block)} overlap` };
    }
  }
  const pool =
    first.family === 4
      ? new BuddyPool<number>(ipv4Space, blocks)
      : new BuddyPool<bigint>(ipv6Space(sorted[0]!.addr as bigint), blocks);
  return { ok: true, pool, conflicts: pool.load(allocations) };
}

export function restorePrefixPool(snapshot: PoolSnapshot): PoolResult {
  const parse = (cidr: string): Prefix => {
    const parsed = parsePrefix(cidr, { allowIPv4Mapped: true });
    if (!parsed.ok) throw new RangeError(`snapshot holds an invalid CIDR: ${parsed.message}`);
    return parsed.value;
  };
  try {
    return createPrefixPool(
      snapshot.blocks.map(parse),
      snapshot.allocations.map(({ cidr, owner }) => ({ prefix: parse(cidr), owner })),
    );
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

class FreeList<A extends number | bigint> {
  readonly blocks = new Map<BlockKey, A>();
  heap = new MinHeap<A>();

  add(key: BlockKey, addr: A): void {
    this.blocks.set(key, addr);
    this.heap.push(addr);
    if (this.heap.size > 2 * this.blocks.size + 32) this.heap = new MinHeap([...this.blocks.values()]);
  }
}

/** A buddy allocator: free space is kept as maximal aligned blocks, one free list per prefix length. */
class BuddyPool<A extends number | bigint> implements PrefixPool {
  readonly family: Family;
  readonly blocks: readonly Prefix[];
  readonly #space: BlockSpace<A>;
  readonly #width: number;
  readonly #free: (FreeList<A> | undefined)[];
  readonly #owners: (Map<BlockKey, string> | undefined)[];
  readonly #roots: (Set<BlockKey> | undefined)[] = [];
  readonly #rootList: { addr: A; bits: number }[] = [];
  readonly #described: string;
  #shortestRoot = Number.POSITIVE_INFINITY;

  constructor(space: BlockSpace<A>, blocks: readonly Prefix[]) {
    this.#space = space;
    this.family = space.family;
    this.#width = familyBits(space.family);
    this.blocks = blocks;
    this.#described = blocks.map(formatPrefix).join(', ');
    this.#free = new Array(this.#width + 1).fill(undefined);
    this.#owners = new Array(this.#width + 1).fill(undefined);
    for (const root of aggregate(space, [...blocks].sort(comparePrefixes))) {
      this.#rootList.push(root);
      slot(this.#roots, root.bits, () => new Set<BlockKey>()).add(space.key(root.addr, root.bits));
      this.#shortestRoot = Math.min(this.#shortestRoot, root.bits);
    }
  }

  allocate(bits: number, owner: string): AllocateResult {
    if (!Number.isInteger(bits) || bits < 0 || bits > this.#width) {
      return {
        ok: false,
        reason: 'InvalidPrefixLength',
        message: `/${bits} is not a valid IPv${this.family} prefix length; choose 0 to ${this.#width}`,
      };
    }
    for (let k = bits; k >= this.#shortestRoot; k--) {
      const addr = this.#takeLowest(k);
      if (addr === undefined) continue;
      for (let level = k; level < bits; level++) this.#addFree(this.#space.upper(addr, level), level + 1);
      this.#ownersAt(bits).set(this.#space.key(addr, bits), owner);
      return { ok: true, prefix: this.#space.prefix(addr, bits) };
    }
    return this.#explainNoFit(bits);
  }

  reserve(prefix: Prefix, owner: string): ReserveResult {
    if (prefix.family !== this.family) {
      return {
        ok: false,
        reason: 'WrongFamily',
        message: `${formatPrefix(prefix)} is IPv${prefix.family} but the pool ${this.#described} is IPv${this.family}`,
      };
    }
    const space = this.#space;
    const addr = prefix.addr as A;
    const bits = prefix.bits;
    for (let k = bits; k >= this.#shortestRoot; k--) {
      const container = space.mask(addr, k);
      const list = this.#free[k];
      if (!list?.blocks.delete(space.key(container, k))) continue;
      for (let level = k; level < bits; level++) {
        const upper = space.upper(space.mask(addr, level), level);
        this.#addFree(addr < upper ? upper : space.mask(addr, level), level + 1);
      }
      this.#ownersAt(bits).set(space.key(addr, bits), owner);
      return { ok: true, prefix };
    }
    if (!this.#insidePool(addr, bits)) {
      return {
        ok: false,
        reason: 'OutsidePool',
        message: `${formatPrefix(prefix)} is not inside the network's blocks (${this.#described})`,
      };
    }
    const holder = this.holderOf(prefix)!;
    if (holder.owner === owner && holder.prefix.bits === bits) return { ok: true, prefix };
    return {
      ok: false,
      reason: 'Overlaps',
      holder,
      message:
        holder.prefix.bits === bits
          ? `${formatPrefix(prefix)} is already allocated to ${holder.owner}`
          : `${formatPrefix(prefix)} overlaps ${formatPrefix(holder.prefix)}, which is allocated to ${holder.owner}`,
    };
  }

  release(prefix: Prefix, owner?: string): ReleaseResult {
    const space = this.#space;
    const key = prefix.family === this.family ? space.key(prefix.addr as A, prefix.bits) : undefined;
    const owners = this.#owners[prefix.bits];
    const holder = key === undefined ? undefined : owners?.get(key);
    if (holder === undefined || key === undefined || !owners) {
      return { ok: false, reason: 'NotAllocated', message: `${formatPrefix(prefix)} is not allocated` };
    }
    if (owner !== undefined && owner !== holder) {
      return {
        ok: false,
        reason: 'NotOwner',
        message: `${formatPrefix(prefix)} is allocated to ${holder}, not to ${owner}`,
      };
    }
    owners.delete(key);
    let addr = prefix.addr as A;
    let bits = prefix.bits;
    while (!this.#roots[bits]?.has(space.key(addr, bits))) {
      const buddy = space.buddy(addr, bits);
      if (!this.#free[bits]?.blocks.delete(space.key(buddy, bits))) break;
      if (buddy < addr) addr = buddy;
      bits--;
    }
    this.#addFree(addr, bits);
    return { ok: true };
  }

  ownerOf(prefix: Prefix): string | undefined {
    if (prefix.family !== this.family) return undefined;
    return this.#owners[prefix.bits]?.get(this.#space.key(prefix.addr as A, prefix.bits));
  }

  holderOf(prefix: Prefix): Allocation | undefined {
    if (prefix.family !== this.family) return undefined;
    const space = this.#space;
    const addr = prefix.addr as A;
    for (let k = prefix.bits; k >= 0; k--) {
      const container = space.mask(addr, k);
      const owner = this.#owners[k]?.get(space.key(container, k));
      if (owner !== undefined) return { prefix: space.prefix(container, k), owner };
      if (this.#free[k]?.blocks.has(space.key(container, k)) || this.#roots[k]?.has(space.key(container, k)))
        break;
    }
    if (!this.#insidePool(addr, prefix.bits) || this.#isFree(addr, prefix.bits)) return undefined;
    // Inside a block that is neither free nor held, at least one child is not free: follow it down.
    let at = addr;
    for (let bits = prefix.bits + 1; bits <= this.#width; bits++) {
      const lower = at;
      const upper = space.upper(at, bits - 1);
      for (const child of [lower, upper]) {
        const owner = this.#owners[bits]?.get(space.key(child, bits));
        if (owner !== undefined) return { prefix: space.prefix(child, bits), owner };
      }
      at = this.#free[bits]?.blocks.has(space.key(lower, bits)) ? upper : lower;
    }
    return undefined;
  }

  allocations(): Allocation[] {
    const all: Allocation[] = [];
    for (let bits = 0; bits <= this.#width; bits++) {
      const owners = this.#owners[bits];
      if (!owners || owners.size === 0) continue;
      for (const [key, owner] of owners) {
        all.push({ prefix: this.#space.prefix(this.#space.fromKey(key, bits), bits), owner });
      }
    }
    return all.sort((a, b) => comparePrefixes(a.prefix, b.prefix));
  }

  stats(): PoolStats {
    let size = 0n;
    for (const root of this.#rootList) size += this.#space.sizeOf(1, root.bits);
    let allocated = 0n;
    let allocations = 0;
    let largestFreeBits: number | null = null;
    for (let bits = this.#width; bits >= 0; bits--) {
      const count = this.#owners[bits]?.size ?? 0;
      allocations += count;
      allocated += this.#space.sizeOf(count, bits);
      if ((this.#free[bits]?.blocks.size ?? 0) > 0) largestFreeBits = bits;
    }
    return { size, allocated, available: size - allocated, allocations, largestFreeBits };
  }

  snapshot(): PoolSnapshot {
    return {
      family: this.family,
      blocks: this.blocks.map(formatPrefix),
      allocations: this.allocations().map(({ prefix, owner }) => ({ cidr: formatPrefix(prefix), owner })),
    };
  }

  /** Bulk load into an empty pool: sort, keep what fits, then lay the gaps out as maximal aligned blocks. */
  load(allocations: readonly Allocation[]): RebuildConflict[] {
    const conflicts: RebuildConflict[] = [];
    const held: Allocation[] = [];
    const space = this.#space;
    const sorted = [...allocations].sort((a, b) => comparePrefixes(a.prefix, b.prefix));
    for (const allocation of sorted) {
      const { prefix } = allocation;
      const previous = held[held.length - 1];
      if (prefix.family !== this.family) {
        conflicts.push({
          allocation,
          reason: 'WrongFamily',
          message: `${formatPrefix(prefix)} is not IPv${this.family}`,
        });
      } else if (!this.#insidePool(prefix.addr as A, prefix.bits)) {
        conflicts.push({
          allocation,
          reason: 'OutsidePool',
          message: `${formatPrefix(prefix)} (${allocation.owner}) is not inside ${this.#described}`,
        });
      } else if (previous && lastAddress(previous.prefix).value >= prefix.addr) {
        conflicts.push({
          allocation,
          reason: 'Overlaps',
          message: `${formatPrefix(prefix)} (${allocation.owner}) overlaps ${formatPrefix(previous.prefix)} (${previous.owner})`,
        });
      } else {
        held.push(allocation);
        this.#ownersAt(prefix.bits).set(space.key(prefix.addr as A, prefix.bits), allocation.owner);
      }
    }
    const pending: { addr: A; bits: number }[][] = [];
    let next = 0;
    for (const root of this.#rootList) {
      let cursor = root.addr;
      const end = space.next(root.addr, root.bits);
      while (next < held.length && (held[next]!.prefix.addr as A) < end) {
        const { addr, bits } = held[next]!.prefix;
        this.#freeRange(cursor, addr as A, root.bits, pending);
        cursor = space.next(addr as A, bits);
        next++;
      }
      this.#freeRange(cursor, end, root.bits, pending);
    }
    for (let bits = 0; bits < pending.length; bits++) {
      const blocks = pending[bits];
      if (!blocks) continue;
      const list = new FreeList<A>();
      for (const { addr } of blocks) list.blocks.set(space.key(addr, bits), addr);
      list.heap = new MinHeap(blocks.map(({ addr }) => addr));
      this.#free[bits] = list;
    }
    return conflicts;
  }

  #freeRange(start: A, end: A, minBits: number, out: { addr: A; bits: number }[][]): void {
    const space = this.#space;
    for (let addr = start; addr < end; ) {
      const bits = space.largestBlock(addr, end, minBits);
      slot(out, bits, () => []).push({ addr, bits });
      addr = space.next(addr, bits);
    }
  }

  #takeLowest(bits: number): A | undefined {
    const list = this.#free[bits];
    if (!list || list.blocks.size === 0) return undefined;
    const key = this.#space.key;
    for (;;) {
      const addr = list.heap.pop();
      if (addr === undefined) return undefined;
      if (list.blocks.delete(key(addr, bits))) return addr;
    }
  }

  #addFree(addr: A, bits: number): void {
    slot(this.#free, bits, () => new FreeList<A>()).add(this.#space.key(addr, bits), addr);
  }

  #ownersAt(bits: number): Map<BlockKey, string> {
    return slot(this.#owners, bits, () => new Map<BlockKey, string>());
  }

  #isFree(addr: A, bits: number): boolean {
    for (let k = bits; k >= this.#shortestRoot; k--) {
      if (this.#free[k]?.blocks.has(this.#space.key(this.#space.mask(addr, k), k))) return true;
    }
    return false;
  }

  #insidePool(addr: A, bits: number): boolean {
    for (let k = bits; k >= this.#shortestRoot; k--) {
      if (this.#roots[k]?.has(this.#space.key(this.#space.mask(addr, k), k))) return true;
    }
    return false;
  }

  #explainNoFit(bits: number): AllocateResult {
    const stats = this.stats();
    const wanted = this.#space.sizeOf(1, bits);
    const head = `no free /${bits} in ${this.#described}`;
    if (bits < this.#shortestRoot) {
      return {
        ok: false,
        reason: 'TooLarge',
        message: `${head}: a /${bits} is larger than every block of the network (the largest is a /${this.#shortestRoot})`,
      };
    }
    if (stats.largestFreeBits === null) {
      return { ok: false, reason: 'Exhausted', message: `${head}; every address is allocated` };
    }
    const largest = `the largest free block is a /${stats.largestFreeBits}`;
    if (stats.available < wanted) {
      return {
        ok: false,
        reason: 'Exhausted',
        message: `${head}; ${largest} and only ${stats.available} addresses are free in all`,
      };
    }
    return {
      ok: false,
      reason: 'Fragmented',
      message: `${head}; ${largest} (${stats.available} addresses are free, but fragmented)`,
    };
  }
}

function slot<T>(array: (T | undefined)[], index: number, make: () => T): T {
  let value = array[index];
  if (value === undefined) {
    value = make();
    array[index] = value;
  }
  return value;
}

/** The pool's blocks merged where two are buddies, so that free space can coalesce across them. */
function aggregate<A extends number | bigint>(
  space: BlockSpace<A>,
  sorted: readonly Prefix[],
): { addr: A; bits: number }[] {
  const stack: { addr: A; bits: number }[] = [];
  for (const block of sorted) {
    let top = { addr: block.addr as A, bits: block.bits };
    for (;;) {
      const below = stack[stack.length - 1];
      if (!below || below.bits !== top.bits || top.bits === 0) break;
      if (space.buddy(below.addr, below.bits) !== top.addr || top.addr < below.addr) break;
      stack.pop();
      top = { addr: below.addr, bits: top.bits - 1 };
    }
    stack.push(top);
  }
  return stack;
}
