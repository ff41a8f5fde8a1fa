// Proves the subnet allocator's examples and edges: best fit, reserve/release, explanations, stats, rebuild, snapshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPrefix, mustParsePrefix, type Prefix } from './prefix.ts';
import { type Allocation, createPrefixPool, type PrefixPool, restorePrefixPool } from './prefix-pool.ts';

const p = (text: string): Prefix => mustParsePrefix(text);

const poolOf = (...blocks: string[]): PrefixPool => {
  const created = createPrefixPool(blocks.map(p));
  if (!created.ok) throw new Error(created.message);
  assert.deepEqual(created.conflicts, []);
  return created.pool;
};

const take = (pool: PrefixPool, bits: number, owner = 'owner'): string => {
  const result = pool.allocate(bits, owner);
  return result.ok ? formatPrefix(result.prefix) : result.reason;
};

const held = (pool: PrefixPool): string[] =>
  pool.allocations().map(({ prefix, owner }) => `${formatPrefix(prefix)} ${owner}`);

const refusal = (pool: PrefixPool, bits: number) => {
  const result = pool.allocate(bits, 'owner');
  assert.ok(!result.ok, `expected /${bits} to be refused`);
  return result;
};

test('the multi-tier example hands out 10.100.0.0/24, 10.100.1.0/24, 10.100.2.0/25', () => {
  const pool = poolOf('10.100.0.0/16');
  assert.equal(take(pool, 24, 'tier-web'), '10.100.0.0/24');
  assert.equal(take(pool, 24, 'tier-app'), '10.100.1.0/24');
  assert.equal(take(pool, 25, 'tier-db'), '10.100.2.0/25');
  assert.deepEqual(held(pool), ['10.100.0.0/24 tier-web', '10.100.1.0/24 tier-app', '10.100.2.0/25 tier-db']);
  assert.deepEqual(pool.stats(), {
    size: 65536n,
    allocated: 640n,
    available: 64896n,
    allocations: 3,
    largestFreeBits: 17,
  });
});

test('the multi-region example hands out 10.0.0.0/16, 10.1.0.0/16, 10.2.0.0/16', () => {
  const pool = poolOf('10.0.0.0/8');
  assert.equal(take(pool, 16, 'region-a'), '10.0.0.0/16');
  assert.equal(take(pool, 16, 'region-b'), '10.1.0.0/16');
  assert.equal(take(pool, 16, 'region-c'), '10.2.0.0/16');
  assert.equal(pool.ownerOf(p('10.1.0.0/16')), 'region-b');
  assert.equal(pool.ownerOf(p('10.1.0.0/17')), undefined);
  assert.equal(pool.stats().allocated, 3n * 65536n);
});

test('a small request takes the smallest hole, not the lowest address', () => {
  const pool = poolOf('10.0.0.0/24');
  assert.equal(take(pool, 25), '10.0.0.0/25');
  assert.equal(take(pool, 26), '10.0.0.128/26');
  assert.equal(take(pool, 26), '10.0.0.192/26');
  assert.deepEqual(pool.release(p('10.0.0.0/25')), { ok: true });
  assert.deepEqual(pool.release(p('10.0.0.192/26')), { ok: true });
  assert.equal(take(pool, 27), '10.0.0.192/27');
  assert.equal(take(pool, 27), '10.0.0.224/27');
  assert.equal(take(pool, 27), '10.0.0.0/27');
  assert.equal(take(pool, 26), '10.0.0.64/26');
  assert.equal(take(pool, 27), '10.0.0.32/27');
  assert.equal(take(pool, 32), 'Exhausted');
});

test('among holes of the same size the lowest is used first', () => {
  const pool = poolOf('10.0.0.0/24');
  for (const expected of ['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']) {
    assert.equal(take(pool, 26), expected);
  }
  assert.deepEqual(pool.release(p('10.0.0.192/26')), { ok: true });
  assert.deepEqual(pool.release(p('10.0.0.64/26')), { ok: true });
  assert.equal(take(pool, 28), '10.0.0.64/28');
  assert.equal(take(pool, 26), '10.0.0.192/26');
  assert.equal(take(pool, 28), '10.0.0.80/28');
});

