// Proves address parsing is strict, formatting follows RFC 5952, and the two round-trip and agree with ipaddr.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  compareAddresses,
  familyBits,
  formatAddress,
  formatIPv4,
  formatIPv6,
  IPV4_BITS,
  IPV6_BITS,
  IPV6_MAX,
  ipv4,
  ipv6,
  isIPv4Mapped,
  type ParseAddressOptions,
  parseAddress,
  parseIPv4,
  parseIPv6,
} from './address.ts';
import type { ParseFailure, ParseResult } from './parse-result.ts';

const ALLOW: ParseAddressOptions = { allowIPv4Mapped: true };
const TOP = 0xffffffffffffffffffffffffffffffffn;

const fromGroups = (groups: readonly number[]): bigint => groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n);
const dottedOf = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
const bytesOf = (value: bigint): number[] =>
  Array.from({ length: 16 }, (_, i) => Number((value >> BigInt(8 * (15 - i))) & 0xffn));
const namesInput = (message: string, input: string): boolean =>
  message.includes(input) || message.includes(JSON.stringify(input));
const mappedByHand = (value: bigint): boolean => value >= 0xffff00000000n && value <= 0xffffffffffffn;

function failure<T>(result: ParseResult<T>): ParseFailure {
  if (result.ok) assert.fail(`expected a failure, got ${JSON.stringify(result.value, (_, v) => String(v))}`);
  return result;
}

function value<T>(result: ParseResult<T>): T {
  if (!result.ok) assert.fail(`expected success, got: ${result.message}`);
  return result.value;
}

function assertWellFormed<T>(input: string, result: ParseResult<T>): void {
  if (result.ok) return;
  assert.equal(typeof result.message, 'string');
  assert.ok(namesInput(result.message, input), `message does not name the input: ${result.message}`);
  assert.equal(typeof result.problem, 'string');
  assert.ok(result.problem.length > 0, 'problem is empty');
  if (result.suggestion !== undefined) {
    assert.equal(typeof result.suggestion, 'string');
    assert.ok(result.message.includes(`did you mean ${result.suggestion}?`), result.message);
  }
}

interface Refusal {
  readonly text: string;
  readonly fragment: string;
  readonly suggestion?: string | undefined;
}

function assertRefusal(c: Refusal, result: ParseResult<unknown>): void {
  const f = failure(result);
  assert.equal(f.ok, false);
  assertWellFormed(c.text, f);
  assert.ok(f.message.includes(c.fragment), `message lacks ${JSON.stringify(c.fragment)}: ${f.message}`);
  if ('suggestion' in c) assert.equal(f.suggestion, c.suggestion);
  if (f.message.includes('did you mean')) {
    assert.notEqual(f.suggestion, undefined, `the message proposes a fix the suggestion lacks: ${f.message}`);
    assert.ok(f.message.includes(`did you mean ${f.suggestion}?`), f.message);
  }
}

const validIPv4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 0],
  ['0.0.0.1', 1],
  ['0.0.1.0', 256],
  ['0.1.0.0', 65536],
  ['1.0.0.0', 16777216],
  ['1.2.3.4', 16909060],
  ['10.0.0.1', 167772161],
  ['100.64.0.0', 1681915904],
  ['127.0.0.1', 2130706433],
  ['128.0.0.0', 2147483648],
  ['192.168.1.1', 3232235777],
  ['255.255.255.254', 4294967294],
  ['255.255.255.255', 4294967295],
];

for (const [text, expected] of validIPv4) {
  test(`parses IPv4 ${text} as ${expected} and formats it back`, () => {
    assert.deepEqual(value(parseIPv4(text)), { family: 4, value: expected });
    assert.deepEqual(value(parseAddress(text)), { family: 4, value: expected });
    assert.deepEqual(value(parseAddress(text, ALLOW)), { family: 4, value: expected });
    assert.equal(formatIPv4(expected), text);
    assert.equal(formatAddress(ipv4(expected)), text);
  });
}

