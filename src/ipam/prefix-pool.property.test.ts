// Proves the subnet allocator agrees with a brute-force model on small IPv4 and IPv6 pools, step by step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatPrefix, type Prefix } from './prefix.ts';
import { createPrefixPool, type PrefixPool, restorePrefixPool } from './prefix-pool.ts';

const N = 1024;

interface Universe {
  readonly name: string;
  readonly width: number;
  readonly bits: number;
  prefix(offset: number, bits: number): Prefix;
  foreign(offset: number, bits: number): Prefix;
  offsetOf(prefix: Prefix): number;
}

const v4Base = 0x0a000000;
const v6Base = 0xfd00n << 112n;

const universes: Universe[] = [
  {
    name: 'IPv4 10.0.0.0/22',
    width: 32,
    bits: 22,
    prefix: (offset, bits) => ({ family: 4, addr: v4Base + offset, bits }),
    foreign: (offset, bits) => ({ family: 6, addr: v6Base + BigInt(offset), bits: bits + 96 }),
    offsetOf: (prefix) => (prefix.addr as number) - v4Base,
  },
  {
    name: 'IPv6 fd00::/118',
    width: 128,
    bits: 118,
    prefix: (offset, bits) => ({ family: 6, addr: v6Base + BigInt(offset), bits }),
    foreign: (offset, bits) => ({ family: 4, addr: v4Base + offset, bits: bits - 96 }),
    offsetOf: (prefix) => Number((prefix.addr as bigint) - v6Base),
  },
];

interface Held {
  readonly offset: number;
  readonly size: number;
  readonly owner: string;
}

type Outcome = { ok: true; offset: number; size: number } | { ok: false; reason: string };

class Model {
  readonly inPool = new Uint8Array(N);
  held: Held[] = [];
  readonly width: number;

  constructor(width: number, blocks: readonly { offset: number; size: number }[]) {
    this.width = width;
    for (const { offset, size } of blocks) this.inPool.fill(1, offset, offset + size);
  }

  sizeOf(bits: number): number {
    return 2 ** (this.width - bits);
  }

  bitsOf(size: number): number {
    return this.width - Math.log2(size);
  }

  free(): Int32Array {
    const taken = new Uint8Array(N);
    for (const { offset, size } of this.held) taken.fill(1, offset, offset + size);
    const sums = new Int32Array(N + 1);
    for (let i = 0; i < N; i++) sums[i + 1] = sums[i]! + (this.inPool[i] && !taken[i] ? 1 : 0);
    return sums;
  }

  poolSums(): Int32Array {
    const sums = new Int32Array(N + 1);
    for (let i = 0; i < N; i++) sums[i + 1] = sums[i]! + this.inPool[i]!;
    return sums;
  }

  static full(sums: Int32Array, offset: number, size: number): boolean {
    return offset >= 0 && offset + size <= N && sums[offset + size]! - sums[offset]! === size;
  }

  poolSize(): number {
    return this.poolSums()[N]!;
  }

  allocated(): number {
    return this.held.reduce((sum, { size }) => sum + size, 0);
  }

  largestFreeBits(): number | null {
    const sums = this.free();
    for (let size = N; size >= 1; size /= 2) {
      for (let offset = 0; offset < N; offset += size) {
        if (Model.full(sums, offset, size)) return this.bitsOf(size);
      }
    }
    return null;
  }

  predict(bits: number): Outcome {
    if (!Number.isInteger(bits) || bits < 0 || bits > this.width)
      return { ok: false, reason: 'InvalidPrefixLength' };
    const size = this.sizeOf(bits);
    const pool = this.poolSums();
    let fits = false;
    for (let offset = 0; offset < N && size <= N; offset += size) fits ||= Model.full(pool, offset, size);
    if (!fits) return { ok: false, reason: 'TooLarge' };
    const free = this.free();
    let best: { offset: number; container: number } | undefined;
    for (let offset = 0; offset < N; offset += size) {
      if (!Model.full(free, offset, size)) continue;
      let container = size;
      while (container < N && Model.full(free, offset - (offset % (container * 2)), container * 2))
        container *= 2;
      if (!best || container < best.container) best = { offset, container };
    }
    if (best) return { ok: true, offset: best.offset, size };
    return { ok: false, reason: free[N]! < size ? 'Exhausted' : 'Fragmented' };
  }