test('reserve refuses overlap in both directions and names the holder', () => {
  const pool = poolOf('10.0.0.0/16');
  assert.equal(take(pool, 24, 'claim-alpha'), '10.0.0.0/24');
  const cases: [string, string][] = [
    ['10.0.0.128/25', 'a block inside the allocation'],
    ['10.0.0.7/32', 'one address inside the allocation'],
    ['10.0.0.0/23', 'a block containing the allocation'],
    ['10.0.0.0/16', 'the whole pool'],
    ['10.0.0.0/24', 'the allocation itself, for another owner'],
  ];
  for (const [cidr, what] of cases) {
    const result = pool.reserve(p(cidr), 'claim-beta');
    assert.ok(!result.ok, what);
    assert.equal(result.reason, 'Overlaps', what);
    assert.deepEqual(result.holder, { prefix: p('10.0.0.0/24'), owner: 'claim-alpha' }, what);
    assert.match(result.message, /claim-alpha/, what);
    assert.ok(result.message.includes(cidr), `${what}: ${result.message}`);
    if (cidr !== '10.0.0.0/24')
      assert.ok(result.message.includes('10.0.0.0/24'), `${what}: ${result.message}`);
  }
  assert.deepEqual(held(pool), ['10.0.0.0/24 claim-alpha']);
  assert.deepEqual(pool.reserve(p('10.0.1.0/24'), 'claim-beta'), { ok: true, prefix: p('10.0.1.0/24') });
  const both = pool.reserve(p('10.0.0.0/22'), 'claim-gamma');
  assert.ok(!both.ok);
  assert.equal(both.reason, 'Overlaps');
  assert.ok(both.holder);
  assert.ok(held(pool).includes(`${formatPrefix(both.holder.prefix)} ${both.holder.owner}`));
  assert.ok(both.message.includes(both.holder.owner));
  assert.equal(take(pool, 24), '10.0.2.0/24');
  assert.equal(pool.stats().allocations, 3);
});

test('reserving the same block again for the same owner is an idempotent success', () => {
  const pool = poolOf('10.0.0.0/16');
  assert.deepEqual(pool.reserve(p('10.0.4.0/22'), 'claim'), { ok: true, prefix: p('10.0.4.0/22') });
  const before = pool.stats();
  assert.deepEqual(pool.reserve(p('10.0.4.0/22'), 'claim'), { ok: true, prefix: p('10.0.4.0/22') });
  assert.deepEqual(pool.stats(), before);
  const inside = pool.reserve(p('10.0.4.0/23'), 'claim');
  assert.ok(!inside.ok);
  assert.equal(inside.reason, 'Overlaps');
  assert.equal(take(pool, 22), '10.0.0.0/22');
  assert.equal(take(pool, 22), '10.0.8.0/22');
});

test('holderOf finds the allocation containing or inside a block', () => {
  const pool = poolOf('10.0.0.0/24');
  assert.deepEqual(pool.reserve(p('10.0.0.64/26'), 'x'), { ok: true, prefix: p('10.0.0.64/26') });
  const x: Allocation = { prefix: p('10.0.0.64/26'), owner: 'x' };
  assert.deepEqual(pool.holderOf(p('10.0.0.0/24')), x);
  assert.deepEqual(pool.holderOf(p('10.0.0.0/25')), x);
  assert.deepEqual(pool.holderOf(p('10.0.0.64/26')), x);
  assert.deepEqual(pool.holderOf(p('10.0.0.100/32')), x);
  assert.equal(pool.holderOf(p('10.0.0.0/26')), undefined);
  assert.equal(pool.holderOf(p('10.0.0.128/25')), undefined);
  assert.equal(pool.holderOf(p('10.0.1.0/24')), undefined);
  assert.equal(pool.holderOf(p('fd00::/8')), undefined);
});

test('reserve refuses blocks outside the pool', () => {
  const pool = poolOf('10.0.0.0/16');
  for (const cidr of ['10.1.0.0/24', '10.0.0.0/15', '0.0.0.0/0', '192.168.0.1/32']) {
    const result = pool.reserve(p(cidr), 'claim');
    assert.ok(!result.ok, cidr);
    assert.equal(result.reason, 'OutsidePool', cidr);
    assert.equal(result.holder, undefined);
    assert.ok(result.message.includes(cidr), result.message);
    assert.ok(result.message.includes('10.0.0.0/16'), result.message);
  }
  const split = poolOf('10.0.1.0/24', '10.0.2.0/24');
  for (const cidr of ['10.0.0.0/22', '10.0.2.0/23', '10.0.0.0/23', '10.0.0.255/32']) {
    const result = split.reserve(p(cidr), 'claim');
    assert.ok(!result.ok, cidr);
    assert.equal(result.reason, 'OutsidePool', cidr);
  }
  assert.equal(split.stats().allocations, 0);
});

