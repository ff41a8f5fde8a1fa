// Proves CIDR parsing is strict with fixing messages, and first/last/size/contains/overlaps/split are exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type Address,
  formatAddress,
  formatIPv4,
  ipv4,
  ipv6,
  isIPv4Mapped,
  type ParseAddressOptions,
  parseAddress,
} from './address.ts';
import type { ParseResult } from './parse-result.ts';
import {
  comparePrefixes,
  containsAddress,
  containsPrefix,
  firstAddress,
  formatPrefix,
  ipv4Size,
  ipv6Size,
  lastAddress,
  maskIPv4,
  maskIPv6,
  overlaps,
  type Prefix,
  parsePrefix,
  prefixOf,
  prefixSize,
  samePrefix,
  splitPrefix,
} from './prefix.ts';

const ALLOW: ParseAddressOptions = { allowIPv4Mapped: true };
const TOP = 0xffffffffffffffffffffffffffffffffn;
const V4_TOP = 4294967295;

const namesInput = (message: string, input: string): boolean =>
  message.includes(input) || message.includes(JSON.stringify(input));
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const widthOf = (family: 4 | 6): number => (family === 4 ? 32 : 128);
const firstByHand = (p: Prefix): bigint => BigInt(p.addr);
const lastByHand = (p: Prefix): bigint => BigInt(p.addr) + (1n << BigInt(widthOf(p.family) - p.bits)) - 1n;

function value<T>(result: ParseResult<T>): T {
  if (!result.ok) assert.fail(`expected success, got: ${result.message}`);
  return result.value;
}

const pfx = (text: string): Prefix => value(parsePrefix(text, ALLOW));
const addr = (text: string): Address => value(parseAddress(text, ALLOW));

interface ValidPrefix {
  readonly text: string;
  readonly family: 4 | 6;
  readonly addr: number | bigint;
  readonly bits: number;
  readonly canonical: string;
  readonly size: bigint;
  readonly first: string;
  readonly last: string;
  readonly options?: ParseAddressOptions;
}