const invalidIPv4: readonly Refusal[] = [
  { text: '', fragment: 'it is empty', suggestion: undefined },
  { text: '10', fragment: 'it has 1 part;', suggestion: undefined },
  { text: '10.1', fragment: 'it has 2 parts', suggestion: undefined },
  { text: '10.0.1', fragment: 'it has 3 parts', suggestion: undefined },
  { text: '1.2.3.4.5', fragment: 'it has 5 parts', suggestion: undefined },
  { text: '4294967295', fragment: 'write all four', suggestion: undefined },
  { text: '...', fragment: 'empty part', suggestion: undefined },
  { text: '1..3.4', fragment: 'empty part', suggestion: undefined },
  { text: '1.2.3.', fragment: 'empty part', suggestion: undefined },
  { text: '.1.2.3', fragment: 'empty part', suggestion: undefined },
  { text: '01.2.3.4', fragment: '"01" has a leading zero', suggestion: '1.2.3.4' },
  { text: '010.0.0.1', fragment: 'leading zero', suggestion: '10.0.0.1' },
  { text: '192.168.001.010', fragment: '"001" has a leading zero', suggestion: '192.168.1.10' },
  { text: '00.0.0.0', fragment: 'leading zero', suggestion: '0.0.0.0' },
  { text: '1.2.3.04', fragment: '"04" has a leading zero', suggestion: '1.2.3.4' },
  { text: '0.0.0.00', fragment: 'leading zero', suggestion: '0.0.0.0' },
  { text: '256.0.0.0', fragment: '256 is greater than 255', suggestion: undefined },
  { text: '1.2.3.256', fragment: '256 is greater than 255', suggestion: undefined },
  { text: '999.999.999.999', fragment: '999 is greater than 255', suggestion: undefined },
  { text: '1.2.3.99999999999', fragment: 'greater than 255', suggestion: undefined },
  { text: '0x0a.0.0.1', fragment: '"0x0a" is not a decimal number', suggestion: undefined },
  { text: '0xa.0.0.1', fragment: '"0xa" is not a decimal number', suggestion: undefined },
  { text: '1e1.0.0.1', fragment: '"1e1" is not a decimal number', suggestion: undefined },
  { text: '１.2.3.4', fragment: '"１" is not a decimal number', suggestion: undefined },
  { text: '1.2.3.٤', fragment: 'is not a decimal number', suggestion: undefined },
  { text: '-1.2.3.4', fragment: '"-1" is not a decimal number', suggestion: undefined },
  { text: '+1.2.3.4', fragment: '"+1" is not a decimal number', suggestion: undefined },
  { text: '1.2.3.4a', fragment: 'is not a decimal number', suggestion: undefined },
  { text: 'a.b.c.d', fragment: '"a" is not a decimal number', suggestion: undefined },
  { text: '1.2.3.4/24', fragment: '"4/24" is not a decimal number', suggestion: undefined },
  { text: '1.2.3.4%eth0', fragment: 'is not a decimal number', suggestion: undefined },
  { text: ' 1.2.3.4', fragment: 'white space', suggestion: '1.2.3.4' },
  { text: '1.2.3.4 ', fragment: 'white space', suggestion: '1.2.3.4' },
  { text: '1.2.3.4\n', fragment: 'white space', suggestion: '1.2.3.4' },
  { text: '\t10.0.0.1', fragment: 'white space', suggestion: '10.0.0.1' },
  { text: '10.0.0.1\u00a0', fragment: 'white space', suggestion: '10.0.0.1' },
];

for (const c of invalidIPv4) {
  test(`refuses IPv4 ${JSON.stringify(c.text)}: ${c.fragment}`, () => {
    assertRefusal(c, parseIPv4(c.text));
    assertRefusal(c, parseAddress(c.text));
    if (c.suggestion !== undefined) assert.ok(parseIPv4(c.suggestion).ok, 'the suggestion does not parse');
  });
}

