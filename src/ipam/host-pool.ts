import { type Address, compareAddresses, formatAddress, ipv4, ipv6, parseAddress } from './address.ts';
import { MinHeap } from './min-heap.ts';
import { containsAddress, formatPrefix, type Prefix, parsePrefix, prefixSize } from './prefix.ts';

export interface HostAllocation {
  readonly address: Address;
  readonly owner: string;
}

export type HostAllocateResult =
  | { readonly ok: true; readonly address: Address }
  | { readonly ok: false; readonly reason: 'SubnetExhausted'; readonly message: string };

export type HostStaticResult =
  | { readonly ok: true; readonly address: Address }
  | {
      readonly ok: false;
      readonly reason: 'AddressInUse' | 'AddressReserved' | 'AddressOutOfRange';
      readonly message: string;
      readonly holder?: string;
    };

export type HostReleaseResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'NotAllocated' | 'NotOwner'; readonly message: string };

export interface HostStats {
  readonly size: bigint;
  readonly reserved: number;
  /** Reserved plus assigned, as a cloud console counts them. */
  readonly allocated: bigint;
  readonly available: bigint;
}

export interface HostPoolSnapshot {
  readonly subnet: string;
  readonly allocations: readonly { readonly address: string; readonly owner: string }[];
}

export interface HostConflict {
  readonly allocation: HostAllocation;
  readonly reason: 'AddressInUse' | 'AddressReserved' | 'AddressOutOfRange';
  readonly message: string;
}

/**
 * Address assignment inside one subnet. IPv4 reserves the network address, the gateway (first usable), the
 * second-to-last address and the broadcast address; IPv6 the subnet-router anycast address and ::1 (gateway).
 * Dynamic takes the lowest free address; no address is ever assigned twice.
 */
export interface HostPool {
  readonly subnet: Prefix;
  readonly gateway: Address | undefined;
  readonly reserved: readonly Address[];
  allocate(owner: string): HostAllocateResult;
  allocateStatic(address: Address, owner: string): HostStaticResult;
  release(address: Address, owner?: string): HostReleaseResult;
  ownerOf(address: Address): string | undefined;
  allocations(): HostAllocation[];
  stats(): HostStats;
  snapshot(): HostPoolSnapshot;
}

/** Builds the pool holding `allocations`; those that cannot be held are reported as conflicts, not dropped. */
export function createHostPool(
  subnet: Prefix,
  allocations: readonly HostAllocation[] = [],
): { pool: HostPool; conflicts: HostConflict[] } {
  const pool = new SubnetHosts(subnet);
  const conflicts: HostConflict[] = [];
  for (const allocation of allocations) {
    const result = pool.allocateStatic(allocation.address, allocation.owner);
    if (!result.ok) conflicts.push({ allocation, reason: result.reason, message: result.message });
  }
  return { pool, conflicts };
}

export function restoreHostPool(
  snapshot: HostPoolSnapshot,
): { ok: true; pool: HostPool; conflicts: HostConflict[] } | { ok: false; message: string } {
  const subnet = parsePrefix(snapshot.subnet, { allowIPv4Mapped: true });
  if (!subnet.ok) return { ok: false, message: `snapshot holds an invalid subnet: ${subnet.message}` };
  const allocations: HostAllocation[] = [];
  for (const { address, owner } of snapshot.allocations) {
    const parsed = parseAddress(address, { allowIPv4Mapped: true });
    if (!parsed.ok) return { ok: false, message: `snapshot holds an invalid address: ${parsed.message}` };
    allocations.push({ address: parsed.value, owner });
  }
  return { ok: true, ...createHostPool(subnet.value, allocations) };
}

