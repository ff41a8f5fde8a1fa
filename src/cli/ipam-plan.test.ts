// Proves `nso ipam plan` reports what the allocator hands out, explains refusals, and exits non-zero on them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { plan } from './ipam-plan.ts';

const nso = new URL('../../bin/nso.js', import.meta.url).pathname;

test('the multi-tier example plans 10.100.0.0/24, 10.100.1.0/24, 10.100.2.0/25', () => {
  assert.deepEqual(plan(['10.100.0.0/16'], ['24', '/24', '25']), {
    pool: ['10.100.0.0/16'],
    subnets: [
      { request: '24', cidr: '10.100.0.0/24' },
      { request: '/24', cidr: '10.100.1.0/24' },
      { request: '25', cidr: '10.100.2.0/25' },
    ],
    stats: { size: '65536', allocated: '640', available: '64896' },
  });
});

test('explicit CIDRs are reserved and overlaps name the holder', () => {
  const result = plan(['10.100.0.0/16'], ['10.100.0.0/23', '24', '10.100.1.0/24']);
  assert.ok(!('error' in result));
  assert.deepEqual(result.subnets[1], { request: '24', cidr: '10.100.2.0/24' });
  assert.equal(
    result.subnets[2]!.refused,
    '10.100.1.0/24 overlaps 10.100.0.0/23, which is allocated to request-1',
  );
});

test('bad blocks and bad requests are explained', () => {
  assert.deepEqual(plan(['10.0.0.1/16'], ['24']), {
    error: '10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?',
  });
  const result = plan(['10.0.0.0/16'], ['x']);
  assert.ok(!('error' in result));
  assert.match(result.subnets[0]!.refused!, /neither a prefix length/);
});

test('the command prints a table and exits 1 when a request is refused', () => {
  const ok = execFileSync(nso, ['ipam', 'plan', '--block', '10.100.0.0/16', '--', '24'], {
    encoding: 'utf8',
  });
  assert.match(ok, /^REQUEST +SUBNET\n24 +10\.100\.0\.0\/24\n/);
  const refused = spawnSync(nso, ['ipam', 'plan', '--block', '10.100.0.0/24', '--', '23'], {
    encoding: 'utf8',
  });
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /refused: no free \/23 in 10\.100\.0\.0\/24/);
});

test('nso --help lists the ipam command', () => {
  assert.match(execFileSync(nso, ['--help'], { encoding: 'utf8' }), /ipam +address planning/);
});
