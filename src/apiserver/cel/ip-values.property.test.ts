// Proves the net.IP and net.CIDR values round-trip through their text and that masking and containment agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Address, IPV6_MAX, ipv4, ipv6, isIPv4Mapped } from '../../ipam/index.ts';
import {
  CIDRValue,
  cidrContainsCIDR,
  cidrContainsIP,
  formatCIDR,
  formatIP,
  IPValue,
  maskedCIDR,
  parseCIDR,
  parseIP,
  sameCIDR,
  sameIP,
} from './ip-values.ts';

const address: fc.Arbitrary<Address> = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map(ipv4),
  fc
    .bigInt({ min: 0n, max: IPV6_MAX })
    .filter((value) => !isIPv4Mapped(value))
    .map(ipv6),
);
const ip = address.map((value) => new IPValue(value));
const cidr = address.chain((value) =>
  fc.integer({ min: 0, max: value.family === 4 ? 32 : 128 }).map((bits) => new CIDRValue(value, bits)),
);

function parsed<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) assert.fail(result.message);
  return result.value;
}

test('an IP parses back from its text, which is canonical', () => {
  fc.assert(
    fc.property(ip, (value) => {
      const text = formatIP(value);
      assert.ok(sameIP(parsed(parseIP(text)), value));
      assert.equal(formatIP(parsed(parseIP(text))), text);
    }),
  );
});

test('a CIDR parses back from its text, host bits included', () => {
  fc.assert(fc.property(cidr, (value) => assert.ok(sameCIDR(parsed(parseCIDR(formatCIDR(value))), value))));
});

test('masking is idempotent and keeps the block the same', () => {
  fc.assert(
    fc.property(cidr, (value) => {
      const masked = maskedCIDR(value);
      assert.ok(sameCIDR(maskedCIDR(masked), masked));
      assert.ok(cidrContainsCIDR(value, masked) && cidrContainsCIDR(masked, value));
      assert.equal(masked.bits, value.bits);
    }),
  );
});

test('a CIDR contains its own address and the CIDRs of any longer length around its addresses', () => {
  fc.assert(
    fc.property(cidr, fc.nat(128), (value, extra) => {
      assert.ok(cidrContainsIP(value, new IPValue(value.address)));
      const bits = Math.min(value.bits + extra, value.address.family === 4 ? 32 : 128);
      assert.ok(cidrContainsCIDR(value, new CIDRValue(value.address, bits)));
    }),
  );
});

test('containsCIDR agrees with containsIP of the inner block’s addresses, and is false across families', () => {
  fc.assert(
    fc.property(cidr, cidr, (outer, inner) => {
      const contains = cidrContainsCIDR(outer, inner);
      if (outer.address.family !== inner.address.family) return assert.equal(contains, false);
      const innerIP = new IPValue(inner.address);
      assert.equal(contains, outer.bits <= inner.bits && cidrContainsIP(outer, innerIP));
    }),
  );
});
