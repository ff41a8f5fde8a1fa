import {
  type Address,
  containsAddress,
  containsPrefix,
  familyBits,
  firstAddress,
  formatAddress,
  type ParseResult,
  parseAddress,
  parsePrefix,
  prefixOf,
} from '../../ipam/index.ts';

/** Kubernetes' CEL `net.IP`: one IPv4 or IPv6 address, never zoned and never IPv4-mapped. */
export class IPValue {
  readonly address: Address;
  constructor(address: Address) {
    this.address = address;
    Object.freeze(this);
  }
}

/** Kubernetes' CEL `net.CIDR`: an address and a prefix length; unlike an ipam Prefix it may keep host bits. */
export class CIDRValue {
  readonly address: Address;
  readonly bits: number;
  constructor(address: Address, bits: number) {
    this.address = address;
    this.bits = bits;
    Object.freeze(this);
  }
}

/** Parses as Kubernetes' ip() does: strict dotted quads and RFC 4291 text, no zones, no IPv4-mapped form. */
export function parseIP(text: string): ParseResult<IPValue> {
  const parsed = parseAddress(text);
  return parsed.ok ? { ok: true, value: new IPValue(parsed.value) } : parsed;
}

/** Parses as Kubernetes' cidr() does (netip.ParsePrefix): host bits are kept, everything else is strict. */
export function parseCIDR(text: string): ParseResult<CIDRValue> {
  const known = parsedCIDRs.get(text);
  if (known !== undefined) return known;
  const parsed = parseCIDRText(text);
  if (parsedCIDRs.size >= PARSED_CIDRS_KEPT) parsedCIDRs.clear();
  parsedCIDRs.set(text, parsed);
  return parsed;
}

/** Validation parses the same few blocks in several rules per object; CIDRValues are immutable, so share them. */
const parsedCIDRs = new Map<string, ParseResult<CIDRValue>>();
const PARSED_CIDRS_KEPT = 4096;

function parseCIDRText(text: string): ParseResult<CIDRValue> {
  const strict = parsePrefix(text);
  if (strict.ok) return { ok: true, value: new CIDRValue(firstAddress(strict.value), strict.value.bits) };
  const withHostBits = parseWithHostBits(text);
  return withHostBits === undefined ? strict : { ok: true, value: withHostBits };
}

function parseWithHostBits(text: string): CIDRValue | undefined {
  const parts = text.split('/');
  if (parts.length !== 2 || !/^(0|[1-9][0-9]*)$/.test(parts[1]!)) return undefined;
  const address = parseAddress(parts[0]!);
  const bits = Number(parts[1]);
  if (!address.ok || bits > familyBits(address.value.family)) return undefined;
  return new CIDRValue(address.value, bits);
}

export const formatIP = (ip: IPValue): string => formatAddress(ip.address);
export const formatCIDR = (cidr: CIDRValue): string => `${formatAddress(cidr.address)}/${cidr.bits}`;

const sameAddress = (a: Address, b: Address): boolean => a.family === b.family && a.value === b.value;
export const sameIP = (a: IPValue, b: IPValue): boolean => sameAddress(a.address, b.address);
export const sameCIDR = (a: CIDRValue, b: CIDRValue): boolean =>
  a.bits === b.bits && sameAddress(a.address, b.address);

export function maskedCIDR(cidr: CIDRValue): CIDRValue {
  return new CIDRValue(firstAddress(prefixOf(cidr.address, cidr.bits)), cidr.bits);
}

export function cidrContainsIP(cidr: CIDRValue, ip: IPValue): boolean {
  return containsAddress(prefixOf(cidr.address, cidr.bits), ip.address);
}

/** Containment of the masked blocks, as Kubernetes computes it since kubernetes/kubernetes#130450. */
export function cidrContainsCIDR(outer: CIDRValue, inner: CIDRValue): boolean {
  return containsPrefix(prefixOf(outer.address, outer.bits), prefixOf(inner.address, inner.bits));
}

const v4Head = (value: number, bits: 8 | 16 | 24): number => Math.floor(value / 2 ** (32 - bits));
const v6Group = (value: bigint): number => Number(value >> 112n);

export function isUnspecified({ address }: IPValue): boolean {
  return address.family === 4 ? address.value === 0 : address.value === 0n;
}

export function isLoopback({ address }: IPValue): boolean {
  return address.family === 4 ? v4Head(address.value, 8) === 127 : address.value === 1n;
}

/** Go's netip semantics: 224.0.0.0/24, and IPv6 multicast with link-local scope (ffx2::/16). */
export function isLinkLocalMulticast({ address }: IPValue): boolean {
  return address.family === 4
    ? v4Head(address.value, 24) === 0xe00000
    : (v6Group(address.value) & 0xff0f) === 0xff02;
}

export function isLinkLocalUnicast({ address }: IPValue): boolean {
  return address.family === 4
    ? v4Head(address.value, 16) === 0xa9fe
    : (v6Group(address.value) & 0xffc0) === 0xfe80;
}

function isMulticast({ address }: IPValue): boolean {
  return address.family === 4
    ? v4Head(address.value, 8) >= 224 && v4Head(address.value, 8) <= 239
    : v6Group(address.value) >> 8 === 0xff;
}

/** Go's netip semantics: private IPv4 ranges and IPv6 ULAs count as global unicast. */
export function isGlobalUnicast(ip: IPValue): boolean {
  if (ip.address.family === 4 && ip.address.value === 0xffffffff) return false;
  return !isUnspecified(ip) && !isLoopback(ip) && !isMulticast(ip) && !isLinkLocalUnicast(ip);
}