  allocate(bits: number, owner: string): Outcome {
    const outcome = this.predict(bits);
    if (outcome.ok) this.held.push({ offset: outcome.offset, size: outcome.size, owner });
    return outcome;
  }

  overlapping(offset: number, size: number): Held[] {
    return this.held.filter((h) => h.offset < offset + size && offset < h.offset + h.size);
  }

  reserve(
    offset: number,
    size: number,
    owner: string,
  ): { ok: true } | { ok: false; reason: string; holders: Held[] } {
    if (!Model.full(this.poolSums(), offset, size)) return { ok: false, reason: 'OutsidePool', holders: [] };
    const holders = this.overlapping(offset, size);
    if (holders.length === 0) {
      this.held.push({ offset, size, owner });
      return { ok: true };
    }
    const same = holders[0]!;
    if (holders.length === 1 && same.offset === offset && same.size === size && same.owner === owner)
      return { ok: true };
    return { ok: false, reason: 'Overlaps', holders };
  }

  release(
    offset: number,
    size: number,
    owner: string | undefined,
  ): { ok: true } | { ok: false; reason: string } {
    const index = this.held.findIndex((h) => h.offset === offset && h.size === size);
    if (index < 0) return { ok: false, reason: 'NotAllocated' };
    if (owner !== undefined && this.held[index]!.owner !== owner) return { ok: false, reason: 'NotOwner' };
    this.held.splice(index, 1);
    return { ok: true };
  }

  sorted(): Held[] {
    return [...this.held].sort((a, b) => a.offset - b.offset || b.size - a.size);
  }
}

type Op =
  | { t: 'allocate'; bits: number; owner: string }
  | { t: 'burst'; bits: number; count: number; owner: string }
  | { t: 'reserveHeld'; index: number; delta: number; owner: string }
  | { t: 'reserve'; bits: number; raw: number; owner: string; foreign: boolean }
  | { t: 'releaseHeld'; index: number; mode: 'owner' | 'stranger' | 'anyone' }
  | { t: 'releaseAny'; bits: number; raw: number; foreign: boolean };

const owners = ['a', 'b', 'c'];

const opArb = (u: Universe): fc.Arbitrary<{ op: Op; probe: number }> => {
  const bits = fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: u.bits - 2, max: u.width }) },
    { weight: 3, arbitrary: fc.integer({ min: u.width - 6, max: u.width }) },
  );
  const owner = fc.constantFrom(...owners);
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ t: fc.constant('allocate' as const), bits, owner }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('burst' as const),
        bits: fc.integer({ min: u.width - 4, max: u.width }),
        count: fc.integer({ min: 2, max: 24 }),
        owner,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('reserveHeld' as const),
        index: fc.nat(),
        delta: fc.integer({ min: -3, max: 3 }),
        owner,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('reserve' as const),
        bits,
        raw: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: N - 1 }) }, fc.nat({ max: 2 * N - 1 })),
        owner,
        foreign: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        t: fc.constant('releaseHeld' as const),
        index: fc.nat(),
        mode: fc.constantFrom('owner' as const, 'stranger' as const, 'anyone' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('releaseAny' as const),
        bits,
        raw: fc.nat({ max: N - 1 }),
        foreign: fc.boolean(),
      }),
    },
  );
  return fc.record({ op, probe: bits });
};

const blocksArb = (u: Universe) =>
  fc
    .array(
      fc.record({ bits: fc.integer({ min: u.bits, max: u.bits + 7 }), index: fc.nat(), buddy: fc.boolean() }),
      { minLength: 1, maxLength: 3 },
    )
    .map((specs) => {
      const blocks: { offset: number; size: number }[] = [];
      const add = (offset: number, size: number) => {
        if (blocks.every((b) => offset + size <= b.offset || b.offset + b.size <= offset))
          blocks.push({ offset, size });
      };
      for (const { bits, index, buddy } of specs) {
        const size = 2 ** (u.width - bits);
        const offset = (index % (N / size)) * size;
        add(offset, size);
        if (buddy && size < N) add(offset ^ size, size);
      }
      return blocks;
    });