const validPrefixes: readonly ValidPrefix[] = [
  {
    text: '0.0.0.0/0',
    family: 4,
    addr: 0,
    bits: 0,
    canonical: '0.0.0.0/0',
    size: 4294967296n,
    first: '0.0.0.0',
    last: '255.255.255.255',
  },
  {
    text: '0.0.0.0/1',
    family: 4,
    addr: 0,
    bits: 1,
    canonical: '0.0.0.0/1',
    size: 2147483648n,
    first: '0.0.0.0',
    last: '127.255.255.255',
  },
  {
    text: '128.0.0.0/1',
    family: 4,
    addr: 2147483648,
    bits: 1,
    canonical: '128.0.0.0/1',
    size: 2147483648n,
    first: '128.0.0.0',
    last: '255.255.255.255',
  },
  {
    text: '10.0.0.0/8',
    family: 4,
    addr: 167772160,
    bits: 8,
    canonical: '10.0.0.0/8',
    size: 16777216n,
    first: '10.0.0.0',
    last: '10.255.255.255',
  },
  {
    text: '10.0.0.0/16',
    family: 4,
    addr: 167772160,
    bits: 16,
    canonical: '10.0.0.0/16',
    size: 65536n,
    first: '10.0.0.0',
    last: '10.0.255.255',
  },
  {
    text: '172.16.0.0/12',
    family: 4,
    addr: 2886729728,
    bits: 12,
    canonical: '172.16.0.0/12',
    size: 1048576n,
    first: '172.16.0.0',
    last: '172.31.255.255',
  },
  {
    text: '192.168.1.0/24',
    family: 4,
    addr: 3232235776,
    bits: 24,
    canonical: '192.168.1.0/24',
    size: 256n,
    first: '192.168.1.0',
    last: '192.168.1.255',
  },
  {
    text: '192.168.1.4/31',
    family: 4,
    addr: 3232235780,
    bits: 31,
    canonical: '192.168.1.4/31',
    size: 2n,
    first: '192.168.1.4',
    last: '192.168.1.5',
  },
  {
    text: '192.168.1.5/32',
    family: 4,
    addr: 3232235781,
    bits: 32,
    canonical: '192.168.1.5/32',
    size: 1n,
    first: '192.168.1.5',
    last: '192.168.1.5',
  },
  {
    text: '0.0.0.0/32',
    family: 4,
    addr: 0,
    bits: 32,
    canonical: '0.0.0.0/32',
    size: 1n,
    first: '0.0.0.0',
    last: '0.0.0.0',
  },
  {
    text: '255.255.255.254/31',
    family: 4,
    addr: 4294967294,
    bits: 31,
    canonical: '255.255.255.254/31',
    size: 2n,
    first: '255.255.255.254',
    last: '255.255.255.255',
  },
  {
    text: '255.255.255.255/32',
    family: 4,
    addr: 4294967295,
    bits: 32,
    canonical: '255.255.255.255/32',
    size: 1n,
    first: '255.255.255.255',
    last: '255.255.255.255',
  },
  {
    text: '::/0',
    family: 6,
    addr: 0n,
    bits: 0,
    canonical: '::/0',
    size: 340282366920938463463374607431768211456n,
    first: '::',
    last: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: '::/128',
    family: 6,
    addr: 0n,
    bits: 128,
    canonical: '::/128',
    size: 1n,
    first: '::',
    last: '::',
  },
  {
    text: '::1/128',
    family: 6,
    addr: 1n,
    bits: 128,
    canonical: '::1/128',
    size: 1n,
    first: '::1',
    last: '::1',
  },
  {
    text: '::/127',
    family: 6,
    addr: 0n,
    bits: 127,
    canonical: '::/127',
    size: 2n,
    first: '::',
    last: '::1',
  },
  {
    text: '8000::/1',
    family: 6,
    addr: 0x80000000000000000000000000000000n,
    bits: 1,
    canonical: '8000::/1',
    size: 170141183460469231731687303715884105728n,
    first: '8000::',
    last: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: '2001:db8::/32',
    family: 6,
    addr: 0x20010db8000000000000000000000000n,
    bits: 32,
    canonical: '2001:db8::/32',
    size: 79228162514264337593543950336n,
    first: '2001:db8::',
    last: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: '2001:DB8:0:0::/48',
    family: 6,
    addr: 0x20010db8000000000000000000000000n,
    bits: 48,
    canonical: '2001:db8::/48',
    size: 1208925819614629174706176n,
    first: '2001:db8::',
    last: '2001:db8:0:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: 'fe80::/64',
    family: 6,
    addr: 0xfe800000000000000000000000000000n,
    bits: 64,
    canonical: 'fe80::/64',
    size: 18446744073709551616n,
    first: 'fe80::',
    last: 'fe80::ffff:ffff:ffff:ffff',
  },
  {
    text: '2001:db8::2/127',
    family: 6,
    addr: 0x20010db8000000000000000000000002n,
    bits: 127,
    canonical: '2001:db8::2/127',
    size: 2n,
    first: '2001:db8::2',
    last: '2001:db8::3',
  },
  {
    text: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127',
    family: 6,
    addr: 0xfffffffffffffffffffffffffffffffen,
    bits: 127,
    canonical: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127',
    size: 2n,
    first: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe',
    last: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
    family: 6,
    addr: TOP,
    bits: 128,
    canonical: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
    size: 1n,
    first: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    last: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  },
  {
    text: '::1.2.3.0/120',
    family: 6,
    addr: 0x01020300n,
    bits: 120,
    canonical: '::102:300/120',
    size: 256n,
    first: '::102:300',
    last: '::102:3ff',
  },
  {
    text: '::ffff:10.0.0.0/104',
    family: 6,
    addr: 0xffff0a000000n,
    bits: 104,
    canonical: '::ffff:10.0.0.0/104',
    size: 16777216n,
    first: '::ffff:10.0.0.0',
    last: '::ffff:10.255.255.255',
    options: ALLOW,
  },
  {
    text: '::ffff:0.0.0.0/96',
    family: 6,
    addr: 0xffff00000000n,
    bits: 96,
    canonical: '::ffff:0.0.0.0/96',
    size: 4294967296n,
    first: '::ffff:0.0.0.0',
    last: '::ffff:255.255.255.255',
    options: ALLOW,
  },
];

for (const c of validPrefixes) {
  test(`parses ${c.text}: ${c.size} addresses from ${c.first} to ${c.last}`, () => {
    const p = value(parsePrefix(c.text, c.options));
    assert.deepEqual(p, { family: c.family, addr: c.addr, bits: c.bits });
    assert.equal(formatPrefix(p), c.canonical);
    assert.deepEqual(value(parsePrefix(c.canonical, c.options)), p);
    assert.equal(prefixSize(p), c.size);
    assert.equal(formatAddress(firstAddress(p)), c.first);
    assert.equal(formatAddress(lastAddress(p)), c.last);
    assert.equal(firstAddress(p).family, c.family);
    assert.equal(lastAddress(p).family, c.family);
    assert.equal(BigInt(lastAddress(p).value) - BigInt(firstAddress(p).value) + 1n, c.size);
    assert.ok(containsAddress(p, firstAddress(p)));
    assert.ok(containsAddress(p, lastAddress(p)));
  });
}

test('the top of each space is the last address of its /0', () => {
  assert.deepEqual(lastAddress(pfx('0.0.0.0/0')), { family: 4, value: 4294967295 });
  assert.deepEqual(lastAddress(pfx('::/0')), { family: 6, value: 2n ** 128n - 1n });
  assert.deepEqual(firstAddress(pfx('0.0.0.0/0')), { family: 4, value: 0 });
  assert.deepEqual(firstAddress(pfx('::/0')), { family: 6, value: 0n });
  assert.equal(prefixSize(pfx('0.0.0.0/0')), 2n ** 32n);
  assert.equal(prefixSize(pfx('::/0')), 2n ** 128n);
});

