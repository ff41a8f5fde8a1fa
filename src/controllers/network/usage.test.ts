import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network } from '../../api/network.ts';
import { networkUsage } from './usage.ts';

const network = {
  metadata: { name: 'n' },
  spec: { ipv4Blocks: ['10.100.0.0/16'], ipv6Blocks: ['fd00::/64'] },
} as Network;

test('per family size, allocated, available and the largest free prefix; IPv6 counts as decimal strings', () => {
  const usage = networkUsage(network, [
    { owner: 'default/a', cidr: '10.100.0.0/24' },
    { owner: 'default/b', cidr: '10.100.1.0/24' },
    { owner: 'default/c', cidr: '10.100.2.0/25' },
  ]);
  assert.deepEqual(
    usage.ipv4,
    { size: 65536, allocated: 640, available: 64896, largestFreePrefix: 17 },
    'IPv4',
  );
  assert.deepEqual(
    usage.ipv6,
    { size: '18446744073709551616', allocated: 0, available: '18446744073709551616', largestFreePrefix: 64 },
    'IPv6',
  );
  assert.deepEqual(usage.problems, [], 'no problems');
});

test('a subnet outside the blocks or overlapping another is a problem, not counted twice', () => {
  const usage = networkUsage(network, [
    { owner: 'default/a', cidr: '10.100.0.0/24' },
    { owner: 'default/b', cidr: '10.100.0.128/25' },
    { owner: 'default/c', cidr: '192.168.0.0/24' },
  ]);
  assert.equal(usage.ipv4?.allocated, 256, 'only the first of the overlapping pair');
  assert.equal(usage.problems.length, 2, `two problems: ${usage.problems.join('; ')}`);
  assert.match(
    usage.problems[0] ?? '',
    /^subnet default\/b \(10\.100\.0\.128\/25\): .*default\/a/,
    'names the holder',
  );
});