const validIPv6: readonly (readonly [string, bigint, string, ParseAddressOptions?])[] = [
  ['::', 0n, '::'],
  ['::1', 1n, '::1'],
  ['1::', 0x00010000000000000000000000000000n, '1::'],
  ['fe80::', 0xfe800000000000000000000000000000n, 'fe80::'],
  ['fe80::1', 0xfe800000000000000000000000000001n, 'fe80::1'],
  ['2001:db8::1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
  ['2001:0DB8::1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
  ['2001:0db8:0000:0000:0000:0000:0000:0001', 0x20010db8000000000000000000000001n, '2001:db8::1'],
  ['2001:DB8:0:0:0:0:0:1', 0x20010db8000000000000000000000001n, '2001:db8::1'],
  ['0:0:0:0:0:0:0:0', 0n, '::'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 1n, '::1'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', TOP, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF', TOP, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', TOP - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'],
  ['::1.2.3.4', 0x01020304n, '::102:304'],
  ['::0.0.0.0', 0n, '::'],
  ['::255.255.255.255', 0xffffffffn, '::ffff:ffff'],
  ['64:ff9b::192.0.2.33', 0x0064ff9b0000000000000000c0000221n, '64:ff9b::c000:221'],
  ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
  ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n, '1:2:3:4:5:6:7:0'],
  ['::2:3:4:5:6:7:8', 0x00000002000300040005000600070008n, '0:2:3:4:5:6:7:8'],
  ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n, '1:2:3:4:5:6:7:8'],
  ['::ffff:0:0:0', 0x0000000000000000ffff000000000000n, '::ffff:0:0:0'],
  ['::fffe:1.2.3.4', 0xfffe01020304n, '::fffe:102:304'],
  ['1:0:0:0:0:ffff:102:304', 0x00010000000000000000ffff01020304n, '1::ffff:102:304'],
  ['::ffff:1.2.3.4', 0xffff01020304n, '::ffff:1.2.3.4', ALLOW],
  ['::FFFF:a01:203', 0xffff0a010203n, '::ffff:10.1.2.3', ALLOW],
  ['0:0:0:0:0:ffff:0:0', 0xffff00000000n, '::ffff:0.0.0.0', ALLOW],
  ['::ffff:255.255.255.255', 0xffffffffffffn, '::ffff:255.255.255.255', ALLOW],
];

for (const [text, expected, canonical, options] of validIPv6) {
  test(`parses IPv6 ${text}${options ? ' (mapped allowed)' : ''} and formats it as ${canonical}`, () => {
    assert.deepEqual(value(parseIPv6(text, options)), { family: 6, value: expected });
    assert.deepEqual(value(parseAddress(text, options)), { family: 6, value: expected });
    assert.equal(formatIPv6(expected), canonical);
    assert.equal(formatAddress(ipv6(expected)), canonical);
    assert.deepEqual(value(parseAddress(canonical, options)), { family: 6, value: expected });
  });
}