interface Refusal {
  readonly text: string;
  readonly fragments: readonly string[];
  readonly suggestion?: string | undefined;
  readonly options?: ParseAddressOptions;
}

const invalidPrefixes: readonly Refusal[] = [
  { text: '', fragments: ['empty'], suggestion: undefined },
  { text: '/', fragments: ['write an address'], suggestion: undefined },
  { text: '/24', fragments: ['write an address'], suggestion: undefined },
  { text: '/0', fragments: ['write an address'], suggestion: undefined },
  {
    text: '1.2.3.4/',
    fragments: ['the prefix length "" must be a whole number from 0 to 32'],
    suggestion: undefined,
  },
  { text: '::/', fragments: ['whole number from 0 to 128'], suggestion: undefined },
  { text: '1.2.3.4//24', fragments: ['more than one "/"'], suggestion: undefined },
  { text: '10.0.0.0/8/8', fragments: ['more than one "/"'], suggestion: undefined },
  { text: '1.2.3.4/+8', fragments: ['"+8" must be a whole number'], suggestion: undefined },
  { text: '1.2.3.4/08', fragments: ['"08"', 'without leading zeros'], suggestion: undefined },
  { text: '10.0.0.0/008', fragments: ['without leading zeros'], suggestion: undefined },
  { text: '::/00', fragments: ['"00"', 'from 0 to 128, without leading zeros'], suggestion: undefined },
  { text: '1.2.3.4/-1', fragments: ['"-1" must be a whole number'], suggestion: undefined },
  { text: '1.2.3.0/24.0', fragments: ['whole number'], suggestion: undefined },
  { text: '1.2.3.0/0x18', fragments: ['whole number'], suggestion: undefined },
  { text: '1.2.3.0/２４', fragments: ['whole number'], suggestion: undefined },
  { text: '1.2.3.0/ 24', fragments: ['whole number'], suggestion: undefined },
  {
    text: '1.2.3.4/33',
    fragments: ['the prefix length 33 is out of range; IPv4 allows 0 to 32'],
    suggestion: undefined,
  },
  { text: '0.0.0.0/4294967296', fragments: ['out of range'], suggestion: undefined },
  {
    text: '::/129',
    fragments: ['the prefix length 129 is out of range; IPv6 allows 0 to 128'],
    suggestion: undefined,
  },
  { text: '10.0.0.0', fragments: ['no prefix length', '10.0.0.0/32'], suggestion: undefined },
  { text: '::1', fragments: ['no prefix length', '::1/128'], suggestion: undefined },
  { text: 'fd00::', fragments: ['no prefix length', 'fd00::/128'], suggestion: undefined },
  { text: '010.0.0.0/8', fragments: ['leading zero', 'did you mean 10.0.0.0/8?'], suggestion: '10.0.0.0/8' },
  { text: '10.0.0.01/32', fragments: ['leading zero'], suggestion: '10.0.0.1/32' },
  { text: '192.168.001.000/24', fragments: ['leading zero'], suggestion: '192.168.1.0/24' },
  { text: '010.0.0.0/100', fragments: ['leading zero'], suggestion: '10.0.0.0/100' },
  { text: ' 10.0.0.0/8', fragments: ['white space'], suggestion: '10.0.0.0/8' },
  { text: 'fe80::%eth0/64', fragments: ['zone'], suggestion: 'fe80::/64' },
  { text: 'fe80::1%eth0/128', fragments: ['zone'], suggestion: 'fe80::1/128' },
  { text: '::ffff:10.0.0.0/104', fragments: ['IPv4-mapped'], suggestion: '10.0.0.0/8' },
  { text: '::ffff:a00:0/104', fragments: ['IPv4-mapped'], suggestion: '10.0.0.0/8' },
  { text: '::ffff:10.0.0.1/128', fragments: ['IPv4-mapped'], suggestion: '10.0.0.1/32' },
  { text: '::ffff:0.0.0.0/96', fragments: ['IPv4-mapped'], suggestion: '0.0.0.0/0' },
  { text: '10.0/8', fragments: ['it has 2 parts'], suggestion: undefined },
  { text: '10.0.0/24', fragments: ['it has 3 parts'], suggestion: undefined },
  { text: '256.0.0.0/8', fragments: ['256 is greater than 255'], suggestion: undefined },
  { text: '１.2.3.4/8', fragments: ['is not a decimal number'], suggestion: undefined },
  { text: '0x0a.0.0.0/8', fragments: ['"0x0a" is not a decimal number'], suggestion: undefined },
  { text: '1e1.0.0.0/8', fragments: ['"1e1" is not a decimal number'], suggestion: undefined },
  { text: 'abc', fragments: ['it has 1 part'], suggestion: undefined },
  { text: 'garbage/8', fragments: ['it has 1 part'], suggestion: undefined },
  { text: 'a.b.c.d/8', fragments: ['"a" is not a decimal number'], suggestion: undefined },
  { text: ':::/64', fragments: ['empty group'], suggestion: undefined },
  { text: ':1::/64', fragments: ['empty group'], suggestion: undefined },
  { text: '1::2::3/64', fragments: ['"::" may appear only once'], suggestion: undefined },
  { text: '12345::/16', fragments: ['more than 4 hexadecimal digits'], suggestion: undefined },
  { text: 'g::/16', fragments: ['"g" is not a hexadecimal group'], suggestion: undefined },
  { text: '1:2:3:4:5:6:7:8:9/128', fragments: ['it has 9 groups'], suggestion: undefined },
  { text: '1:2:3:4:5:6:7:8::/128', fragments: ['at least one group'], suggestion: undefined },
  { text: '1.2.3.4::/64', fragments: ['may only end the address'], suggestion: undefined },
  { text: '::1.2.3.4:5/128', fragments: ['may only end the address'], suggestion: undefined },
];