test('a pool refuses the other family everywhere', () => {
  const v4 = poolOf('10.0.0.0/16');
  const wrong = v4.reserve(p('fd00::/64'), 'claim');
  assert.ok(!wrong.ok);
  assert.equal(wrong.reason, 'WrongFamily');
  assert.match(wrong.message, /fd00::\/64/);
  assert.equal(v4.release(p('fd00::/64')).ok, false);
  assert.equal(v4.ownerOf(p('fd00::/64')), undefined);
  const v6 = poolOf('fd00::/48');
  const wrong6 = v6.reserve(p('10.0.0.0/24'), 'claim');
  assert.ok(!wrong6.ok);
  assert.equal(wrong6.reason, 'WrongFamily');
  assert.match(wrong6.message, /10\.0\.0\.0\/24/);
  assert.equal(v6.stats().allocations, 0);
});

test('release refuses what is not allocated and what belongs to another owner', () => {
  const pool = poolOf('10.0.0.0/16');
  assert.equal(take(pool, 24, 'claim-alpha'), '10.0.0.0/24');
  for (const cidr of ['10.0.1.0/24', '10.0.0.0/25', '10.0.0.0/23', '10.0.0.0/16', '10.9.0.0/24']) {
    const result = pool.release(p(cidr));
    assert.ok(!result.ok, cidr);
    assert.equal(result.reason, 'NotAllocated', cidr);
    assert.ok(result.message.includes(cidr), result.message);
  }
  const stranger = pool.release(p('10.0.0.0/24'), 'claim-beta');
  assert.ok(!stranger.ok);
  assert.equal(stranger.reason, 'NotOwner');
  assert.match(stranger.message, /claim-alpha/);
  assert.match(stranger.message, /claim-beta/);
  assert.equal(pool.ownerOf(p('10.0.0.0/24')), 'claim-alpha');
  assert.deepEqual(pool.release(p('10.0.0.0/24'), 'claim-alpha'), { ok: true });
  assert.equal(pool.release(p('10.0.0.0/24'), 'claim-alpha').ok, false);
  assert.equal(take(pool, 24, 'claim-gamma'), '10.0.0.0/24');
  assert.deepEqual(pool.release(p('10.0.0.0/24')), { ok: true });
  assert.deepEqual(pool.stats(), {
    size: 65536n,
    allocated: 0n,
    available: 65536n,
    allocations: 0,
    largestFreeBits: 16,
  });
  assert.equal(take(pool, 16), '10.0.0.0/16');
});

test('the specification example: no free /22, the largest free block is a /23', () => {
  const pool = poolOf('10.100.0.0/16');
  for (let i = 0; i < 128; i++) assert.equal(take(pool, 23), `10.100.${2 * i}.0/23`);
  for (let i = 0; i < 128; i += 2) assert.deepEqual(pool.release(p(`10.100.${2 * i}.0/23`)), { ok: true });
  const fragmented = refusal(pool, 22);
  assert.equal(fragmented.reason, 'Fragmented');
  assert.ok(
    fragmented.message.startsWith('no free /22 in 10.100.0.0/16; the largest free block is a /23'),
    fragmented.message,
  );
  assert.match(fragmented.message, /fragmented/);
  const exhausted = refusal(pool, 16);
  assert.equal(exhausted.reason, 'Exhausted');
  assert.ok(exhausted.message.startsWith('no free /16 in 10.100.0.0/16'), exhausted.message);
  assert.match(exhausted.message, /32768/);
  assert.doesNotMatch(exhausted.message, /fragmented/);
  assert.equal(take(pool, 23), '10.100.0.0/23');
});