const invalidIPv6: readonly Refusal[] = [
  { text: ':', fragment: 'empty group', suggestion: undefined },
  { text: ':::', fragment: 'empty group', suggestion: undefined },
  { text: ':1::', fragment: 'empty group', suggestion: undefined },
  { text: '1:', fragment: 'empty group', suggestion: undefined },
  { text: '1:::2', fragment: 'empty group', suggestion: undefined },
  { text: ':1:2:3:4:5:6:7', fragment: 'empty group', suggestion: undefined },
  { text: '1:2:3:4:5:6:7:', fragment: 'empty group', suggestion: undefined },
  { text: '1::2::3', fragment: '"::" may appear only once', suggestion: undefined },
  { text: '::::', fragment: '"::" may appear only once', suggestion: undefined },
  { text: '::1::', fragment: '"::" may appear only once', suggestion: undefined },
  { text: '12345::', fragment: 'group "12345" has more than 4 hexadecimal digits', suggestion: undefined },
  { text: '::00000', fragment: 'more than 4', suggestion: undefined },
  { text: 'g::', fragment: '"g" is not a hexadecimal group', suggestion: undefined },
  { text: '::fffg', fragment: '"fffg" is not a hexadecimal group', suggestion: undefined },
  { text: '::-1', fragment: '"-1" is not a hexadecimal group', suggestion: undefined },
  { text: '::+1', fragment: '"+1" is not a hexadecimal group', suggestion: undefined },
  { text: '::0x1', fragment: '"0x1" is not a hexadecimal group', suggestion: undefined },
  { text: '１::', fragment: 'is not a hexadecimal group', suggestion: undefined },
  { text: '[::1]', fragment: 'is not a hexadecimal group', suggestion: undefined },
  { text: '::1/128', fragment: 'is not a hexadecimal group', suggestion: undefined },
  { text: '1:2:3:4:5:6:7:8:9', fragment: 'it has 9 groups', suggestion: undefined },
  { text: '1:2:3:4:5:6:7', fragment: 'it has 7 groups', suggestion: undefined },
  { text: '1:2:3:4:5:6:7:1.2.3.4', fragment: 'it has 9 groups', suggestion: undefined },
  { text: '1:2:3:4:5:1.2.3.4', fragment: 'it has 7 groups', suggestion: undefined },
  { text: '1:2:3:4:5:6:7:8::', fragment: '"::" must stand for at least one group', suggestion: undefined },
  { text: '::1:2:3:4:5:6:7:8', fragment: 'at least one group', suggestion: undefined },
  { text: '1:2:3:4::5:6:7:8', fragment: 'at least one group', suggestion: undefined },
  { text: '1:2:3:4:5:6::1.2.3.4', fragment: 'at least one group', suggestion: undefined },
  { text: '1.2.3.4::', fragment: 'an embedded IPv4 address may only end the address', suggestion: undefined },
  { text: '1.2.3.4::1', fragment: 'may only end the address', suggestion: undefined },
  { text: '::1.2.3.4:5', fragment: 'may only end the address', suggestion: undefined },
  { text: '::1.2.3.4:1.2.3.4', fragment: 'may only end the address', suggestion: undefined },
  { text: '1:2:3:4:5:6:1.2.3.4:1', fragment: 'may only end the address', suggestion: undefined },
  { text: '::1.2.3', fragment: 'embedded IPv4 part is invalid', suggestion: undefined },
  { text: '::1.2.3.4.5', fragment: 'embedded IPv4 part is invalid', suggestion: undefined },
  { text: '::256.0.0.0', fragment: '256 is greater than 255' },
  { text: '::01.2.3.4', fragment: 'leading zero' },
  { text: '::0x1.2.3.4', fragment: 'embedded IPv4 part is invalid' },
  { text: 'fe80::1%eth0', fragment: 'zone IDs (%eth0) are not allowed', suggestion: 'fe80::1' },
  { text: 'fe80::1%25eth0', fragment: 'zone', suggestion: 'fe80::1' },
  { text: 'fe80::1%1', fragment: 'zone', suggestion: 'fe80::1' },
  { text: 'fe80::%eth0', fragment: 'zone', suggestion: 'fe80::' },
  { text: '::ffff:1.2.3.4', fragment: 'IPv4-mapped IPv6 addresses are not allowed', suggestion: '1.2.3.4' },
  { text: '::FFFF:1.2.3.4', fragment: 'IPv4-mapped', suggestion: '1.2.3.4' },
  { text: '::ffff:a01:203', fragment: 'IPv4-mapped', suggestion: '10.1.2.3' },
  { text: '0:0:0:0:0:ffff:c000:201', fragment: 'IPv4-mapped', suggestion: '192.0.2.1' },
  { text: '0000:0000:0000:0000:0000:ffff:0000:0000', fragment: 'IPv4-mapped', suggestion: '0.0.0.0' },
  { text: '::ffff:255.255.255.255', fragment: 'IPv4-mapped', suggestion: '255.255.255.255' },
  { text: ' ::1', fragment: 'white space', suggestion: '::1' },
  { text: '::1 ', fragment: 'white space', suggestion: '::1' },
  { text: '::1\n', fragment: 'white space', suggestion: '::1' },
];