for (const c of invalidPrefixes) {
  test(`refuses CIDR ${JSON.stringify(c.text)}: ${c.fragments.join(', ')}`, () => {
    const result = parsePrefix(c.text, c.options);
    if (result.ok) assert.fail(`accepted as ${formatPrefix(result.value)}`);
    assert.equal(result.ok, false);
    assert.ok(namesInput(result.message, c.text), `message does not name the input: ${result.message}`);
    assert.ok(result.problem.length > 0);
    for (const fragment of c.fragments) {
      assert.ok(
        result.message.includes(fragment),
        `message lacks ${JSON.stringify(fragment)}: ${result.message}`,
      );
    }
    assert.equal(result.suggestion, c.suggestion);
    if (c.suggestion !== undefined) {
      assert.ok(result.message.includes(`did you mean ${c.suggestion}?`), result.message);
    }
  });
}

test('a suggestion for "10. 0.0.0/8" is not the input itself', () => {
  const result = parsePrefix('10. 0.0.0/8');
  if (result.ok) assert.fail('accepted');
  assert.ok(result.message.includes('white space'), result.message);
  assert.notEqual(result.suggestion, '10. 0.0.0/8', `the suggestion repeats the input: ${result.message}`);
});

const hostBits: readonly (readonly [string, string, ParseAddressOptions?])[] = [
  ['10.0.0.1/16', '10.0.0.0/16'],
  ['10.1.2.3/8', '10.0.0.0/8'],
  ['192.168.1.1/24', '192.168.1.0/24'],
  ['192.168.1.5/31', '192.168.1.4/31'],
  ['192.168.1.255/31', '192.168.1.254/31'],
  ['255.255.255.255/31', '255.255.255.254/31'],
  ['255.255.255.255/0', '0.0.0.0/0'],
  ['0.0.0.1/0', '0.0.0.0/0'],
  ['128.0.0.1/1', '128.0.0.0/1'],
  ['127.255.255.255/1', '0.0.0.0/1'],
  ['::1/0', '::/0'],
  ['::1/127', '::/127'],
  ['::3/127', '::2/127'],
  ['2001:db8::1/64', '2001:db8::/64'],
  ['2001:DB8::1/32', '2001:db8::/32'],
  ['2001:db8:0:0:1::/64', '2001:db8::/64'],
  ['2001:db8::1:0:0:1/80', '2001:db8:0:0:1::/80'],
  ['fe80::1:0:0:0/64', 'fe80::/64'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1', '8000::/1'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0', '::/0'],
  ['::ffff:10.0.0.1/104', '::ffff:10.0.0.0/104', ALLOW],
];

for (const [text, meant, options] of hostBits) {
  test(`refuses ${text}: host bits set, did you mean ${meant}`, () => {
    const result = parsePrefix(text, options);
    if (result.ok) assert.fail(`accepted as ${formatPrefix(result.value)}`);
    assert.equal(result.message, `${text} has host bits set; did you mean ${meant}?`);
    assert.equal(result.suggestion, meant);
    assert.ok(result.problem.includes('host bits'));
    assert.ok(!result.problem.includes(text));
    assert.ok(parsePrefix(meant, options).ok, 'the suggestion does not parse');
  });
}

const sizes: readonly (readonly [number, number])[] = [
  [0, 4294967296],
  [1, 2147483648],
  [8, 16777216],
  [24, 256],
  [31, 2],
  [32, 1],
];

for (const [bits, size] of sizes) {
  test(`ipv4Size(${bits}) is ${size}`, () => {
    assert.equal(ipv4Size(bits), size);
  });
}

