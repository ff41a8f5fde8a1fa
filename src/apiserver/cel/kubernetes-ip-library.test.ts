// Proves the CEL ip() and cidr() libraries give the results Kubernetes documents in ip.go and cidr.go.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EvaluationError } from '@marcbachmann/cel-js';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';

const evaluate = (expression: string): unknown => KUBERNETES_CEL.evaluate(expression);

function table(cases: readonly (readonly [string, unknown])[]): void {
  for (const [expression, expected] of cases) {
    test(`${expression} is ${String(expected)}`, () => assert.equal(evaluate(expression), expected));
  }
}

function refusals(cases: readonly (readonly [string, string])[]): void {
  for (const [expression, fragment] of cases) {
    test(`${expression} is an evaluation error naming ${fragment}`, () => {
      assert.throws(
        () => evaluate(expression),
        (error: unknown) => error instanceof EvaluationError && error.message.includes(fragment),
      );
    });
  }
}

describe('ip() and isIP(), from the ip.go examples', () => {
  table([
    ["string(ip('127.0.0.1'))", '127.0.0.1'],
    ["string(ip('::1'))", '::1'],
    ["isIP('127.0.0.1')", true],
    ["isIP('::1')", true],
    ["isIP('127.0.0.256')", false],
    ["isIP(':::1')", false],
  ]);
  refusals([
    ["ip('127.0.0.256')", '"127.0.0.256" is not a valid IPv4 address: 256 is greater than 255'],
    ["ip(':::1')", '":::1" is not a valid IPv6 address'],
  ]);
});

describe('ip() refuses what Kubernetes refuses', () => {
  table([
    ["isIP('::ffff:1.2.3.4')", false],
    ["isIP('fe80::1%eth0')", false],
    ["isIP('010.0.0.1')", false],
    ["isIP('10.0.0')", false],
    ["isIP(' 10.0.0.1')", false],
    ["isIP('')", false],
    ["isIP('10.0.0.0/8')", false],
    ["isIP('2001:db8::ffff:1.2.3.4')", true],
  ]);
  refusals([
    ["ip('::ffff:1.2.3.4')", 'IPv4-mapped IPv6 addresses are not allowed'],
    ["ip('fe80::1%eth0')", 'zone IDs (%eth0) are not allowed'],
    ["ip('010.0.0.1')", '"010" has a leading zero'],
  ]);
  test('ip() of a non-string does not type-check', () => {
    assert.equal(KUBERNETES_CEL.check('ip(1)').valid, false);
  });
});

describe('ip.isCanonical, from the ip.go examples', () => {
  table([
    ["ip.isCanonical('127.0.0.1')", true],
    ["ip.isCanonical('2001:db8::abcd')", true],
    ["ip.isCanonical('2001:DB8::ABCD')", false],
    ["ip.isCanonical('2001:db8::0:0:0:abcd')", false],
    ["ip.isCanonical('2001:db8:0:0:0:0:0:1')", false],
    ["string(ip('2001:DB8::0:0:0:ABCD'))", '2001:db8::abcd'],
  ]);
  refusals([["ip.isCanonical('10.0.0.256')", '256 is greater than 255']]);
});

describe('family and classification, from the ip.go examples', () => {
  table([
    ["ip('127.0.0.1').family()", 4n],
    ["ip('::1').family()", 6n],
    ["ip('127.0.0.1').family() == 4", true],
    ["ip('::1').family() == 6", true],
    ["ip('0.0.0.0').isUnspecified()", true],
    ["ip('127.0.0.1').isUnspecified()", false],
    ["ip('::').isUnspecified()", true],
    ["ip('::1').isUnspecified()", false],
    ["ip('127.0.0.1').isLoopback()", true],
    ["ip('192.168.0.1').isLoopback()", false],
    ["ip('::1').isLoopback()", true],
    ["ip('2001:db8::abcd').isLoopback()", false],
    ["ip('224.0.0.1').isLinkLocalMulticast()", true],
    ["ip('224.0.1.1').isLinkLocalMulticast()", false],
    ["ip('ff02::1').isLinkLocalMulticast()", true],
    ["ip('fd00::1').isLinkLocalMulticast()", false],
    ["ip('169.254.169.254').isLinkLocalUnicast()", true],
    ["ip('192.168.0.1').isLinkLocalUnicast()", false],
    ["ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('fd80::1').isLinkLocalUnicast()", false],
    ["ip('192.168.0.1').isGlobalUnicast()", true],
    ["ip('255.255.255.255').isGlobalUnicast()", false],
    ["ip('2001:db8::abcd').isGlobalUnicast()", true],
    ["ip('ff00::1').isGlobalUnicast()", false],
  ]);
});