for (const c of invalidIPv6) {
  test(`refuses IPv6 ${JSON.stringify(c.text)}: ${c.fragment}`, () => {
    assertRefusal(c, parseIPv6(c.text));
    assertRefusal(c, parseAddress(c.text));
    if (c.suggestion !== undefined) assert.ok(parseAddress(c.suggestion).ok, 'the suggestion does not parse');
  });
}

test('IPv4-mapped addresses are refused by default and accepted when allowed', () => {
  assert.equal(parseAddress('::ffff:10.0.0.1').ok, false);
  assert.equal(parseIPv6('::ffff:10.0.0.1', {}).ok, false);
  assert.equal(parseIPv6('::ffff:10.0.0.1', { allowIPv4Mapped: false }).ok, false);
  assert.deepEqual(value(parseAddress('::ffff:10.0.0.1', ALLOW)), { family: 6, value: 0xffff0a000001n });
  assert.deepEqual(value(parseIPv6('::ffff:a00:1', ALLOW)), { family: 6, value: 0xffff0a000001n });
});

const rfc5952: readonly (readonly [string, readonly number[], string])[] = [
  ['2001:0db8::0001', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
  ['2001:db8:0:0:0:0:2:1', [0x2001, 0xdb8, 0, 0, 0, 0, 2, 1], '2001:db8::2:1'],
  ['2001:db8::0:1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
  ['2001:db8:0:1:1:1:1:1', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
  ['2001:db8::1:1:1:1:1', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
  ['2001:0:0:1:0:0:0:1', [0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
  ['2001:db8:0:0:1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  ['2001:DB8::1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], '2001:db8::1'],
  ['2001:0db8::1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  ['2001:db8::0:1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  ['2001:db8:0:0:1::1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  ['2001:db8:0000:0:1::1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  ['2001:DB8:0:0:1::1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 1],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1',
  ],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:001',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 1],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1',
  ],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:01',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 1],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1',
  ],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd::1',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0, 1],
    '2001:db8:aaaa:bbbb:cccc:dddd:0:1',
  ],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xaaaa],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa',
  ],
  [
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa',
    [0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xaaaa],
    '2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa',
  ],
  ['0:0:0:0:0:0:0:0', [0, 0, 0, 0, 0, 0, 0, 0], '::'],
  ['0:0:0:0:0:0:0:1', [0, 0, 0, 0, 0, 0, 0, 1], '::1'],
  ['1:0:0:0:0:0:0:0', [1, 0, 0, 0, 0, 0, 0, 0], '1::'],
  ['fe80:0:0:0:0:0:0:0', [0xfe80, 0, 0, 0, 0, 0, 0, 0], 'fe80::'],
  [
    'fe80:0000:0000:0000:0204:61ff:fe9d:f156',
    [0xfe80, 0, 0, 0, 0x204, 0x61ff, 0xfe9d, 0xf156],
    'fe80::204:61ff:fe9d:f156',
  ],
  ['1:0:1:0:1:0:1:0', [1, 0, 1, 0, 1, 0, 1, 0], '1:0:1:0:1:0:1:0'],
  ['0:1:0:1:0:1:0:1', [0, 1, 0, 1, 0, 1, 0, 1], '0:1:0:1:0:1:0:1'],
  ['1:0:0:2:0:0:3:4', [1, 0, 0, 2, 0, 0, 3, 4], '1::2:0:0:3:4'],
  ['1:0:0:2:0:0:0:3', [1, 0, 0, 2, 0, 0, 0, 3], '1:0:0:2::3'],
  ['0:0:1:0:0:0:0:0', [0, 0, 1, 0, 0, 0, 0, 0], '0:0:1::'],
  ['0:0:0:0:1:0:0:0', [0, 0, 0, 0, 1, 0, 0, 0], '::1:0:0:0'],
  ['0:0:1:2:3:4:0:0', [0, 0, 1, 2, 3, 4, 0, 0], '::1:2:3:4:0:0'],
  ['1:2:3:4:5:6:7:0', [1, 2, 3, 4, 5, 6, 7, 0], '1:2:3:4:5:6:7:0'],
  ['0:2:3:4:5:6:7:8', [0, 2, 3, 4, 5, 6, 7, 8], '0:2:3:4:5:6:7:8'],
  ['1:2:0:0:5:6:7:8', [1, 2, 0, 0, 5, 6, 7, 8], '1:2::5:6:7:8'],
  [
    'FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
    [0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff],
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  ],
  ['0:0:0:0:0:ffff:c000:0201', [0, 0, 0, 0, 0, 0xffff, 0xc000, 0x201], '::ffff:192.0.2.1'],
  ['::ffff:0:0', [0, 0, 0, 0, 0, 0xffff, 0, 0], '::ffff:0.0.0.0'],
  ['::192.0.2.1', [0, 0, 0, 0, 0, 0, 0xc000, 0x201], '::c000:201'],
];

for (const [text, groups, canonical] of rfc5952) {
  test(`RFC 5952: ${text} is written ${canonical}`, () => {
    const expected = fromGroups(groups);
    assert.equal(value(parseAddress(text, ALLOW)).value, expected);
    assert.equal(formatIPv6(expected), canonical);
    assert.equal(formatAddress(value(parseAddress(text, ALLOW))), canonical);
    assert.equal(formatIPv6(value(parseIPv6(canonical, ALLOW)).value), canonical);
  });
}

const ipv4Texts: readonly (readonly [number, string])[] = [
  [0, '0.0.0.0'],
  [255, '0.0.0.255'],
  [256, '0.0.1.0'],
  [16909060, '1.2.3.4'],
  [167772161, '10.0.0.1'],
  [2147483647, '127.255.255.255'],
  [2147483648, '128.0.0.0'],
  [3232235777, '192.168.1.1'],
  [4294967295, '255.255.255.255'],
];

for (const [v, text] of ipv4Texts) {
  test(`formatIPv4(${v}) is ${text}`, () => {
    assert.equal(formatIPv4(v), text);
  });
}

const mappedCases: readonly (readonly [bigint, boolean])[] = [
  [0n, false],
  [0xffffffffn, false],
  [0xfffeffffffffn, false],
  [0xffff00000000n, true],
  [0xffff01020304n, true],
  [0xffffffffffffn, true],
  [0x1000000000000n, false],
  [0x1ffff00000000n, false],
  [0x00010000000000000000ffff01020304n, false],
  [TOP, false],
];

for (const [v, mapped] of mappedCases) {
  test(`isIPv4Mapped(0x${v.toString(16)}) is ${mapped}`, () => {
    assert.equal(isIPv4Mapped(v), mapped);
  });
}

test('constants and family widths', () => {
  assert.equal(IPV4_BITS, 32);
  assert.equal(IPV6_BITS, 128);
  assert.equal(IPV6_MAX, 2n ** 128n - 1n);
  assert.equal(IPV6_MAX, TOP);
  assert.equal(familyBits(4), 32);
  assert.equal(familyBits(6), 128);
  assert.deepEqual(ipv4(7), { family: 4, value: 7 });
  assert.deepEqual(ipv6(7n), { family: 6, value: 7n });
});

test('compareAddresses orders IPv4 before IPv6, then by value', () => {
  assert.ok(compareAddresses(ipv4(1), ipv4(2)) < 0);
  assert.ok(compareAddresses(ipv4(2), ipv4(1)) > 0);
  assert.equal(compareAddresses(ipv4(4294967295), ipv4(4294967295)), 0);
  assert.ok(compareAddresses(ipv4(4294967295), ipv6(0n)) < 0);
  assert.ok(compareAddresses(ipv6(0n), ipv4(0)) > 0);
  assert.ok(compareAddresses(ipv6(TOP), ipv6(TOP - 1n)) > 0);
  assert.equal(compareAddresses(ipv6(TOP), ipv6(TOP)), 0);
});

const suggestionQuality: readonly string[] = [' ', '10. 0.0.1', ':: 1', '%eth0:'];

for (const text of suggestionQuality) {
  test(`a suggestion for ${JSON.stringify(text)} is neither empty nor the input itself`, () => {
    const f = failure(parseAddress(text));
    assertWellFormed(text, f);
    if (f.suggestion !== undefined) {
      assert.notEqual(f.suggestion, '', `empty suggestion: ${f.message}`);
      assert.notEqual(f.suggestion, text, `the suggestion repeats the input: ${f.message}`);
    }
  });
}

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const group = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 4 },
  { arbitrary: fc.constantFrom(1, 0xffff), weight: 1 },
);
const groupsArb = fc.oneof(
  { arbitrary: fc.array(group, { minLength: 8, maxLength: 8 }), weight: 6 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
      .map(([hi, lo]) => [0, 0, 0, 0, 0, 0xffff, hi, lo]),
    weight: 1,
  },
);
const v6Value = fc.oneof(groupsArb.map(fromGroups), fc.bigInt({ min: 0n, max: TOP }));