const v6Sizes: readonly (readonly [number, bigint])[] = [
  [0, 340282366920938463463374607431768211456n],
  [1, 170141183460469231731687303715884105728n],
  [64, 18446744073709551616n],
  [96, 4294967296n],
  [127, 2n],
  [128, 1n],
];

for (const [bits, size] of v6Sizes) {
  test(`ipv6Size(${bits}) is ${size}`, () => {
    assert.equal(ipv6Size(bits), size);
  });
}

const masks4: readonly (readonly [number, number, number])[] = [
  [V4_TOP, 0, 0],
  [V4_TOP, 1, 2147483648],
  [V4_TOP, 8, 4278190080],
  [V4_TOP, 24, 4294967040],
  [V4_TOP, 31, 4294967294],
  [V4_TOP, 32, V4_TOP],
  [167838211, 16, 167837696],
  [167838211, 8, 167772160],
  [0, 0, 0],
  [0, 32, 0],
];

for (const [a, bits, masked] of masks4) {
  test(`maskIPv4(${a}, ${bits}) is ${masked}`, () => {
    assert.equal(maskIPv4(a, bits), masked);
  });
}

const masks6: readonly (readonly [bigint, number, bigint])[] = [
  [TOP, 0, 0n],
  [TOP, 1, 0x80000000000000000000000000000000n],
  [TOP, 64, 0xffffffffffffffff0000000000000000n],
  [TOP, 127, 0xfffffffffffffffffffffffffffffffen],
  [TOP, 128, TOP],
  [0x20010db8000000000000000000000001n, 32, 0x20010db8000000000000000000000000n],
  [0n, 0, 0n],
  [0n, 128, 0n],
];

for (const [a, bits, masked] of masks6) {
  test(`maskIPv6(0x${a.toString(16)}, ${bits}) is 0x${masked.toString(16)}`, () => {
    assert.equal(maskIPv6(a, bits), masked);
  });
}

