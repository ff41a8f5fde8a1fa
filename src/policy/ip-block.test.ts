// Proves ipBlock matching with except for IPv4 and IPv6, and its overlap test against network blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mustParseAddress, mustParsePrefix } from '../ipam/index.ts';
import { type CompiledIPBlock, compileIPBlock, ipBlockContains, ipBlockOverlaps } from './ip-block.ts';

function block(cidr: string, except?: string[]): CompiledIPBlock {
  const compiled = compileIPBlock(except ? { cidr, except } : { cidr });
  assert.ok(compiled.ok, `compiles: ${cidr}`);
  return compiled.block;
}

const contains = (b: CompiledIPBlock, address: string) => ipBlockContains(b, mustParseAddress(address));

test('IPv4: inside the cidr and outside every except block, bounds included', () => {
  const b = block('10.0.0.0/8', ['10.1.0.0/16', '10.2.3.4/32']);
  assert.equal(contains(b, '10.0.0.0'), true, 'first address');
  assert.equal(contains(b, '10.255.255.255'), true, 'last address');
  assert.equal(contains(b, '11.0.0.0'), false, 'past the end');
  assert.equal(contains(b, '9.255.255.255'), false, 'before the start');
  assert.equal(contains(b, '10.1.200.1'), false, 'in the first except');
  assert.equal(contains(b, '10.2.3.4'), false, 'the /32 except');
  assert.equal(contains(b, '10.2.3.5'), true, 'next to it');
  assert.equal(b.text, '10.0.0.0/8 except 10.1.0.0/16, 10.2.3.4/32', 'text');
});

test('IPv4: 0.0.0.0/0 is every IPv4 address and no IPv6 one', () => {
  const b = block('0.0.0.0/0');
  assert.equal(contains(b, '255.255.255.255'), true, 'top');
  assert.equal(contains(b, '::1'), false, 'IPv6');
});

test('IPv6: bigint ranges, except, and no IPv4', () => {
  const b = block('2001:db8::/32', ['2001:db8:ffff::/48']);
  assert.equal(contains(b, '2001:db8::'), true, 'first');
  assert.equal(contains(b, '2001:db8:fffe:ffff:ffff:ffff:ffff:ffff'), true, 'just below the except');
  assert.equal(contains(b, '2001:db8:ffff::1'), false, 'in the except');
  assert.equal(contains(b, '2001:db9::'), false, 'past the end');
  assert.equal(contains(b, '32.1.13.184'), false, 'IPv4');
  assert.equal(
    contains(block('::/0'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'),
    true,
    '::/0 includes the top',
  );
});

test('invalid text is refused with the parser message', () => {
  const bad = compileIPBlock({ cidr: '10.0.0.1/8' });
  assert.ok(!bad.ok && /did you mean 10\.0\.0\.0\/8/.test(bad.message), 'host bits');
  const badExcept = compileIPBlock({ cidr: '10.0.0.0/8', except: ['nonsense'] });
  assert.ok(!badExcept.ok, 'bad except');
});

test('overlap with a network block: partial, containing, or covered by an except', () => {
  const b = block('10.0.0.0/8', ['10.5.0.0/16']);
  assert.equal(ipBlockOverlaps(b, mustParsePrefix('10.4.0.0/16')), true, 'inside');
  assert.equal(ipBlockOverlaps(b, mustParsePrefix('10.5.1.0/24')), false, 'wholly excepted');
  assert.equal(ipBlockOverlaps(b, mustParsePrefix('0.0.0.0/0')), true, 'the network contains the block');
  assert.equal(ipBlockOverlaps(b, mustParsePrefix('192.168.0.0/16')), false, 'disjoint');
  assert.equal(ipBlockOverlaps(b, mustParsePrefix('fd00::/8')), false, 'other family');
});