test('fragmentation and exhaustion are told apart', () => {
  const pool = poolOf('10.0.0.0/16');
  for (let i = 0; i < 256; i++) assert.equal(take(pool, 24, `claim-${i}`), `10.0.${i}.0/24`);
  const full = refusal(pool, 24);
  assert.equal(full.reason, 'Exhausted');
  assert.ok(full.message.startsWith('no free /24 in 10.0.0.0/16'), full.message);
  assert.equal(refusal(pool, 32).reason, 'Exhausted');
  assert.deepEqual(pool.stats(), {
    size: 65536n,
    allocated: 65536n,
    available: 0n,
    allocations: 256,
    largestFreeBits: null,
  });
  for (let i = 0; i < 256; i += 2)
    assert.deepEqual(pool.release(p(`10.0.${i}.0/24`), `claim-${i}`), { ok: true });
  assert.deepEqual(pool.stats(), {
    size: 65536n,
    allocated: 32768n,
    available: 32768n,
    allocations: 128,
    largestFreeBits: 24,
  });
  const fragmented = refusal(pool, 22);
  assert.equal(fragmented.reason, 'Fragmented');
  assert.ok(fragmented.message.includes('no free /22 in 10.0.0.0/16'), fragmented.message);
  assert.ok(fragmented.message.includes('the largest free block is a /24'), fragmented.message);
  assert.equal(refusal(pool, 23).reason, 'Fragmented');
  assert.equal(refusal(pool, 17).reason, 'Fragmented');
  assert.equal(refusal(pool, 16).reason, 'Exhausted');
  assert.equal(take(pool, 26), '10.0.0.0/26');
  assert.equal(take(pool, 24), '10.0.2.0/24');
  assert.equal(refusal(pool, 17).reason, 'Exhausted');
});

test('a request larger than every block of the pool is TooLarge', () => {
  const pool = poolOf('10.0.0.0/16');
  for (const bits of [15, 8, 0]) {
    const result = refusal(pool, bits);
    assert.equal(result.reason, 'TooLarge', `/${bits}`);
    assert.ok(result.message.includes(`no free /${bits} in 10.0.0.0/16`), result.message);
  }
  const apart = poolOf('10.0.0.0/25', '10.0.1.0/25');
  assert.equal(refusal(apart, 24).reason, 'TooLarge');
  assert.equal(take(apart, 25), '10.0.0.0/25');
  assert.equal(take(apart, 25), '10.0.1.0/25');
  assert.equal(refusal(apart, 25).reason, 'Exhausted');
  const mixed = poolOf('10.0.0.0/24', '10.0.2.0/25');
  assert.equal(refusal(mixed, 23).reason, 'TooLarge');
  assert.equal(take(mixed, 24), '10.0.0.0/24');
  assert.equal(refusal(mixed, 24).reason, 'Exhausted');
});

test('invalid prefix lengths are refused', () => {
  const v4 = poolOf('10.0.0.0/16');
  for (const bits of [-1, 33, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    const result = refusal(v4, bits);
    assert.equal(result.reason, 'InvalidPrefixLength', String(bits));
    assert.match(result.message, /0 to 32/);
  }
  const v6 = poolOf('fd00::/64');
  for (const bits of [-1, 129, 64.5]) {
    const result = refusal(v6, bits);
    assert.equal(result.reason, 'InvalidPrefixLength', String(bits));
    assert.match(result.message, /0 to 128/);
  }
  assert.equal(take(v6, 128), 'fd00::/128');
  assert.equal(v4.stats().allocations, 0);
});

test('stats are bigint-safe for ::/0', () => {
  const pool = poolOf('::/0');
  const all = 1n << 128n;
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: 0n,
    available: all,
    allocations: 0,
    largestFreeBits: 0,
  });
  assert.equal(take(pool, 128), '::/128');
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: 1n,
    available: all - 1n,
    allocations: 1,
    largestFreeBits: 1,
  });
  assert.equal(take(pool, 1), '8000::/1');
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: (1n << 127n) + 1n,
    available: (1n << 127n) - 1n,
    allocations: 2,
    largestFreeBits: 2,
  });
  assert.equal(refusal(pool, 0).reason, 'Exhausted');
  assert.equal(refusal(pool, 1).reason, 'Exhausted');
  assert.deepEqual(pool.release(p('::/128')), { ok: true });
  assert.deepEqual(pool.release(p('8000::/1')), { ok: true });
  assert.equal(take(pool, 0), '::/0');
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: all,
    available: 0n,
    allocations: 1,
    largestFreeBits: null,
  });
  assert.equal(refusal(pool, 128).reason, 'Exhausted');
});