const prefixOfCases: readonly (readonly [Address, number, string])[] = [
  [ipv4(167838211), 8, '10.0.0.0/8'],
  [ipv4(167838211), 32, '10.1.2.3/32'],
  [ipv4(V4_TOP), 0, '0.0.0.0/0'],
  [ipv4(V4_TOP), 31, '255.255.255.254/31'],
  [ipv4(V4_TOP), 32, '255.255.255.255/32'],
  [ipv6(TOP), 0, '::/0'],
  [ipv6(TOP), 1, '8000::/1'],
  [ipv6(TOP), 128, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'],
  [ipv6(0x20010db8000000000000000000000001n), 127, '2001:db8::/127'],
  [ipv6(0x20010db8000000000000000000000001n), 128, '2001:db8::1/128'],
];

for (const [a, bits, expected] of prefixOfCases) {
  test(`prefixOf(${formatAddress(a)}, ${bits}) is ${expected}`, () => {
    assert.equal(formatPrefix(prefixOf(a, bits)), expected);
  });
}

test('formatPrefix writes canonical text', () => {
  assert.equal(formatPrefix({ family: 4, addr: 167772160, bits: 8 }), '10.0.0.0/8');
  assert.equal(formatPrefix({ family: 4, addr: V4_TOP, bits: 32 }), '255.255.255.255/32');
  assert.equal(formatPrefix({ family: 6, addr: 0n, bits: 0 }), '::/0');
  assert.equal(
    formatPrefix({ family: 6, addr: 0x20010db8000000010000000000000000n, bits: 64 }),
    '2001:db8:0:1::/64',
  );
  assert.equal(formatPrefix({ family: 6, addr: 0xffff0a000000n, bits: 104 }), '::ffff:10.0.0.0/104');
});

const containsAddressCases: readonly (readonly [string, string, boolean])[] = [
  ['10.0.0.0/8', '10.0.0.0', true],
  ['10.0.0.0/8', '10.255.255.255', true],
  ['10.0.0.0/8', '11.0.0.0', false],
  ['10.0.0.0/8', '9.255.255.255', false],
  ['0.0.0.0/0', '255.255.255.255', true],
  ['0.0.0.0/0', '::', false],
  ['0.0.0.0/0', '::ffff:1.2.3.4', false],
  ['::/0', '1.2.3.4', false],
  ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
  ['::/128', '::', true],
  ['::/128', '::1', false],
  ['2001:db8::/127', '2001:db8::1', true],
  ['2001:db8::/127', '2001:db8::2', false],
  ['255.255.255.255/32', '255.255.255.255', true],
  ['255.255.255.255/32', '255.255.255.254', false],
  ['192.168.1.4/31', '192.168.1.5', true],
  ['192.168.1.4/31', '192.168.1.6', false],
  ['192.168.1.4/31', '192.168.1.3', false],
];

for (const [p, a, expected] of containsAddressCases) {
  test(`containsAddress(${p}, ${a}) is ${expected}`, () => {
    assert.equal(containsAddress(pfx(p), addr(a)), expected);
  });
}

const relations: readonly (readonly [string, string, boolean, boolean, boolean])[] = [
  ['10.0.0.0/8', '10.1.0.0/16', true, false, true],
  ['10.0.0.0/8', '10.0.0.0/8', true, true, true],
  ['10.0.0.0/8', '11.0.0.0/8', false, false, false],
  ['10.0.0.0/8', '11.0.0.0/16', false, false, false],
  ['0.0.0.0/0', '255.255.255.255/32', true, false, true],
  ['0.0.0.0/0', '::/0', false, false, false],
  ['::/0', '0.0.0.0/0', false, false, false],
  ['::/0', 'fe80::/64', true, false, true],
  ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', true, false, true],
  ['::/128', '::1/128', false, false, false],
  ['::/127', '::1/128', true, false, true],
  ['2001:db8::/32', '2001:db9::/48', false, false, false],
  ['192.168.1.4/31', '192.168.1.5/32', true, false, true],
  ['192.168.1.4/31', '192.168.1.6/31', false, false, false],
  ['0.0.0.0/1', '128.0.0.0/1', false, false, false],
];

for (const [a, b, contains, same, overlap] of relations) {
  test(`${a} vs ${b}: contains ${contains}, same ${same}, overlaps ${overlap}`, () => {
    const pa = pfx(a);
    const pb = pfx(b);
    assert.equal(containsPrefix(pa, pb), contains);
    assert.equal(samePrefix(pa, pb), same);
    assert.equal(samePrefix(pb, pa), same);
    assert.equal(overlaps(pa, pb), overlap);
    assert.equal(overlaps(pb, pa), overlap);
    assert.equal(containsPrefix(pb, pa), same || (overlap && !contains));
  });
}

test('comparePrefixes sorts by family, then address, then shorter first', () => {
  const texts = [
    '::/0',
    '10.0.0.0/16',
    '10.0.0.0/8',
    '9.0.0.0/8',
    '10.1.0.0/16',
    '::1/128',
    '::/128',
    '0.0.0.0/0',
    '255.255.255.255/32',
  ];
  const sorted = texts.map(pfx).sort(comparePrefixes).map(formatPrefix);
  assert.deepEqual(sorted, [
    '0.0.0.0/0',
    '9.0.0.0/8',
    '10.0.0.0/8',
    '10.0.0.0/16',
    '10.1.0.0/16',
    '255.255.255.255/32',
    '::/0',
    '::/128',
    '::1/128',
  ]);
  assert.equal(comparePrefixes(pfx('10.0.0.0/8'), pfx('10.0.0.0/8')), 0);
});

const splits: readonly (readonly [string, number, readonly string[]])[] = [
  ['10.0.0.0/8', 10, ['10.0.0.0/10', '10.64.0.0/10', '10.128.0.0/10', '10.192.0.0/10']],
  ['0.0.0.0/0', 2, ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2']],
  ['0.0.0.0/0', 0, ['0.0.0.0/0']],
  ['192.168.1.0/24', 24, ['192.168.1.0/24']],
  ['192.168.1.0/30', 32, ['192.168.1.0/32', '192.168.1.1/32', '192.168.1.2/32', '192.168.1.3/32']],
  ['192.168.1.0/24', 25, ['192.168.1.0/25', '192.168.1.128/25']],
  ['255.255.255.254/31', 32, ['255.255.255.254/32', '255.255.255.255/32']],
  ['::/0', 2, ['::/2', '4000::/2', '8000::/2', 'c000::/2']],
  ['::/0', 0, ['::/0']],
  ['2001:db8::/126', 127, ['2001:db8::/127', '2001:db8::2/127']],
  [
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126',
    128,
    [
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/128',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd/128',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
    ],
  ],
  ['2001:db8::/32', 34, ['2001:db8::/34', '2001:db8:4000::/34', '2001:db8:8000::/34', '2001:db8:c000::/34']],
];

for (const [p, bits, expected] of splits) {
  test(`splitPrefix(${p}, ${bits}) yields ${expected.length} blocks`, () => {
    assert.deepEqual([...splitPrefix(pfx(p), bits)].map(formatPrefix), expected);
  });
}

test('splitPrefix is lazy: the first /128s of ::/0 and /32s of 0.0.0.0/0', () => {
  const v6 = splitPrefix(pfx('::/0'), 128);
  assert.deepEqual(
    [v6.next().value, v6.next().value, v6.next().value].map((p) => (p ? formatPrefix(p) : p)),
    ['::/128', '::1/128', '::2/128'],
  );
  const v4 = splitPrefix(pfx('0.0.0.0/0'), 32);
  assert.deepEqual(
    [v4.next().value, v4.next().value].map((p) => (p ? formatPrefix(p) : p)),
    ['0.0.0.0/32', '0.0.0.1/32'],
  );
});

const badSplits: readonly (readonly [string, number, string])[] = [
  ['10.0.0.0/8', 7, 'choose 8 to 32'],
  ['10.0.0.0/8', 33, 'choose 8 to 32'],
  ['10.0.0.0/8', -1, 'choose 8 to 32'],
  ['10.0.0.0/8', 8.5, 'choose 8 to 32'],
  ['10.0.0.0/8', Number.NaN, 'choose 8 to 32'],
  ['10.0.0.0/8', Number.POSITIVE_INFINITY, 'choose 8 to 32'],
  ['::/0', 129, 'choose 0 to 128'],
  ['2001:db8::/32', 31, 'choose 32 to 128'],
  ['255.255.255.255/32', 31, 'choose 32 to 32'],
];

for (const [p, bits, fragment] of badSplits) {
  test(`splitPrefix(${p}, ${bits}) throws a RangeError`, () => {
    assert.throws(
      () => splitPrefix(pfx(p), bits).next(),
      (error: unknown) =>
        error instanceof RangeError && error.message.includes(p) && error.message.includes(fragment),
    );
  });
}

const v4Addr = fc.integer({ min: 0, max: V4_TOP });
const group = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 3 },
  { arbitrary: fc.constant(0xffff), weight: 1 },
);
const v6Addr = fc.oneof(
  fc.bigInt({ min: 0n, max: TOP }),
  fc
    .array(group, { minLength: 8, maxLength: 8 })
    .map((gs) => gs.reduce((v, g) => (v << 16n) | BigInt(g), 0n)),
  fc.integer({ min: 0, max: V4_TOP }).map((v) => 0xffff00000000n + BigInt(v)),
);
const v4Prefix = fc.tuple(v4Addr, fc.integer({ min: 0, max: 32 })).map(([v, b]) => prefixOf(ipv4(v), b));
const v6Prefix = fc.tuple(v6Addr, fc.integer({ min: 0, max: 128 })).map(([v, b]) => prefixOf(ipv6(v), b));
const prefixArb = fc.oneof(v4Prefix, v6Prefix);
const addressArb: fc.Arbitrary<Address> = fc.oneof(v4Addr.map(ipv4), v6Addr.map(ipv6));