/** Offsets from the network address: numbers while below 2^53 (always for IPv4), else hex strings. */
type Offset = number | string;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class SubnetHosts implements HostPool {
  readonly subnet: Prefix;
  readonly gateway: Address | undefined;
  readonly reserved: readonly Address[];
  readonly #reservedOffsets: ReadonlyMap<number, string>;
  readonly #owners = new Map<Offset, string>();
  readonly #size: bigint;
  readonly #limit: number;
  /** Every offset below the cursor is reserved, assigned, or in `#released`. */
  #cursor = 0;
  #released = new MinHeap<number>();
  #freeBelowCursor = 0;

  constructor(subnet: Prefix) {
    this.subnet = subnet;
    this.#size = prefixSize(subnet);
    this.#limit = this.#size <= SAFE ? Number(this.#size) : Number.MAX_SAFE_INTEGER;
    const last = this.#limit - 1;
    const labels = new Map<number, string>();
    if (subnet.family === 4) {
      labels.set(0, 'the network address');
      if (this.#limit >= 4)
        labels
          .set(1, 'the gateway')
          .set(last - 1, 'reserved')
          .set(last, 'the broadcast address');
      else if (last > 0) labels.set(last, 'the broadcast address');
    } else {
      labels.set(0, 'the subnet-router anycast address');
      if (this.#limit >= 2) labels.set(1, 'the gateway');
    }
    this.#reservedOffsets = labels;
    this.gateway = labels.get(1) === 'the gateway' ? this.#address(1) : undefined;
    this.reserved = [...labels.keys()].sort((a, b) => a - b).map((offset) => this.#address(offset));
  }

  allocate(owner: string): HostAllocateResult {
    const owners = this.#owners;
    while (this.#released.size > 0) {
      const offset = this.#released.pop()!;
      if (owners.has(offset)) continue;
      this.#freeBelowCursor--;
      owners.set(offset, owner);
      return { ok: true, address: this.#address(offset) };
    }
    while (this.#cursor < this.#limit) {
      const offset = this.#cursor++;
      if (owners.has(offset) || this.#reservedOffsets.has(offset)) continue;
      owners.set(offset, owner);
      return { ok: true, address: this.#address(offset) };
    }
    const usable = this.#size - BigInt(this.#reservedOffsets.size);
    return {
      ok: false,
      reason: 'SubnetExhausted',
      message: `no free address in ${formatPrefix(this.subnet)}: all ${usable} usable addresses are assigned`,
    };
  }

  allocateStatic(address: Address, owner: string): HostStaticResult {
    const offset = this.#offsetOf(address);
    if (offset === undefined) {
      return {
        ok: false,
        reason: 'AddressOutOfRange',
        message: `${formatAddress(address)} is not inside the subnet ${formatPrefix(this.subnet)}`,
      };
    }
    const label = typeof offset === 'number' ? this.#reservedOffsets.get(offset) : undefined;
    if (label !== undefined) {
      return {
        ok: false,
        reason: 'AddressReserved',
        message: `${formatAddress(address)} is reserved in ${formatPrefix(this.subnet)} (${label})`,
      };
    }
    const holder = this.#owners.get(offset);
    if (holder !== undefined && holder !== owner) {
      return {
        ok: false,
        reason: 'AddressInUse',
        holder,
        message: `${formatAddress(address)} is already assigned to ${holder}`,
      };
    }
    if (holder === undefined) {
      this.#owners.set(offset, owner);
      if (typeof offset === 'number' && offset < this.#cursor) this.#freeBelowCursor--;
    }
    return { ok: true, address };
  }

  release(address: Address, owner?: string): HostReleaseResult {
    const offset = this.#offsetOf(address);
    const holder = offset === undefined ? undefined : this.#owners.get(offset);
    if (offset === undefined || holder === undefined) {
      return { ok: false, reason: 'NotAllocated', message: `${formatAddress(address)} is not assigned` };
    }
    if (owner !== undefined && owner !== holder) {
      return {
        ok: false,
        reason: 'NotOwner',
        message: `${formatAddress(address)} is assigned to ${holder}, not to ${owner}`,
      };
    }
    this.#owners.delete(offset);
    if (typeof offset === 'number' && offset < this.#cursor) {
      this.#freeBelowCursor++;
      this.#released.push(offset);
      if (this.#released.size > 2 * this.#freeBelowCursor + 64) this.#compactReleased();
    }
    return { ok: true };
  }

  ownerOf(address: Address): string | undefined {
    const offset = this.#offsetOf(address);
    return offset === undefined ? undefined : this.#owners.get(offset);
  }

  allocations(): HostAllocation[] {
    return [...this.#owners]
      .map(([offset, owner]) => ({ address: this.#address(offset), owner }))
      .sort((a, b) => compareAddresses(a.address, b.address));
  }

  stats(): HostStats {
    const allocated = BigInt(this.#reservedOffsets.size + this.#owners.size);
    return {
      size: this.#size,
      reserved: this.#reservedOffsets.size,
      allocated,
      available: this.#size - allocated,
    };
  }

  snapshot(): HostPoolSnapshot {
    return {
      subnet: formatPrefix(this.subnet),
      allocations: this.allocations().map(({ address, owner }) => ({
        address: formatAddress(address),
        owner,
      })),
    };
  }

  #compactReleased(): void {
    const free = new Set(this.#released.values().filter((offset) => !this.#owners.has(offset)));
    this.#released = new MinHeap([...free]);
  }

  #offsetOf(address: Address): Offset | undefined {
    const subnet = this.subnet;
    if (!containsAddress(subnet, address)) return undefined;
    if (subnet.family === 4) return (address.value as number) - subnet.addr;
    const offset = (address.value as bigint) - subnet.addr;
    return offset <= SAFE ? Number(offset) : `x${offset.toString(16)}`;
  }

  #address(offset: Offset): Address {
    const subnet = this.subnet;
    if (subnet.family === 4) return ipv4(subnet.addr + (offset as number));
    const delta = typeof offset === 'number' ? BigInt(offset) : BigInt(`0x${offset.slice(1)}`);
    return ipv6(subnet.addr + delta);
  }
}