const alignedOffset = (raw: number, size: number) => raw - (raw % size);

const describe = (u: Universe, offset: number, size: number) =>
  formatPrefix(u.prefix(offset, u.width - Math.log2(size)));

const check = (u: Universe, pool: PrefixPool, model: Model) => {
  const listed = pool.allocations();
  assert.deepEqual(
    listed.map(({ prefix, owner }) => `${formatPrefix(prefix)} ${owner}`),
    model.sorted().map(({ offset, size, owner }) => `${describe(u, offset, size)} ${owner}`),
  );
  const covered = new Uint8Array(N);
  for (const { prefix } of listed) {
    assert.equal(prefix.family, u.prefix(0, u.bits).family);
    const offset = u.offsetOf(prefix);
    const size = 2 ** (u.width - prefix.bits);
    assert.ok(offset >= 0 && offset + size <= N, `${formatPrefix(prefix)} is outside the universe`);
    for (let i = offset; i < offset + size; i++) {
      assert.equal(model.inPool[i], 1, `${formatPrefix(prefix)} leaves the pool`);
      assert.equal(covered[i], 0, `${formatPrefix(prefix)} overlaps another allocation`);
      covered[i] = 1;
    }
  }
  const size = BigInt(model.poolSize());
  const allocated = BigInt(model.allocated());
  assert.deepEqual(pool.stats(), {
    size,
    allocated,
    available: size - allocated,
    allocations: model.held.length,
    largestFreeBits: model.largestFreeBits(),
  });
};

const outcomeOf = (u: Universe, result: ReturnType<PrefixPool['allocate']>): Outcome =>
  result.ok
    ? { ok: true, offset: u.offsetOf(result.prefix), size: 2 ** (u.width - result.prefix.bits) }
    : { ok: false, reason: result.reason };

const rebuild = (pool: PrefixPool): PrefixPool => {
  const restored = restorePrefixPool(JSON.parse(JSON.stringify(pool.snapshot())));
  assert.ok(restored.ok);
  assert.deepEqual(restored.conflicts, []);
  return restored.pool;
};