const relatedPair: fc.Arbitrary<readonly [Prefix, Prefix]> = fc.oneof(
  fc.tuple(prefixArb, prefixArb),
  fc
    .tuple(
      v4Addr,
      fc.integer({ min: -1, max: 31 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([v, k, b1, b2]) => {
      const other = k < 0 ? v : (v ^ (1 << k)) >>> 0;
      return [prefixOf(ipv4(v), b1), prefixOf(ipv4(other), b2)] as const;
    }),
  fc
    .tuple(
      v6Addr,
      fc.integer({ min: -1, max: 127 }),
      fc.integer({ min: 0, max: 128 }),
      fc.integer({ min: 0, max: 128 }),
    )
    .map(([v, k, b1, b2]) => {
      const other = k < 0 ? v : v ^ (1n << BigInt(k));
      return [prefixOf(ipv6(v), b1), prefixOf(ipv6(other), b2)] as const;
    }),
);

test('property: prefixOf clears exactly the host bits', () => {
  fc.assert(
    fc.property(addressArb, fc.nat(128), (a, n) => {
      const width = widthOf(a.family);
      const bits = n % (width + 1);
      const host = BigInt(width - bits);
      const expected = (BigInt(a.value) >> host) << host;
      const p = prefixOf(a, bits);
      assert.equal(p.family, a.family);
      assert.equal(p.bits, bits);
      assert.equal(BigInt(p.addr), expected);
      assert.equal(typeof p.addr, a.family === 4 ? 'number' : 'bigint');
    }),
    { numRuns: 2000 },
  );
});

test('property: parsePrefix(formatPrefix(p)) is p', () => {
  fc.assert(
    fc.property(prefixArb, (p) => {
      const text = formatPrefix(p);
      assert.deepEqual(value(parsePrefix(text, ALLOW)), p);
      const plain = parsePrefix(text);
      if (p.family === 6 && isIPv4Mapped(p.addr)) {
        if (plain.ok) assert.fail(`accepted mapped ${text}`);
        assert.ok(p.bits >= 96);
        const expected = `${formatIPv4(Number(p.addr - 0xffff00000000n))}/${p.bits - 96}`;
        assert.equal(plain.suggestion, expected);
        assert.ok(parsePrefix(expected).ok, expected);
      } else {
        assert.deepEqual(value(plain), p);
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: an address with host bits set is refused with the block that holds it', () => {
  fc.assert(
    fc.property(addressArb, fc.nat(128), (a, n) => {
      const bits = n % (widthOf(a.family) + 1);
      const text = `${formatAddress(a)}/${bits}`;
      const meant = prefixOf(a, bits);
      const result = parsePrefix(text, ALLOW);
      if (BigInt(meant.addr) === BigInt(a.value)) {
        assert.deepEqual(value(result), meant);
      } else {
        if (result.ok) assert.fail(`accepted ${text}`);
        assert.equal(result.message, `${text} has host bits set; did you mean ${formatPrefix(meant)}?`);
        assert.equal(result.suggestion, formatPrefix(meant));
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: first, last and size match the arithmetic of the block', () => {
  fc.assert(
    fc.property(prefixArb, addressArb, (p, a) => {
      const first = firstByHand(p);
      const last = lastByHand(p);
      assert.equal(BigInt(firstAddress(p).value), first);
      assert.equal(BigInt(lastAddress(p).value), last);
      assert.equal(prefixSize(p), last - first + 1n);
      assert.equal(prefixSize(p), 1n << BigInt(widthOf(p.family) - p.bits));
      const inside = a.family === p.family && BigInt(a.value) >= first && BigInt(a.value) <= last;
      assert.equal(containsAddress(p, a), inside);
      assert.ok(containsAddress(p, firstAddress(p)));
      assert.ok(containsAddress(p, lastAddress(p)));
    }),
    { numRuns: 3000 },
  );
});

test('property: containsPrefix, overlaps and samePrefix agree with range arithmetic', () => {
  fc.assert(
    fc.property(relatedPair, ([a, b]) => {
      const sameFamily = a.family === b.family;
      const [fa, la, fb, lb] = [firstByHand(a), lastByHand(a), firstByHand(b), lastByHand(b)];
      assert.equal(containsPrefix(a, b), sameFamily && fa <= fb && lb <= la);
      assert.equal(containsPrefix(b, a), sameFamily && fb <= fa && la <= lb);
      assert.equal(overlaps(a, b), sameFamily && fa <= lb && fb <= la);
      assert.equal(overlaps(a, b), overlaps(b, a));
      assert.equal(samePrefix(a, b), sameFamily && fa === fb && la === lb);
    }),
    { numRuns: 5000 },
  );
});

test('property: comparePrefixes is a total order that puts a block before the blocks inside it', () => {
  fc.assert(
    fc.property(relatedPair, ([a, b]) => {
      const ab = sign(comparePrefixes(a, b));
      assert.equal(sign(comparePrefixes(b, a)), -ab || 0);
      const byHand =
        a.family !== b.family
          ? sign(a.family - b.family)
          : firstByHand(a) !== firstByHand(b)
            ? firstByHand(a) < firstByHand(b)
              ? -1
              : 1
            : sign(a.bits - b.bits);
      assert.equal(ab, byHand);
      assert.equal(ab === 0, samePrefix(a, b));
      if (containsPrefix(a, b) && !samePrefix(a, b)) assert.equal(ab, -1);
    }),
    { numRuns: 3000 },
  );
});

test('property: splitPrefix(p, p.bits + k) tiles p with 2^k sorted, contiguous, disjoint blocks', () => {
  fc.assert(
    fc.property(prefixArb, fc.integer({ min: 0, max: 6 }), (p, n) => {
      const k = Math.min(n, widthOf(p.family) - p.bits);
      const blocks = [...splitPrefix(p, p.bits + k)];
      assert.equal(blocks.length, 2 ** k);
      let next = firstByHand(p);
      let total = 0n;
      for (const [i, block] of blocks.entries()) {
        assert.equal(block.family, p.family);
        assert.equal(block.bits, p.bits + k);
        assert.equal(firstByHand(block), next);
        assert.ok(containsPrefix(p, block));
        const previous = blocks[i - 1];
        if (previous) {
          assert.ok(comparePrefixes(previous, block) < 0);
          assert.equal(overlaps(previous, block), false);
        }
        next = lastByHand(block) + 1n;
        total += prefixSize(block);
      }
      assert.equal(next, lastByHand(p) + 1n);
      assert.equal(total, prefixSize(p));
    }),
    { numRuns: 1000 },
  );
});

const garbage = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      '0',
      '1',
      '2',
      '8',
      '9',
      'a',
      'f',
      ':',
      '::',
      '.',
      '%',
      '/',
      ' ',
      '+',
      '-',
      '１',
      '255',
      '32',
    ),
    maxLength: 24,
  }),
);

test('property: parsePrefix never throws and every refusal names the input', () => {
  fc.assert(
    fc.property(garbage, fc.boolean(), (text, allow) => {
      const result = parsePrefix(text, allow ? ALLOW : {});
      if (result.ok) {
        assert.deepEqual(value(parsePrefix(formatPrefix(result.value), ALLOW)), result.value);
        return;
      }
      assert.ok(namesInput(result.message, text), `message does not name the input: ${result.message}`);
      assert.ok(result.problem.length > 0);
      if (result.suggestion !== undefined) {
        assert.ok(result.message.includes(`did you mean ${result.suggestion}?`), result.message);
      }
    }),
    { numRuns: 5000 },
  );
});
