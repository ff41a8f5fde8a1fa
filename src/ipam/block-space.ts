import type { Family } from './address.ts';
import type { Prefix } from './prefix.ts';

/**
 * Block arithmetic for one family, so the allocators are written once: IPv4 on numbers, IPv6 on bigints.
 * A block is (addr, bits) with addr aligned to its size. Keys are numbers or flat strings, never bigints:
 * V8 hashes a bigint by its low 64 bits only, so a Map of IPv6 /64s keyed by bigint degrades to a list.
 */
export interface BlockSpace<A extends number | bigint> {
  readonly family: Family;
  readonly width: 32 | 128;
  /** The start of the upper child of block (addr, bits). */
  upper(addr: A, bits: number): A;
  buddy(addr: A, bits: number): A;
  mask(addr: A, bits: number): A;
  /** The first address after the block. */
  next(addr: A, bits: number): A;
  /** A key unique to the block among blocks of the same length. */
  key(addr: A, bits: number): BlockKey;
  fromKey(key: BlockKey, bits: number): A;
  prefix(addr: A, bits: number): Prefix;
  /** The shortest prefix length (>= minBits) of an aligned block that starts at `start` and ends before `end`. */
  largestBlock(start: A, end: A, minBits: number): number;
  sizeOf(count: number, bits: number): bigint;
}

export type BlockKey = number | string;

const IPV4_SIZE = Array.from({ length: 33 }, (_, bits) => 2 ** (32 - bits));

export const ipv4Space: BlockSpace<number> = {
  family: 4,
  width: 32,
  upper: (addr, bits) => addr + IPV4_SIZE[bits + 1]!,
  buddy: (addr, bits) => {
    const size = IPV4_SIZE[bits]!;
    return addr % (size * 2) === 0 ? addr + size : addr - size;
  },
  mask: (addr, bits) => addr - (addr % IPV4_SIZE[bits]!),
  next: (addr, bits) => addr + IPV4_SIZE[bits]!,
  key: (addr) => addr,
  fromKey: (key) => key as number,
  prefix: (addr, bits) => ({ family: 4, addr, bits }),
  largestBlock: (start, end, minBits) => {
    const alignment = start === 0 ? 32 : 31 - Math.clz32((start & -start) >>> 0);
    const length = end - start;
    const fit = length >= 2 ** 32 ? 32 : 31 - Math.clz32(length);
    return Math.max(minBits, 32 - Math.min(alignment, fit));
  },
  sizeOf: (count, bits) => BigInt(count) * BigInt(IPV4_SIZE[bits]!),
};

const SHIFT = Array.from({ length: 129 }, (_, bits) => BigInt(128 - bits));
const IPV6_SIZE = SHIFT.map((shift) => 1n << shift);
const SAFE_INDEX = BigInt(Number.MAX_SAFE_INTEGER);

const bitLength = (value: bigint): number => (value === 0n ? 0 : value.toString(2).length);

/** IPv6 blocks are keyed by their index at their own length, counted from the block holding `base`: a number whenever it fits. */
export function ipv6Space(base: bigint): BlockSpace<bigint> {
  return {
    family: 6,
    width: 128,
    upper: (addr, bits) => addr + IPV6_SIZE[bits + 1]!,
    buddy: (addr, bits) => addr ^ IPV6_SIZE[bits]!,
    mask: (addr, bits) => (addr >> SHIFT[bits]!) << SHIFT[bits]!,
    next: (addr, bits) => addr + IPV6_SIZE[bits]!,
    key: (addr, bits) => {
      const index = (addr >> SHIFT[bits]!) - (base >> SHIFT[bits]!);
      return index >= 0n && index <= SAFE_INDEX ? Number(index) : `x${index.toString(16)}`;
    },
    fromKey: (key, bits) => {
      const index = typeof key === 'number' ? BigInt(key) : BigInt(`0x${key.slice(1)}`);
      return ((base >> SHIFT[bits]!) + index) << SHIFT[bits]!;
    },
    prefix: (addr, bits) => ({ family: 6, addr, bits }),
    largestBlock: (start, end, minBits) => {
      const alignment = start === 0n ? 128 : bitLength(start & -start) - 1;
      const fit = bitLength(end - start) - 1;
      return Math.max(minBits, 128 - Math.min(alignment, fit));
    },
    sizeOf: (count, bits) => BigInt(count) << SHIFT[bits]!,
  };
}