test('stats and allocation over 0.0.0.0/0', () => {
  const pool = poolOf('0.0.0.0/0');
  const all = 1n << 32n;
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: 0n,
    available: all,
    allocations: 0,
    largestFreeBits: 0,
  });
  assert.equal(take(pool, 0), '0.0.0.0/0');
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: all,
    available: 0n,
    allocations: 1,
    largestFreeBits: null,
  });
  const full = refusal(pool, 32);
  assert.equal(full.reason, 'Exhausted');
  assert.ok(full.message.includes('no free /32 in 0.0.0.0/0'), full.message);
  assert.deepEqual(pool.release(p('0.0.0.0/0')), { ok: true });
  assert.equal(take(pool, 1), '0.0.0.0/1');
  assert.equal(take(pool, 1), '128.0.0.0/1');
  assert.deepEqual(pool.release(p('0.0.0.0/1')), { ok: true });
  assert.equal(take(pool, 32), '0.0.0.0/32');
  assert.equal(take(pool, 31), '0.0.0.2/31');
  const top = pool.reserve(p('255.255.255.255/32'), 'top');
  assert.ok(!top.ok);
  assert.deepEqual(top.holder, { prefix: p('128.0.0.0/1'), owner: 'owner' });
  assert.deepEqual(pool.release(p('128.0.0.0/1')), { ok: true });
  assert.deepEqual(pool.reserve(p('255.255.255.255/32'), 'top'), {
    ok: true,
    prefix: p('255.255.255.255/32'),
  });
  assert.deepEqual(pool.stats(), {
    size: all,
    allocated: 4n,
    available: all - 4n,
    allocations: 3,
    largestFreeBits: 2,
  });
  assert.equal(take(pool, 2), '64.0.0.0/2');
  assert.equal(take(pool, 2), '128.0.0.0/2');
  assert.equal(take(pool, 32), '0.0.0.1/32');
  assert.equal(take(pool, 32), '255.255.255.254/32');
});

test('the top of the IPv4 space is allocated up to 255.255.255.255', () => {
  const pool = poolOf('255.255.255.0/24');
  for (let i = 0; i < 256; i++) assert.equal(take(pool, 32), `255.255.255.${i}/32`);
  assert.equal(take(pool, 32), 'Exhausted');
  assert.deepEqual(pool.release(p('255.255.255.255/32')), { ok: true });
  assert.equal(take(pool, 32), '255.255.255.255/32');
  assert.deepEqual(pool.release(p('255.255.255.254/32')), { ok: true });
  assert.deepEqual(pool.release(p('255.255.255.255/32')), { ok: true });
  assert.equal(take(pool, 31), '255.255.255.254/31');
  const single = poolOf('255.255.255.255/32');
  assert.equal(take(single, 31), 'TooLarge');
  assert.equal(take(single, 32), '255.255.255.255/32');
  assert.equal(take(single, 32), 'Exhausted');
  assert.deepEqual(single.stats(), {
    size: 1n,
    allocated: 1n,
    available: 0n,
    allocations: 1,
    largestFreeBits: null,
  });
});

