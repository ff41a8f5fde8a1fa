import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import {
  CIDRValue,
  cidrContainsCIDR,
  cidrContainsIP,
  formatCIDR,
  formatIP,
  IPValue,
  isGlobalUnicast,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  maskedCIDR,
  parseCIDR,
  parseIP,
  sameCIDR,
  sameIP,
} from './ip-values.ts';

const sync = { async: false };

/** Holds `ip.isCanonical`: cel-js has no qualified function names, so `ip` is a constant with a method. */
class IPFunctions {}

function ip(text: string): IPValue {
  const parsed = parseIP(text);
  if (!parsed.ok) throw new EvaluationError(parsed.message);
  return parsed.value;
}

function cidr(text: string): CIDRValue {
  const parsed = parseCIDR(text);
  if (!parsed.ok) throw new EvaluationError(parsed.message);
  return parsed.value;
}

/** Kubernetes' CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go), on ipam's parser. */
export function registerIPLibrary(env: Environment): Environment {
  return env
    .registerType('net.IP', { ctor: IPValue, fields: {} })
    .registerType('net.CIDR', { ctor: CIDRValue, fields: {} })
    .registerType('kubernetes.net.ip', { ctor: IPFunctions, fields: {} })
    .registerConstant('ip', 'kubernetes.net.ip', new IPFunctions())
    .registerFunction('ip(string): net.IP', ip, sync)
    .registerFunction('isIP(string): bool', (text: string) => parseIP(text).ok, sync)
    .registerFunction(
      'kubernetes.net.ip.isCanonical(string): bool',
      (_: IPFunctions, text: string) => formatIP(ip(text)) === text,
      sync,
    )
    .registerFunction('net.IP.family(): int', (value: IPValue) => BigInt(value.address.family), sync)
    .registerFunction('net.IP.isUnspecified(): bool', isUnspecified, sync)
    .registerFunction('net.IP.isLoopback(): bool', isLoopback, sync)
    .registerFunction('net.IP.isLinkLocalMulticast(): bool', isLinkLocalMulticast, sync)
    .registerFunction('net.IP.isLinkLocalUnicast(): bool', isLinkLocalUnicast, sync)
    .registerFunction('net.IP.isGlobalUnicast(): bool', isGlobalUnicast, sync)
    .registerFunction('string(net.IP): string', formatIP, sync)
    .registerOperator('net.IP == net.IP', sameIP)
    .registerFunction('cidr(string): net.CIDR', cidr, sync)
    .registerFunction('isCIDR(string): bool', (text: string) => parseCIDR(text).ok, sync)
    .registerFunction('net.CIDR.containsIP(net.IP): bool', cidrContainsIP, sync)
    .registerFunction(
      'net.CIDR.containsIP(string): bool',
      (block: CIDRValue, text: string) => cidrContainsIP(block, ip(text)),
      sync,
    )
    .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', cidrContainsCIDR, sync)
    .registerFunction(
      'net.CIDR.containsCIDR(string): bool',
      (block: CIDRValue, text: string) => cidrContainsCIDR(block, cidr(text)),
      sync,
    )
    .registerFunction('net.CIDR.ip(): net.IP', (block: CIDRValue) => new IPValue(block.address), sync)
    .registerFunction('net.CIDR.masked(): net.CIDR', maskedCIDR, sync)
    .registerFunction('net.CIDR.prefixLength(): int', (block: CIDRValue) => BigInt(block.bits), sync)
    .registerFunction('string(net.CIDR): string', formatCIDR, sync)
    .registerOperator('net.CIDR == net.CIDR', sameCIDR);
}
