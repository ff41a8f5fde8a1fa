import {
  type Address,
  formatPrefix,
  ipv4Size,
  ipv6Size,
  overlaps,
  type Prefix,
  parsePrefix,
} from '../ipam/index.ts';
import type { IPBlockInput } from './inputs.ts';

/** A half-open address range [start, end), numbers for IPv4 and bigints for IPv6, so matching is two compares. */
type Range =
  | { readonly family: 4; readonly start: number; readonly end: number }
  | { readonly family: 6; readonly start: bigint; readonly end: bigint };

export interface CompiledIPBlock {
  readonly cidr: Prefix;
  readonly except: readonly Prefix[];
  readonly range: Range;
  readonly holes: readonly Range[];
  /** `10.0.0.0/8 except 10.1.0.0/16`. */
  readonly text: string;
}

export type IPBlockResult =
  | { readonly ok: true; readonly block: CompiledIPBlock }
  | { readonly ok: false; readonly message: string };

export function compileIPBlock(input: IPBlockInput): IPBlockResult {
  const cidr = parsePrefix(input.cidr);
  if (!cidr.ok) return { ok: false, message: cidr.message };
  const except: Prefix[] = [];
  for (const text of input.except ?? []) {
    const hole = parsePrefix(text);
    if (!hole.ok) return { ok: false, message: hole.message };
    except.push(hole.value);
  }
  const holes = except.filter((hole) => hole.family === cidr.value.family).map(rangeOf);
  const text = `${formatPrefix(cidr.value)}${except.length ? ` except ${except.map(formatPrefix).join(', ')}` : ''}`;
  return { ok: true, block: { cidr: cidr.value, except, range: rangeOf(cidr.value), holes, text } };
}

/** Inside cidr and outside every except block; an address of the other family never matches. */
export function ipBlockContains(block: CompiledIPBlock, address: Address): boolean {
  if (!inRange(block.range, address)) return false;
  for (const hole of block.holes) if (inRange(hole, address)) return false;
  return true;
}

/** Whether any address of `prefix` is in the block (an except block that covers all of it leaves none). */
export function ipBlockOverlaps(block: CompiledIPBlock, prefix: Prefix): boolean {
  if (!overlaps(block.cidr, prefix)) return false;
  return !block.except.some(
    (hole) => hole.family === prefix.family && hole.bits <= prefix.bits && overlaps(hole, prefix),
  );
}

function inRange(range: Range, address: Address): boolean {
  if (range.family === 4) {
    return address.family === 4 && address.value >= range.start && address.value < range.end;
  }
  return address.family === 6 && address.value >= range.start && address.value < range.end;
}

function rangeOf(prefix: Prefix): Range {
  return prefix.family === 4
    ? { family: 4, start: prefix.addr, end: prefix.addr + ipv4Size(prefix.bits) }
    : { family: 6, start: prefix.addr, end: prefix.addr + ipv6Size(prefix.bits) };
}