describe('classification follows Go net/netip beyond the examples', () => {
  table([
    ["ip('127.255.255.254').isLoopback()", true],
    ["ip('::2').isLoopback()", false],
    ["ip('224.0.0.255').isLinkLocalMulticast()", true],
    ["ip('ff12::1').isLinkLocalMulticast()", true],
    ["ip('ff05::1').isLinkLocalMulticast()", false],
    ["ip('169.253.255.255').isLinkLocalUnicast()", false],
    ["ip('febf::1').isLinkLocalUnicast()", true],
    ["ip('fec0::1').isLinkLocalUnicast()", false],
    ["ip('0.0.0.0').isGlobalUnicast()", false],
    ["ip('::').isGlobalUnicast()", false],
    ["ip('127.0.0.1').isGlobalUnicast()", false],
    ["ip('239.1.1.1').isGlobalUnicast()", false],
    ["ip('240.0.0.1').isGlobalUnicast()", true],
    ["ip('169.254.1.1').isGlobalUnicast()", false],
    ["ip('10.0.0.1').isGlobalUnicast()", true],
    ["ip('fd00::1').isGlobalUnicast()", true],
    ["ip('fe80::1').isGlobalUnicast()", false],
  ]);
});

describe('IP equality', () => {
  table([
    ["ip('::1') == ip('0:0:0:0:0:0:0:1')", true],
    ["ip('10.0.0.1') == ip('10.0.0.1')", true],
    ["ip('10.0.0.1') != ip('10.0.0.2')", true],
    ["ip('10.0.0.1') == ip('10.0.0.2')", false],
    ["ip('0.0.0.0') == ip('::')", false],
    ["[ip('10.0.0.1')] == [ip('10.0.0.1')]", true],
  ]);
});

describe('cidr() and isCIDR(), from the cidr.go examples', () => {
  table([
    ["string(cidr('192.168.0.0/16'))", '192.168.0.0/16'],
    ["string(cidr('::1/128'))", '::1/128'],
    ["isCIDR('192.168.0.0/16')", true],
    ["isCIDR('::1/128')", true],
    ["isCIDR('192.168.0.0/33')", false],
    ["isCIDR('::1/129')", false],
  ]);
  refusals([
    ["cidr('192.168.0.0/33')", 'the prefix length 33 is out of range'],
    ["cidr('::1/129')", 'the prefix length 129 is out of range'],
    ["cidr('192.168.0.0/')", 'the prefix length "" must be a whole number'],
    ["cidr('2001:db8::/')", 'the prefix length "" must be a whole number'],
  ]);
});

describe('cidr() keeps host bits, as netip.ParsePrefix does (the cidr.go doc comment says otherwise)', () => {
  table([
    ["isCIDR('192.168.0.1/16')", true],
    ["string(cidr('192.168.0.1/16'))", '192.168.0.1/16'],
    ["cidr('10.0.0.1/16').masked() == cidr('10.0.0.0/16')", true],
    ["string(cidr('10.0.0.1/16').masked())", '10.0.0.0/16'],
    ["cidr('10.0.0.1/16').ip() == ip('10.0.0.1')", true],
    ["cidr('10.0.0.1/16') == cidr('10.0.0.0/16')", false],
    ["string(cidr('2001:db8:1::/32').masked())", '2001:db8::/32'],
    ["cidr('2001:db8:1::/32').masked() == cidr('2001:db8::/32')", true],
  ]);
});

