import { type ParseResult, parseFailure } from './parse-result.ts';

export type Family = 4 | 6;

/** An IPv4 address is an unsigned 32-bit integer held in a number; an IPv6 address a 128-bit bigint. */
export type Address = IPv4Address | IPv6Address;
export interface IPv4Address {
  readonly family: 4;
  readonly value: number;
}
export interface IPv6Address {
  readonly family: 6;
  readonly value: bigint;
}

export interface ParseAddressOptions {
  /** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are refused unless allowed, as Kubernetes' CEL ip() does. */
  readonly allowIPv4Mapped?: boolean;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;
export const IPV6_MAX = (1n << 128n) - 1n;
const MAPPED_PREFIX = 0xffffn << 32n;

export const ipv4 = (value: number): IPv4Address => ({ family: 4, value });
export const ipv6 = (value: bigint): IPv6Address => ({ family: 6, value });

export function familyBits(family: Family): 32 | 128 {
  return family === 4 ? IPV4_BITS : IPV6_BITS;
}

/** Parses an IPv4 or IPv6 address strictly: no leading zeros, no short or octal forms, no zone IDs. */
export function parseAddress(text: string, options: ParseAddressOptions = {}): ParseResult<Address> {
  return text.includes(':') ? parseIPv6(text, options) : parseIPv4(text);
}

/** For constants and tests: parses or throws a RangeError carrying the parse message. */
export function mustParseAddress(text: string, options: ParseAddressOptions = {}): Address {
  const parsed = parseAddress(text, options);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.value;
}

export function parseIPv4(text: string): ParseResult<IPv4Address> {
  const fail = (problem: string, suggestion?: string) =>
    parseFailure(text, 'IPv4 address', problem, suggestion);
  if (text === '') return fail('it is empty; write an address such as 10.0.0.1');
  if (/\s/.test(text)) return fail('it contains white space', trimmedSuggestion(text));
  const parts = text.split('.');
  if (parts.length !== 4) {
    return fail(
      `it has ${parts.length} part${parts.length === 1 ? '' : 's'}; write all four, as in 10.0.0.1`,
    );
  }
  let value = 0;
  for (const part of parts) {
    if (part === '') return fail('it has an empty part');
    if (!/^[0-9]+$/.test(part)) return fail(`"${part}" is not a decimal number from 0 to 255`);
    if (part.length > 1 && part.startsWith('0')) {
      const fixed = parts.map((p) => (/^[0-9]+$/.test(p) ? String(Number(p)) : p)).join('.');
      return fail(`"${part}" has a leading zero, which some tools read as octal`, fixed);
    }
    const octet = Number(part);
    if (octet > 255) return fail(`${part} is greater than 255`);
    value = value * 256 + octet;
  }
  return { ok: true, value: ipv4(value) };
}

export function parseIPv6(text: string, options: ParseAddressOptions = {}): ParseResult<IPv6Address> {
  const fail = (problem: string, suggestion?: string) =>
    parseFailure(text, 'IPv6 address', problem, suggestion);
  if (text === '') return fail('it is empty; write an address such as fd00::1');
  if (/\s/.test(text)) return fail('it contains white space', trimmedSuggestion(text));
  const zone = text.indexOf('%');
  if (zone >= 0)
    return fail(`zone IDs (${text.slice(zone)}) are not allowed here`, text.slice(0, zone) || undefined);
  const halves = text.split('::');
  if (halves.length > 2) return fail('"::" may appear only once');
  const compressed = halves.length === 2;
  const head = parseGroups(halves[0]!, !compressed);
  if (!Array.isArray(head)) return fail(head.problem, embeddedFix(text, head.ipv4Fix));
  const tail = compressed ? parseGroups(halves[1]!, true) : [];
  if (!Array.isArray(tail)) return fail(tail.problem, embeddedFix(text, tail.ipv4Fix));
  const count = head.length + tail.length;
  if (compressed && count > 7) return fail(`"::" must stand for at least one group, but ${count} are given`);
  if (!compressed && count !== 8) {
    return fail(`it has ${count} groups; an IPv6 address has 8, or uses "::" for a run of zeros`);
  }
  let value = 0n;
  for (const group of [...head, ...new Array<number>(8 - count).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group);
  }
  if (!options.allowIPv4Mapped && isIPv4Mapped(value)) {
    return fail('IPv4-mapped IPv6 addresses are not allowed', formatIPv4(Number(value & 0xffffffffn)));
  }
  return { ok: true, value: ipv6(value) };
}

/** Parses colon-separated hex groups; an embedded dotted IPv4 address may end the address only. */
function parseGroups(
  section: string,
  endsAddress: boolean,
): number[] | { problem: string; ipv4Fix?: string } {
  if (section === '') return [];
  const parts = section.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.includes('.')) {
      if (!endsAddress || i !== parts.length - 1)
        return { problem: 'an embedded IPv4 address may only end the address' };
      const v4 = parseIPv4(part);
      if (!v4.ok) {
        const problem = `its embedded IPv4 part is invalid ("${part}": ${v4.problem})`;
        return v4.suggestion === undefined ? { problem } : { problem, ipv4Fix: v4.suggestion };
      }
      groups.push(Math.floor(v4.value.value / 0x10000), v4.value.value % 0x10000);
      continue;
    }
    if (part === '')
      return { problem: 'it has an empty group (a single ":" where "::" or a number belongs)' };
    if (!/^[0-9a-fA-F]+$/.test(part)) return { problem: `"${part}" is not a hexadecimal group` };
    if (part.length > 4) return { problem: `group "${part}" has more than 4 hexadecimal digits` };
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/** The whole IPv6 text with its trailing embedded IPv4 part replaced by the corrected one. */
function embeddedFix(text: string, ipv4Fix: string | undefined): string | undefined {
  return ipv4Fix === undefined ? undefined : `${text.slice(0, text.lastIndexOf(':') + 1)}${ipv4Fix}`;
}

/** Trimming is a fix only when the white space is around the address, not inside it. */
function trimmedSuggestion(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' || /\s/.test(trimmed) ? undefined : trimmed;
}

export function isIPv4Mapped(value: bigint): boolean {
  return value >> 32n === MAPPED_PREFIX >> 32n;
}

export function formatAddress(address: Address): string {
  return address.family === 4 ? formatIPv4(address.value) : formatIPv6(address.value);
}

export function formatIPv4(value: number): string {
  return `${Math.floor(value / 0x1000000)}.${Math.floor(value / 0x10000) % 256}.${Math.floor(value / 0x100) % 256}.${value % 256}`;
}

/** RFC 5952: lower case, no leading zeros, the first longest run (two or more) of zero groups as "::". */
export function formatIPv6(value: bigint): string {
  if (isIPv4Mapped(value)) return `::ffff:${formatIPv4(Number(value & 0xffffffffn))}`;
  const groups = new Array<number>(8);
  for (let word = 0; word < 4; word++) {
    const bits = Number((value >> BigInt(96 - word * 32)) & 0xffffffffn);
    groups[word * 2] = Math.floor(bits / 0x10000);
    groups[word * 2 + 1] = bits % 0x10000;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

export function compareAddresses(a: Address, b: Address): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