const run = (
  u: Universe,
  blocks: readonly { offset: number; size: number }[],
  steps: readonly { op: Op; probe: number }[],
) => {
  const created = createPrefixPool(
    blocks.map(({ offset, size }) => u.prefix(offset, u.width - Math.log2(size))),
  );
  assert.ok(created.ok);
  const pool = created.pool;
  const model = new Model(u.width, blocks);
  check(u, pool, model);
  const allocate = (bits: number, owner: string) => {
    const expected = model.allocate(bits, owner);
    const largest = model.largestFreeBits();
    const result = pool.allocate(bits, owner);
    assert.deepEqual(outcomeOf(u, result), expected, `allocate /${bits}`);
    if (!result.ok && (result.reason === 'Exhausted' || result.reason === 'Fragmented')) {
      assert.ok(result.message.startsWith(`no free /${bits} in `), result.message);
    }
    if (!result.ok && result.reason === 'Fragmented') {
      assert.ok(result.message.includes(`the largest free block is a /${largest}`), result.message);
    }
  };
  const reserve = (offset: number, bits: number, owner: string) => {
    const prefix = u.prefix(offset, bits);
    const expected = model.reserve(offset, 2 ** (u.width - bits), owner);
    const result = pool.reserve(prefix, owner);
    assert.equal(result.ok, expected.ok, `reserve ${formatPrefix(prefix)}`);
    if (result.ok || expected.ok) return;
    assert.equal(result.reason, expected.reason, `reserve ${formatPrefix(prefix)}`);
    if (expected.reason !== 'Overlaps') return;
    const holder = result.holder;
    assert.ok(holder);
    const names = expected.holders.map((h) => `${describe(u, h.offset, h.size)} ${h.owner}`);
    assert.ok(names.includes(`${formatPrefix(holder.prefix)} ${holder.owner}`));
    assert.ok(result.message.includes(formatPrefix(holder.prefix)), result.message);
    assert.ok(result.message.includes(holder.owner), result.message);
  };
  for (const { op, probe } of steps) {
    if (op.t === 'allocate') {
      allocate(op.bits, op.owner);
    } else if (op.t === 'burst') {
      for (let i = 0; i < op.count; i++) allocate(op.bits, op.owner);
    } else if (op.t === 'reserveHeld') {
      if (model.held.length > 0) {
        const target = model.held[op.index % model.held.length]!;
        const bits = Math.min(u.width, Math.max(u.bits - 2, model.bitsOf(target.size) + op.delta));
        reserve(alignedOffset(target.offset, 2 ** (u.width - bits)), bits, op.owner);
      }
    } else if (op.t === 'reserve') {
      const offset = alignedOffset(op.raw, 2 ** (u.width - op.bits));
      if (op.foreign) {
        const result = pool.reserve(u.foreign(offset, op.bits), op.owner);
        assert.ok(!result.ok);
        assert.equal(result.reason, 'WrongFamily');
      } else {
        reserve(offset, op.bits, op.owner);
      }
    } else if (op.t === 'releaseHeld') {
      if (model.held.length > 0) {
        const target = model.held[op.index % model.held.length]!;
        const owner =
          op.mode === 'owner' ? target.owner : op.mode === 'stranger' ? `not-${target.owner}` : undefined;
        const expected = model.release(target.offset, target.size, owner);
        const result = pool.release(u.prefix(target.offset, model.bitsOf(target.size)), owner);
        assert.deepEqual(result.ok ? result : { ok: false, reason: result.reason }, expected);
      }
    } else {
      const size = 2 ** (u.width - op.bits);
      const offset = alignedOffset(op.raw, size);
      if (op.foreign) {
        assert.equal(pool.release(u.foreign(offset, op.bits)).ok, false);
      } else {
        const expected = model.release(offset, size, undefined);
        const result = pool.release(u.prefix(offset, op.bits));
        assert.deepEqual(result.ok ? result : { ok: false, reason: result.reason }, expected);
      }
    }
    check(u, pool, model);
    const copy = rebuild(pool);
    assert.deepEqual(copy.allocations(), pool.allocations());
    assert.deepEqual(copy.stats(), pool.stats());
    assert.deepEqual(
      outcomeOf(u, copy.allocate(probe, 'probe')),
      model.predict(probe),
      `rebuilt allocate /${probe}`,
    );
  }
  return { pool, model };
};

for (const u of universes) {
  test(`${u.name}: every step agrees with the brute-force model`, () => {
    fc.assert(
      fc.property(
        blocksArb(u),
        fc.array(opArb(u), { minLength: 5, maxLength: 60, size: 'max' }),
        (blocks, steps) => {
          run(u, blocks, steps);
        },
      ),
      { numRuns: 400 },
    );
  });

  test(`${u.name}: a rebuilt pool hands out what the original does`, () => {
    fc.assert(
      fc.property(
        blocksArb(u),
        fc.array(opArb(u), { minLength: 5, maxLength: 40, size: 'max' }),
        fc.array(fc.integer({ min: u.bits - 1, max: u.width }), { minLength: 1, maxLength: 20 }),
        (blocks, steps, requests) => {
          const { pool } = run(u, blocks, steps);
          const copy = rebuild(pool);
          for (const bits of requests) {
            assert.deepEqual(copy.allocate(bits, 'next'), pool.allocate(bits, 'next'), `/${bits}`);
          }
          assert.deepEqual(copy.snapshot(), pool.snapshot());
        },
      ),
      { numRuns: 200 },
    );
  });

  test(`${u.name}: release then allocate round-trips`, () => {
    fc.assert(
      fc.property(
        blocksArb(u),
        fc.array(opArb(u), { minLength: 5, maxLength: 40, size: 'max' }),
        fc.integer({ min: u.bits, max: u.width }),
        (blocks, steps, bits) => {
          const { pool } = run(u, blocks, steps);
          const before = pool.stats();
          const first = pool.allocate(bits, 'round-trip');
          if (!first.ok) return;
          assert.deepEqual(pool.release(first.prefix, 'round-trip'), { ok: true });
          assert.deepEqual(pool.stats(), before);
          assert.deepEqual(pool.allocate(bits, 'round-trip'), first);
        },
      ),
      { numRuns: 200 },
    );
  });
}