describe('cidr() refuses what Kubernetes refuses', () => {
  table([
    ["isCIDR('::ffff:1.2.3.0/120')", false],
    ["isCIDR('fe80::1%eth0/64')", false],
    ["isCIDR('010.0.0.0/8')", false],
    ["isCIDR('10.0.0.0/08')", false],
    ["isCIDR('10.0.0.0/+8')", false],
    ["isCIDR('10.0.0.0')", false],
    ["isCIDR('10.0.0.0/8/8')", false],
    ["isCIDR('10.0.0.0 /8')", false],
    ["isCIDR('')", false],
    ["isCIDR('0.0.0.0/0')", true],
    ["isCIDR('::/0')", true],
  ]);
  refusals([
    ["cidr('::ffff:1.2.3.0/120')", 'IPv4-mapped IPv6 addresses are not allowed'],
    ["cidr('fe80::1%eth0/64')", 'zone IDs (%eth0) are not allowed'],
    ["cidr('010.0.0.0/8')", '"010" has a leading zero'],
    ["cidr('10.0.0.0')", 'it has no prefix length'],
  ]);
});

describe('containsIP, containsCIDR, ip, masked and prefixLength, from the cidr.go examples', () => {
  table([
    ["cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", true],
    ["cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", false],
    ["cidr('192.168.0.0/24').containsIP('192.168.0.1')", true],
    ["cidr('192.168.0.0/24').containsIP('192.168.1.1')", false],
    ["cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))", true],
    ["cidr('192.168.1.0/24').containsCIDR(cidr('192.168.2.0/24'))", false],
    ["cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", true],
    ["cidr('192.168.1.0/24').containsCIDR('192.168.2.0/24')", false],
    ["cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", true],
    ["cidr('192.168.0.1/24').ip().family()", 4n],
    ["cidr('::1/128').ip() == ip('::1')", true],
    ["cidr('::1/128').ip().family()", 6n],
    ["cidr('192.168.0.0/24').masked() == cidr('192.168.0.0/24')", true],
    ["cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true],
    ["cidr('192.168.0.0/24') == cidr('192.168.0.0/24').masked()", true],
    ["cidr('192.168.0.1/24') == cidr('192.168.0.1/24').masked()", false],
    ["cidr('192.168.0.0/16').prefixLength()", 16n],
    ["cidr('::1/128').prefixLength()", 128n],
  ]);
});

describe('containment beyond the examples: IPv6, host bits, both argument kinds, mixed families', () => {
  table([
    ["cidr('2001:db8::/32').containsIP(ip('2001:db8::1'))", true],
    ["cidr('2001:db8::/32').containsIP(ip('2001:dc8::1'))", false],
    ["cidr('2001:db8::/32').containsIP('2001:db8::1')", true],
    ["cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/33'))", true],
    ["cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/31'))", false],
    ["cidr('2001:db8::/32').containsCIDR('2001:db8:ffff::/48')", true],
    ["cidr('2001:db8::/32').containsCIDR('2001:db9::/48')", false],
    ["cidr('192.168.0.0/16').containsCIDR('192.168.0.1/32')", true],
    ["cidr('192.168.0.0/24').containsCIDR('192.168.0.0/24')", true],
    ["cidr('10.0.0.1/16').containsIP('10.0.200.1')", true],
    ["cidr('10.0.0.1/16').containsCIDR('10.0.5.0/24')", true],
    ["cidr('10.0.0.0/16').containsCIDR('10.0.5.7/8')", false],
    ["cidr('0.0.0.0/0').containsIP('255.255.255.255')", true],
    ["cidr('::/0').containsIP('::1')", true],
    ["cidr('0.0.0.0/0').containsIP('::1')", false],
    ["cidr('::/0').containsIP('10.0.0.1')", false],
    ["cidr('::/0').containsCIDR('10.0.0.0/8')", false],
    ["cidr('0.0.0.0/0').containsCIDR('::/0')", false],
    ["cidr('::/0').prefixLength()", 0n],
  ]);
  refusals([
    ["cidr('10.0.0.0/8').containsIP('10.0.0.256')", '256 is greater than 255'],
    ["cidr('10.0.0.0/8').containsCIDR('10.0.0.0/33')", 'the prefix length 33 is out of range'],
  ]);
});

describe('CIDR equality', () => {
  table([
    ["cidr('2001:db8::/32') == cidr('2001:DB8:0::/32')", true],
    ["cidr('10.0.0.0/8') != cidr('10.0.0.0/9')", true],
    ["cidr('10.0.0.0/8') == cidr('10.0.0.0/9')", false],
    ["cidr('0.0.0.0/0') == cidr('::/0')", false],
  ]);
});