interface Spelling {
  readonly pads: readonly number[];
  readonly upper: readonly boolean[];
  readonly dotted: boolean;
  readonly squeeze: number;
}

const spellingArb: fc.Arbitrary<Spelling> = fc.record({
  pads: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
  upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  dotted: fc.boolean(),
  squeeze: fc.nat(),
});

function spell(groups: readonly number[], s: Spelling): string {
  const hex = groups.map((g, i) => {
    const digits = g.toString(16);
    const padded = digits.padStart(Math.min(4, digits.length + (s.pads[i] ?? 0)), '0');
    return s.upper[i] ? padded.toUpperCase() : padded;
  });
  const tokens = s.dotted ? [...hex.slice(0, 6), dottedOf(groups[6] ?? 0, groups[7] ?? 0)] : hex;
  const last = s.dotted ? 6 : 8;
  const runs: (readonly [number, number])[] = [];
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last && groups[j - 1] === 0; j++) runs.push([i, j]);
  }
  const run = runs[s.squeeze % (runs.length + 1)];
  if (!run) return tokens.join(':');
  return `${tokens.slice(0, run[0]).join(':')}::${tokens.slice(run[1]).join(':')}`;
}

test('property: parseIPv4(formatIPv4(v)) is v for every 32-bit value', () => {
  fc.assert(
    fc.property(uint32, (v) => {
      assert.deepEqual(value(parseIPv4(formatIPv4(v))), { family: 4, value: v });
      assert.deepEqual(value(parseAddress(formatAddress(ipv4(v)))), { family: 4, value: v });
    }),
    { numRuns: 2000 },
  );
});

