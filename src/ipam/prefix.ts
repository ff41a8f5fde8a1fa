import {
  type Address,
  familyBits,
  formatIPv4,
  formatIPv6,
  ipv4,
  ipv6,
  type ParseAddressOptions,
  parseAddress,
} from './address.ts';
import { type ParseResult, parseFailure } from './parse-result.ts';

/** A CIDR block: an address with no host bits set and a prefix length (bits). */
export type Prefix = IPv4Prefix | IPv6Prefix;
export interface IPv4Prefix {
  readonly family: 4;
  readonly addr: number;
  readonly bits: number;
}
export interface IPv6Prefix {
  readonly family: 6;
  readonly addr: bigint;
  readonly bits: number;
}

export const ipv4Size = (bits: number): number => 2 ** (32 - bits);
export const ipv6Size = (bits: number): bigint => 1n << BigInt(128 - bits);
export const maskIPv4 = (addr: number, bits: number): number => addr - (addr % ipv4Size(bits));
export const maskIPv6 = (addr: bigint, bits: number): bigint =>
  (addr >> BigInt(128 - bits)) << BigInt(128 - bits);

/** Parses a CIDR block strictly; host bits set is an error that names the block the user probably meant. */
export function parsePrefix(text: string, options: ParseAddressOptions = {}): ParseResult<Prefix> {
  const fail = (problem: string, suggestion?: string) =>
    parseFailure(text, 'CIDR block', problem, suggestion);
  const slash = text.indexOf('/');
  if (slash < 0) {
    const single = parseAddress(text, options);
    if (!single.ok) return fail(single.problem, single.suggestion);
    const width = familyBits(single.value.family);
    return fail(`it has no prefix length; write ADDRESS/LENGTH, e.g. ${text}/${width} for this one address`);
  }
  if (text.indexOf('/', slash + 1) >= 0) return fail('it has more than one "/"');
  const addressText = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  const address = parseAddress(addressText, options);
  if (!address.ok) {
    const suggestion =
      address.suggestion === undefined
        ? undefined
        : suggestedPrefix(addressText, address.suggestion, lengthText);
    return fail(address.problem, suggestion);
  }
  const { family } = address.value;
  const width = familyBits(family);
  if (!/^(0|[1-9][0-9]*)$/.test(lengthText)) {
    return fail(
      `the prefix length "${lengthText}" must be a whole number from 0 to ${width}, without leading zeros`,
    );
  }
  const bits = Number(lengthText);
  if (bits > width)
    return fail(`the prefix length ${bits} is out of range; IPv${family} allows 0 to ${width}`);
  const prefix = prefixOf(address.value, bits);
  if (prefix.addr !== address.value.value) {
    const meant = formatPrefix(prefix);
    return {
      ok: false,
      message: `${text} has host bits set; did you mean ${meant}?`,
      problem: 'it has host bits set',
      suggestion: meant,
    };
  }
  return { ok: true, value: prefix };
}

/** The CIDR a corrected address suggests: an IPv4 suggestion for a mapped IPv6 block keeps its last 32 bits. */
function suggestedPrefix(given: string, address: string, lengthText: string): string {
  const bits = Number(lengthText);
  const unmapped = given.includes(':') && !address.includes(':');
  if (unmapped && bits >= 96 && bits <= 128) return `${address}/${bits - 96}`;
  return `${address}/${lengthText}`;
}

/** For constants and tests: parses or throws a RangeError carrying the parse message. */
export function mustParsePrefix(text: string, options: ParseAddressOptions = {}): Prefix {
  const parsed = parsePrefix(text, options);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.value;
}

export function formatPrefix(prefix: Prefix): string {
  return `${prefix.family === 4 ? formatIPv4(prefix.addr) : formatIPv6(prefix.addr)}/${prefix.bits}`;
}

/** The block of the given length that contains the address. */
export function prefixOf(address: Address, bits: number): Prefix {
  return address.family === 4
    ? { family: 4, addr: maskIPv4(address.value, bits), bits }
    : { family: 6, addr: maskIPv6(address.value, bits), bits };
}

export function prefixSize(prefix: Prefix): bigint {
  return prefix.family === 4 ? BigInt(ipv4Size(prefix.bits)) : ipv6Size(prefix.bits);
}

export function firstAddress(prefix: Prefix): Address {
  return prefix.family === 4 ? ipv4(prefix.addr) : ipv6(prefix.addr);
}

export function lastAddress(prefix: Prefix): Address {
  return prefix.family === 4
    ? ipv4(prefix.addr + ipv4Size(prefix.bits) - 1)
    : ipv6(prefix.addr + ipv6Size(prefix.bits) - 1n);
}

export function containsAddress(prefix: Prefix, address: Address): boolean {
  if (prefix.family !== address.family) return false;
  return prefixOf(address, prefix.bits).addr === prefix.addr;
}

export function containsPrefix(outer: Prefix, inner: Prefix): boolean {
  return outer.bits <= inner.bits && containsAddress(outer, firstAddress(inner));
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return containsPrefix(a, b) || containsPrefix(b, a);
}

export function samePrefix(a: Prefix, b: Prefix): boolean {
  return a.family === b.family && a.bits === b.bits && a.addr === b.addr;
}

/** Orders by family, then address, then shorter prefix first (a block before the blocks inside it). */
export function comparePrefixes(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.addr !== b.addr) return a.addr < b.addr ? -1 : 1;
  return a.bits - b.bits;
}

/** The blocks of length `bits` that make up `prefix`, lowest first; lazily, since there may be 2^128. */
export function* splitPrefix(prefix: Prefix, bits: number): Generator<Prefix> {
  const width = familyBits(prefix.family);
  if (!Number.isInteger(bits) || bits < prefix.bits || bits > width) {
    throw new RangeError(
      `cannot split ${formatPrefix(prefix)} into /${bits} blocks: choose ${prefix.bits} to ${width}`,
    );
  }
  if (prefix.family === 4) {
    const step = ipv4Size(bits);
    const end = prefix.addr + ipv4Size(prefix.bits);
    for (let addr = prefix.addr; addr < end; addr += step) yield { family: 4, addr, bits };
  } else {
    const step = ipv6Size(bits);
    const end = prefix.addr + ipv6Size(prefix.bits);
    for (let addr = prefix.addr; addr < end; addr += step) yield { family: 6, addr, bits };
  }
}