test('the top of the IPv6 space is allocated up to the last /128', () => {
  const pool = poolOf('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120');
  for (let i = 0; i < 256; i++) {
    assert.equal(take(pool, 128), `ffff:ffff:ffff:ffff:ffff:ffff:ffff:${(0xff00 + i).toString(16)}/128`);
  }
  assert.equal(take(pool, 128), 'Exhausted');
  assert.deepEqual(pool.release(p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128')), { ok: true });
  assert.deepEqual(pool.release(p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128')), { ok: true });
  assert.equal(take(pool, 127), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127');
  const half = poolOf('8000::/1');
  assert.equal(take(half, 2), '8000::/2');
  assert.equal(take(half, 128), 'c000::/128');
  assert.deepEqual(half.reserve(p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'), 'top'), {
    ok: true,
    prefix: p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'),
  });
  assert.equal(half.ownerOf(p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128')), 'top');
  assert.equal(take(half, 3), 'Fragmented');
  assert.equal(take(half, 4), 'd000::/4');
});

test('an IPv6 /64 hands out /120s and takes them back', () => {
  const pool = poolOf('fd00:1::/64');
  assert.equal(take(pool, 120, 'a'), 'fd00:1::/120');
  assert.equal(take(pool, 120, 'b'), 'fd00:1::100/120');
  assert.equal(take(pool, 120, 'c'), 'fd00:1::200/120');
  assert.deepEqual(pool.stats(), {
    size: 1n << 64n,
    allocated: 768n,
    available: (1n << 64n) - 768n,
    allocations: 3,
    largestFreeBits: 65,
  });
  assert.deepEqual(pool.release(p('fd00:1::100/120'), 'b'), { ok: true });
  assert.equal(take(pool, 120, 'd'), 'fd00:1::100/120');
  assert.equal(take(pool, 64), 'Exhausted');
  for (const cidr of ['fd00:1::/120', 'fd00:1::100/120', 'fd00:1::200/120']) {
    assert.deepEqual(pool.release(p(cidr)), { ok: true });
  }
  assert.equal(take(pool, 64), 'fd00:1::/64');
});

test('block indexes beyond 2^53 are allocated, reserved, listed and released', () => {
  const pool = poolOf('fd00::/8');
  const top = 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128';
  assert.equal(take(pool, 128, 'low'), 'fd00::/128');
  assert.deepEqual(pool.reserve(p(top), 'high'), { ok: true, prefix: p(top) });
  assert.equal(pool.ownerOf(p(top)), 'high');
  assert.deepEqual(pool.holderOf(p('fdff:ffff:ffff:ffff::/64')), { prefix: p(top), owner: 'high' });
  assert.deepEqual(held(pool), ['fd00::/128 low', `${top} high`]);
  const neighbour = pool.reserve(p('fdff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'), 'other');
  assert.ok(!neighbour.ok);
  assert.equal(neighbour.reason, 'Overlaps');
  assert.deepEqual(neighbour.holder, { prefix: p(top), owner: 'high' });
  assert.ok(neighbour.message.includes(top), neighbour.message);
  assert.equal(take(pool, 128, 'next'), 'fd00::1/128');
  assert.deepEqual(pool.release(p(top), 'high'), { ok: true });
  assert.equal(pool.ownerOf(p(top)), undefined);
  assert.equal(pool.stats().largestFreeBits, 9);
  assert.equal(take(pool, 9), 'fd80::/9');
  assert.equal(take(pool, 10), 'fd40::/10');
  const boundary = poolOf('fd00::/64');
  const below = 'fd00::1f:ffff:ffff:ffff/128';
  const at = 'fd00::20:0:0:0/128';
  assert.deepEqual(boundary.reserve(p(at), 'at'), { ok: true, prefix: p(at) });
  assert.deepEqual(boundary.reserve(p(below), 'below'), { ok: true, prefix: p(below) });
  assert.deepEqual(held(boundary), [`${below} below`, `${at} at`]);
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(boundary.snapshot())));
  assert.ok(restored.ok);
  assert.deepEqual(restored.pool.allocations(), boundary.allocations());
  assert.deepEqual(boundary.release(p(at), 'at'), { ok: true });
  assert.deepEqual(boundary.release(p(below), 'below'), { ok: true });
  assert.equal(take(boundary, 64), 'fd00::/64');
});

test('an IPv6 allocation shorter than the lowest block is listed, snapshotted and restored as itself', () => {
  const pool = poolOf('fd00:0:0:1::/64', 'fd00:1::/48');
  assert.equal(take(pool, 48, 'a'), 'fd00:1::/48');
  assert.equal(pool.ownerOf(p('fd00:1::/48')), 'a');
  assert.deepEqual(pool.allocations(), [{ prefix: p('fd00:1::/48'), owner: 'a' }]);
  const snapshot = pool.snapshot();
  assert.deepEqual(snapshot.allocations, [{ cidr: 'fd00:1::/48', owner: 'a' }]);
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(snapshot)));
  assert.ok(restored.ok, restored.ok ? '' : restored.message);
  assert.deepEqual(restored.pool.allocations(), pool.allocations());
});

test('buddy blocks given separately are merged, so their union can be handed out', () => {
  const pool = poolOf('10.0.0.128/25', '10.0.0.0/25');
  assert.deepEqual(pool.stats(), {
    size: 256n,
    allocated: 0n,
    available: 256n,
    allocations: 0,
    largestFreeBits: 24,
  });
  assert.equal(take(pool, 24), '10.0.0.0/24');
  assert.deepEqual(pool.release(p('10.0.0.0/24')), { ok: true });
  assert.equal(take(pool, 25), '10.0.0.0/25');
  assert.equal(take(pool, 25), '10.0.0.128/25');
  assert.deepEqual(pool.release(p('10.0.0.0/25')), { ok: true });
  assert.deepEqual(pool.release(p('10.0.0.128/25')), { ok: true });
  assert.deepEqual(pool.reserve(p('10.0.0.0/24'), 'whole'), { ok: true, prefix: p('10.0.0.0/24') });
  const three = poolOf('10.0.0.192/26', '10.0.0.0/25', '10.0.0.128/26');
  assert.equal(take(three, 24), '10.0.0.0/24');
  const six = poolOf('fd00::8000/113', 'fd00::/113');
  assert.equal(take(six, 112), 'fd00::/112');
  assert.deepEqual(pool.blocks, [p('10.0.0.128/25'), p('10.0.0.0/25')]);
});

test('createPrefixPool refuses no blocks, mixed families and overlapping blocks', () => {
  const none = createPrefixPool([]);
  assert.equal(none.ok, false);
  const mixed = createPrefixPool([p('10.0.0.0/16'), p('fd00::/64')]);
  assert.ok(!mixed.ok);
  assert.match(mixed.message, /one family/);
  const overlapping = createPrefixPool([p('10.0.0.0/16'), p('10.0.1.0/24')]);
  assert.ok(!overlapping.ok);
  assert.ok(overlapping.message.includes('10.0.0.0/16'), overlapping.message);
  assert.ok(overlapping.message.includes('10.0.1.0/24'), overlapping.message);
  assert.equal(createPrefixPool([p('10.0.0.0/24'), p('10.0.0.0/24')]).ok, false);
  assert.equal(createPrefixPool([p('10.0.0.0/24'), p('10.0.1.0/24')]).ok, true);
});

test('a rebuild keeps what fits and reports every conflict', () => {
  const given: Allocation[] = [
    { prefix: p('10.0.1.0/24'), owner: 'a' },
    { prefix: p('10.0.0.0/23'), owner: 'b' },
    { prefix: p('10.1.0.0/24'), owner: 'c' },
    { prefix: p('fd00::/64'), owner: 'd' },
    { prefix: p('10.0.4.0/24'), owner: 'e' },
    { prefix: p('10.0.4.0/24'), owner: 'f' },
  ];
  const created = createPrefixPool([p('10.0.0.0/16')], given);
  assert.ok(created.ok);
  const { pool, conflicts } = created;
  assert.deepEqual(held(pool), ['10.0.0.0/23 b', '10.0.4.0/24 e']);
  const reported = conflicts
    .map((c) => `${formatPrefix(c.allocation.prefix)} ${c.allocation.owner} ${c.reason}`)
    .sort();
  assert.deepEqual(reported, [
    '10.0.1.0/24 a Overlaps',
    '10.0.4.0/24 f Overlaps',
    '10.1.0.0/24 c OutsidePool',
    'fd00::/64 d WrongFamily',
  ]);
  const overlap = conflicts.find((c) => c.allocation.owner === 'a')!;
  assert.ok(overlap.message.includes('10.0.1.0/24'), overlap.message);
  assert.ok(overlap.message.includes('10.0.0.0/23'), overlap.message);
  assert.ok(conflicts.find((c) => c.allocation.owner === 'c')!.message.includes('10.1.0.0/24'));
  assert.deepEqual(pool.stats(), {
    size: 65536n,
    allocated: 768n,
    available: 64768n,
    allocations: 2,
    largestFreeBits: 17,
  });
  assert.equal(take(pool, 24), '10.0.5.0/24');
  assert.equal(take(pool, 24), '10.0.2.0/24');
  assert.equal(take(pool, 23), '10.0.6.0/23');
});

test('a rebuild lays out free space correctly at the top of IPv4', () => {
  const created = createPrefixPool([p('128.0.0.0/1')], [{ prefix: p('128.0.0.1/32'), owner: 'x' }]);
  assert.ok(created.ok);
  const { pool } = created;
  assert.deepEqual(pool.stats(), {
    size: 1n << 31n,
    allocated: 1n,
    available: (1n << 31n) - 1n,
    allocations: 1,
    largestFreeBits: 2,
  });
  assert.equal(take(pool, 32), '128.0.0.0/32');
  assert.equal(take(pool, 2), '192.0.0.0/2');
  assert.equal(take(pool, 31), '128.0.0.2/31');
  assert.equal(take(pool, 3), '160.0.0.0/3');
  const edge = createPrefixPool([p('255.255.255.0/24')], [{ prefix: p('255.255.255.254/32'), owner: 'x' }]);
  assert.ok(edge.ok);
  assert.equal(take(edge.pool, 32), '255.255.255.255/32');
  assert.equal(take(edge.pool, 32), '255.255.255.252/32');
  assert.equal(take(edge.pool, 25), '255.255.255.0/25');
  assert.equal(take(edge.pool, 26), '255.255.255.128/26');
});

test('a rebuild of many allocations is quick and exact', () => {
  const allocations: Allocation[] = [];
  for (let i = 0; i < 65536; i += 2) {
    allocations.push({ prefix: { family: 4, addr: 0x0a000000 + i, bits: 32 }, owner: `o${i}` });
  }
  const created = createPrefixPool([p('10.0.0.0/16')], allocations.reverse());
  assert.ok(created.ok);
  assert.deepEqual(created.conflicts, []);
  assert.deepEqual(created.pool.stats(), {
    size: 65536n,
    allocated: 32768n,
    available: 32768n,
    allocations: 32768,
    largestFreeBits: 32,
  });
  assert.equal(refusal(created.pool, 31).reason, 'Fragmented');
  assert.equal(take(created.pool, 32), '10.0.0.1/32');
});

test('a snapshot is plain data and restores an identical pool', () => {
  const pool = poolOf('10.0.0.0/16', '10.2.0.0/16');
  assert.equal(take(pool, 17, 'a'), '10.0.0.0/17');
  assert.deepEqual(pool.reserve(p('10.2.0.0/24'), 'b'), { ok: true, prefix: p('10.2.0.0/24') });
  assert.equal(take(pool, 24, 'c'), '10.2.1.0/24');
  assert.equal(take(pool, 26, 'd'), '10.2.2.0/26');
  assert.deepEqual(pool.release(p('10.0.0.0/17'), 'a'), { ok: true });
  const snapshot = pool.snapshot();
  assert.deepEqual(snapshot, {
    family: 4,
    blocks: ['10.0.0.0/16', '10.2.0.0/16'],
    allocations: [
      { cidr: '10.2.0.0/24', owner: 'b' },
      { cidr: '10.2.1.0/24', owner: 'c' },
      { cidr: '10.2.2.0/26', owner: 'd' },
    ],
  });
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(snapshot)));
  assert.ok(restored.ok);
  assert.deepEqual(restored.conflicts, []);
  const copy = restored.pool;
  assert.deepEqual(copy.allocations(), pool.allocations());
  assert.deepEqual(copy.stats(), pool.stats());
  assert.deepEqual(copy.snapshot(), snapshot);
  assert.equal(take(pool, 26), '10.2.2.64/26');
  assert.equal(take(copy, 26), '10.2.2.64/26');
  for (const bits of [16, 24, 17, 30, 32, 15, 25, 16, 23, 0, 33]) {
    assert.deepEqual(copy.allocate(bits, 'z'), pool.allocate(bits, 'z'), `/${bits}`);
  }
  assert.deepEqual(copy.allocations(), pool.allocations());
});

test('an IPv6 snapshot restores identically', () => {
  const pool = poolOf('fd00:1::/48', 'fd00:3::/48');
  assert.equal(take(pool, 64, 'a'), 'fd00:1::/64');
  assert.equal(take(pool, 56, 'b'), 'fd00:1:0:100::/56');
  assert.deepEqual(pool.reserve(p('fd00:3:0:ffff:ffff:ffff:ffff:ffff/128'), 'c').ok, true);
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(pool.snapshot())));
  assert.ok(restored.ok);
  assert.deepEqual(restored.pool.allocations(), pool.allocations());
  for (const bits of [64, 48, 49, 128, 56, 47]) {
    assert.deepEqual(restored.pool.allocate(bits, 'z'), pool.allocate(bits, 'z'), `/${bits}`);
  }
});

test('a snapshot in the IPv4-mapped range restores', () => {
  const block: Prefix = { family: 6, addr: 0xffffn << 32n, bits: 96 };
  const created = createPrefixPool([block]);
  assert.ok(created.ok);
  assert.equal(take(created.pool, 120), '::ffff:0.0.0.0/120');
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(created.pool.snapshot())));
  assert.ok(restored.ok);
  assert.deepEqual(restored.pool.allocations(), created.pool.allocations());
});

test('restore refuses a snapshot holding an invalid CIDR', () => {
  const result = restorePrefixPool({
    family: 4,
    blocks: ['10.0.0.0/16'],
    allocations: [{ cidr: '10.0.0.1/24', owner: 'x' }],
  });
  assert.ok(!result.ok);
  assert.match(result.message, /10\.0\.0\.1\/24/);
});