test('property: parseAddress(formatIPv6(v)) is v, and unmapped values need no option', () => {
  fc.assert(
    fc.property(v6Value, (v) => {
      const text = formatIPv6(v);
      assert.deepEqual(value(parseAddress(text, ALLOW)), { family: 6, value: v });
      const plain = parseAddress(text);
      if (mappedByHand(v)) {
        assert.equal(isIPv4Mapped(v), true);
        assert.equal(failure(plain).suggestion, formatIPv4(Number(v - 0xffff00000000n)));
      } else {
        assert.equal(isIPv4Mapped(v), false);
        assert.deepEqual(value(plain), { family: 6, value: v });
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: every RFC 4291 spelling of a value parses to that value', () => {
  fc.assert(
    fc.property(groupsArb, spellingArb, (groups, s) => {
      const text = spell(groups, s);
      const expected = fromGroups(groups);
      assert.equal(value(parseIPv6(text, ALLOW)).value, expected, text);
      const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
      const plain = parseAddress(text);
      if (mapped) assert.equal(failure(plain).suggestion, dottedOf(groups[6] ?? 0, groups[7] ?? 0));
      else assert.equal(value(plain).value, expected, text);
    }),
    { numRuns: 3000 },
  );
});

test('property: formatIPv6 agrees with ipaddr.js toRFC5952String', () => {
  fc.assert(
    fc.property(v6Value, (v) => {
      const oracle = ipaddr.fromByteArray(bytesOf(v)) as ipaddr.IPv6;
      if (mappedByHand(v)) {
        assert.equal(formatIPv6(v), `::ffff:${oracle.toIPv4Address().toString()}`);
      } else {
        assert.equal(formatIPv6(v), oracle.toRFC5952String());
      }
      assert.deepEqual(ipaddr.parse(formatIPv6(v)).toByteArray(), bytesOf(v));
    }),
    { numRuns: 3000 },
  );
});

const digitPart = fc.oneof(
  fc.nat(300).map(String),
  fc.stringMatching(/^[0-9]{1,4}$/),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 2 }))
    .map(([n, z]) => '0'.repeat(z) + n),
  fc.constant(''),
);

test('property: parseIPv4 accepts a dotted quad exactly when ipaddr.js calls it four-part decimal', () => {
  fc.assert(
    fc.property(fc.array(digitPart, { minLength: 4, maxLength: 4 }), (parts) => {
      const text = parts.join('.');
      const expected =
        ipaddr.IPv4.isValidFourPartDecimal(text) && parts.every((p) => p === '0' || !p.startsWith('0'));
      const result = parseIPv4(text);
      assert.equal(result.ok, expected, text);
      if (result.ok) {
        const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text).toByteArray();
        assert.equal(result.value.value, ((a * 256 + b) * 256 + c) * 256 + d);
      } else {
        assertWellFormed(text, result);
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: leading zeros are refused with the zero-free address as the suggestion', () => {
  const octet = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 }));
  fc.assert(
    fc.property(fc.array(octet, { minLength: 4, maxLength: 4 }), (octets) => {
      fc.pre(octets.some(([, zeros]) => zeros > 0));
      const text = octets.map(([n, zeros]) => '0'.repeat(zeros) + n).join('.');
      const plain = octets.map(([n]) => n).join('.');
      const f = failure(parseIPv4(text));
      assert.ok(f.message.includes('leading zero'), f.message);
      assert.equal(f.suggestion, plain);
      assert.ok(parseIPv4(plain).ok);
    }),
    { numRuns: 1000 },
  );
});

test('property: any mapped address is refused with its IPv4 form, dotted or hex', () => {
  fc.assert(
    fc.property(uint32, fc.boolean(), (v, hex) => {
      const hi = Math.floor(v / 65536);
      const lo = v % 65536;
      const text = hex ? `::ffff:${hi.toString(16)}:${lo.toString(16)}` : `::ffff:${dottedOf(hi, lo)}`;
      assert.equal(failure(parseAddress(text)).suggestion, dottedOf(hi, lo));
      assert.equal(value(parseAddress(text, ALLOW)).value, 0xffff00000000n + BigInt(v));
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
      '7',
      '9',
      'a',
      'F',
      'f',
      ':',
      '::',
      '.',
      '%',
      '/',
      ' ',
      'x',
      '１',
      '-',
      '255',
    ),
    maxLength: 24,
  }),
);

test('property: parsing never throws and every refusal is well formed', () => {
  fc.assert(
    fc.property(garbage, (text) => {
      const results = [
        parseAddress(text),
        parseAddress(text, ALLOW),
        parseIPv4(text),
        parseIPv6(text),
        parseIPv6(text, ALLOW),
      ];
      for (const result of results) {
        assertWellFormed(text, result);
        if (result.ok) {
          const again = value(parseAddress(formatAddress(result.value), ALLOW));
          assert.deepEqual(again, result.value);
        }
      }
    }),
    { numRuns: 5000 },
  );
});

test('property: a suggestion is never empty nor the input itself', () => {
  fc.assert(
    fc.property(garbage, (text) => {
      for (const result of [parseAddress(text), parseIPv4(text), parseIPv6(text)]) {
        if (result.ok || result.suggestion === undefined) continue;
        assert.notEqual(result.suggestion, '', `empty suggestion: ${result.message}`);
        assert.notEqual(result.suggestion, text, `the suggestion repeats the input: ${result.message}`);
      }
    }),
    { numRuns: 5000 },
  );
});
