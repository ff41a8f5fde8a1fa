import { Type } from 'typebox';
import type { ValidationRule } from './structural.ts';

/**
 * CEL for "block `outer` contains block `inner`", written with containsIP: containsCIDR masked wrongly on
 * Kubernetes before 1.33 (fixed by kubernetes/kubernetes#130450 and backported only to some releases), and
 * these CRDs must judge alike on every cluster.
 */
export const celContains = (outer: string, inner: string): string =>
  `(cidr(${outer}).prefixLength() <= cidr(${inner}).prefixLength() && cidr(${outer}).containsIP(cidr(${inner}).ip()))`;

/** Ranges no network may use, with the reason a person is told. */
export const RESERVED_RANGES: Readonly<Record<4 | 6, Readonly<Record<string, string>>>> = {
  4: {
    '0.0.0.0/8': '"this network" addresses',
    '127.0.0.0/8': 'loopback',
    '169.254.0.0/16': 'link-local',
    '224.0.0.0/4': 'multicast',
    '255.255.255.255/32': 'limited broadcast',
  },
  6: {
    '::/128': 'the unspecified address',
    '::1/128': 'loopback',
    'fe80::/10': 'link-local',
    'ff00::/8': 'multicast',
  },
};

const familyName = (family: 4 | 6) => `IPv${family}`;

/** Host bits, canonical text and family, each guarded so that a syntax error (format: cidr) is reported once. */
export function cidrRules(family?: 4 | 6): ValidationRule[] {
  const list: ValidationRule[] = [
    {
      rule: '!isCIDR(self) || cidr(self) == cidr(self).masked()',
      messageExpression: "self + ' has host bits set; did you mean ' + string(cidr(self).masked()) + '?'",
    },
    {
      rule: '!isCIDR(self) || cidr(self) != cidr(self).masked() || string(cidr(self)) == self',
      messageExpression: "self + ' is not in canonical form; write ' + string(cidr(self))",
    },
  ];
  if (family) {
    list.push({
      rule: `!isCIDR(self) || cidr(self).ip().family() == ${family}`,
      messageExpression: `self + ' is not an ${familyName(family)} CIDR block'`,
    });
  }
  return list;
}

export function reservedRangeRule(family: 4 | 6): ValidationRule {
  const table = RESERVED_RANGES[family];
  const ranges = `[${Object.keys(table)
    .map((r) => `'${r}'`)
    .join(', ')}]`;
  const names = `{${Object.entries(table)
    .map(([r, name]) => `'${r}': '${name}'`)
    .join(', ')}}`;
  const hits = `${ranges}.filter(r, ${celContains('r', 'self')} || ${celContains('self', 'r')})`;
  return {
    rule: `!isCIDR(self) || cidr(self).ip().family() != ${family} || ${hits}.size() == 0`,
    messageExpression: `self + ' overlaps ' + ${hits}[0] + ', which is reserved for ' + ${names}[${hits}[0]]`,
  };
}

export const CidrBlock = (description: string, family?: 4 | 6, ...extra: ValidationRule[]) =>
  Type.String({
    description,
    format: 'cidr',
    maxLength: 49,
    'x-kubernetes-validations': [...cidrRules(family), ...extra],
  });

export const NetworkBlock = (family: 4 | 6) =>
  Type.String({
    description: `An ${familyName(family)} CIDR block of the network, e.g. ${family === 4 ? '10.0.0.0/16' : 'fd00:db8::/48'}.`,
    format: 'cidr',
    maxLength: 49,
    'x-kubernetes-validations': [...cidrRules(family), reservedRangeRule(family)],
  });

export const IPAddress = (description: string) =>
  Type.String({
    description,
    maxLength: 45,
    'x-kubernetes-validations': [
      { rule: 'isIP(self)', messageExpression: "self + ' is not a valid IP address'" },
      {
        rule: '!isIP(self) || ip.isCanonical(self)',
        messageExpression: "self + ' is not in canonical form; write ' + string(ip(self))",
      },
    ],
  });

/** No block of a list contains another (equal blocks are refused as duplicates by list-type set). */
export const noOverlapRule = (field: string): ValidationRule => ({
  rule: `self.all(a, self.all(b, a == b || !isCIDR(a) || !isCIDR(b) || !${celContains('a', 'b')}))`,
  messageExpression: `'the blocks of one network must not overlap: ' + self.filter(a, self.exists(b, a != b && isCIDR(a) && isCIDR(b) && ${celContains('b', 'a')})).join(', ') + ' lies inside another block of ${field}'`,
});
