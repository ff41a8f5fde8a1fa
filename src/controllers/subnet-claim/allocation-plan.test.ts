// Proves an allocation round: creation order, explicit blocks, adoption, recovery, Subnets written by hand
// reserved or refused, release, refusals naming the holder; and, over random rounds of claims and written
// Subnets, that entries never overlap and no holder ever holds two blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { containsPrefix, mustParsePrefix, overlaps } from '../../ipam/index.ts';
import { type PlanClaim, type PlanInput, type PlanSubnet, planAllocations } from './allocation-plan.ts';

const network = { name: 'app-network', blocks: ['10.100.0.0/16', 'fd00:10::/48'] };
const claim = (name: string, prefixLength: number, extra: Partial<PlanClaim> = {}): PlanClaim => ({
  name,
  uid: `uid-${name}`,
  family: 4,
  prefixLength,
  ...extra,
});
const entry = (cidr: string, name: string): NetworkAllocationEntry => ({
  cidr,
  kind: 'SubnetClaim',
  name,
  uid: `uid-${name}`,
});
const plan = (input: Partial<PlanInput>) =>
  planAllocations({ network, entries: [], pending: [], releasable: new Set(), subnets: [], ...input });

test('the multi-tier example: claims are served in the order given', () => {
  const result = plan({
    pending: [claim('web-subnet', 24), claim('app-subnet', 24), claim('db-subnet', 25)],
  });
  assert.deepEqual(
    result.allocated.map((e) => [e.name, e.cidr]),
    [
      ['web-subnet', '10.100.0.0/24'],
      ['app-subnet', '10.100.1.0/24'],
      ['db-subnet', '10.100.2.0/25'],
    ],
    'the specification’s blocks',
  );
  assert.deepEqual(result.entries, result.allocated, 'the record holds them, in address order');
});

test('a claim that already holds a block is not given another', () => {
  const held = entry('10.100.7.0/24', 'web');
  const result = plan({ entries: [held], pending: [claim('web', 24)] });
  assert.deepEqual(result.allocated, [], 'nothing new');
  assert.deepEqual(result.entries, [held], 'the record unchanged');
});

test('explicit blocks are reserved; overlapping, outside and wrong-family ones are refused with the holder named', () => {
  const result = plan({
    entries: [entry('10.100.5.0/24', 'pinned')],
    pending: [
      claim('exact', 24, { cidrBlock: '10.100.5.0/24' }),
      claim('inside', 25, { cidrBlock: '10.100.5.128/25' }),
      claim('outside', 24, { cidrBlock: '10.9.0.0/24' }),
      claim('free', 24, { cidrBlock: '10.100.9.0/24' }),
    ],
  });
  assert.deepEqual(
    Object.fromEntries(result.failures),
    {
      'uid-exact': {
        reason: 'Overlaps',
        message: '10.100.5.0/24 is already allocated to SubnetClaim pinned',
      },
      'uid-inside': {
        reason: 'Overlaps',
        message: '10.100.5.128/25 overlaps 10.100.5.0/24, which is allocated to SubnetClaim pinned',
      },
      'uid-outside': {
        reason: 'OutsideNetwork',
        message: '10.9.0.0/24 is outside network app-network (10.100.0.0/16)',
      },
    },
    'refusals',
  );
  assert.deepEqual(result.allocated, [entry('10.100.9.0/24', 'free')], 'the free explicit block');
});

test('a Subnet written by hand is in use; one the claim owns is adopted; a lost block is taken again', () => {
  const result = plan({
    subnets: [
      { name: 'manual', uid: 's1', cidrBlock: '10.100.0.0/24', claimUids: [] },
      { name: 'mine', uid: 's2', cidrBlock: '10.100.8.0/24', claimUids: ['uid-adopter'] },
    ],
    pending: [
      claim('adopter', 24),
      claim('returning', 24, { previousCidr: '10.100.3.0/24' }),
      claim('next', 24),
    ],
  });
  assert.deepEqual(
    result.allocated.map((e) => [e.name, e.cidr]),
    [
      ['adopter', '10.100.8.0/24'],
      ['returning', '10.100.3.0/24'],
      ['next', '10.100.1.0/24'],
    ],
    'adopted, recovered, then the lowest block the manual Subnet leaves',
  );
  const blocked = plan({
    subnets: [{ name: 'manual', uid: 's1', cidrBlock: '10.100.0.0/16', claimUids: [] }],
    pending: [claim('late', 24)],
  });
  assert.deepEqual(
    blocked.failures.get('uid-late'),
    {
      reason: 'InsufficientCapacity',
      message: 'network app-network: no free /24 in 10.100.0.0/16; every address is allocated',
    },
    'the manual Subnet fills the network',
  );
});

const written = (name: string, cidrBlock: string): PlanSubnet => ({
  name,
  uid: `uid-${name}`,
  cidrBlock,
  claimUids: [],
});
const reservation = (cidr: string, name: string): NetworkAllocationEntry => ({
  cidr,
  kind: 'Subnet',
  name,
  uid: `uid-${name}`,
});

test('a Subnet written by hand is reserved as its own entry before the claims of the round are served', () => {
  const result = plan({
    subnets: [written('manual', '10.100.0.0/24')],
    pending: [claim('dynamic', 24), claim('pinned', 25, { cidrBlock: '10.100.0.128/25' })],
  });
  assert.deepEqual(result.reserved, [reservation('10.100.0.0/24', 'manual')], 'reserved as written');
  assert.deepEqual(result.allocated, [entry('10.100.1.0/24', 'dynamic')], 'the claim goes around it');
  assert.deepEqual(
    result.failures.get('uid-pinned'),
    {
      reason: 'Overlaps',
      message: '10.100.0.128/25 overlaps 10.100.0.0/24, which is allocated to Subnet manual',
    },
    'a claim of the same round asking for its block is refused, naming the Subnet',
  );
  assert.deepEqual(
    result.entries,
    [reservation('10.100.0.0/24', 'manual'), entry('10.100.1.0/24', 'dynamic')],
    'the record holds both, in address order',
  );
});

test('a written Subnet that already has its entry is not reserved again', () => {
  const held = reservation('10.100.4.0/24', 'manual');
  const result = plan({ entries: [held], subnets: [written('manual', '10.100.4.0/24')] });
  assert.deepEqual(result.reserved, [], 'nothing new');
  assert.deepEqual(result.entries, [held], 'the record unchanged');
  assert.equal(result.failures.size, 0, 'no refusal of its own block');
});

test('a written Subnet overlapping an entry, outside the network or of a missing family gets a reason and no entry', () => {
  const result = plan({
    network: { name: 'v4-only', blocks: ['10.100.0.0/16'] },
    entries: [entry('10.100.1.0/24', 'claimed')],
    subnets: [
      written('same', '10.100.1.0/24'),
      written('wider', '10.100.0.0/23'),
      written('outside', '10.9.0.0/24'),
      written('v6', 'fd00:10::/64'),
    ],
  });
  assert.deepEqual(
    Object.fromEntries(result.failures),
    {
      'uid-same': {
        reason: 'Overlaps',
        message: '10.100.1.0/24 is already allocated to SubnetClaim claimed',
      },
      'uid-wider': {
        reason: 'Overlaps',
        message: '10.100.0.0/23 overlaps 10.100.1.0/24, which is allocated to SubnetClaim claimed',
      },
      'uid-outside': {
        reason: 'OutsideNetwork',
        message: '10.9.0.0/24 is outside network v4-only (10.100.0.0/16)',
      },
      'uid-v6': {
        reason: 'FamilyNotInNetwork',
        message: 'fd00:10::/64 is IPv6; network v4-only has no IPv6 blocks',
      },
    },
    'refusals naming the holder and its block',
  );
  assert.deepEqual(result.reserved, [], 'none reserved');
  assert.deepEqual(result.entries, [entry('10.100.1.0/24', 'claimed')], 'the record unchanged');
  assert.deepEqual(result.problems, [], 'refused Subnets hold nothing, so no pool trips over them');
});

test('of two written Subnets that overlap, the earlier is reserved and the later refused naming it', () => {
  const result = plan({
    subnets: [written('first', '10.100.2.0/24'), written('second', '10.100.2.128/25')],
  });
  assert.deepEqual(result.reserved, [reservation('10.100.2.0/24', 'first')], 'the earlier one');
  assert.deepEqual(
    result.failures.get('uid-second'),
    {
      reason: 'Overlaps',
      message: '10.100.2.128/25 overlaps 10.100.2.0/24, which is allocated to Subnet first',
    },
    'the later one',
  );
});

test('a written Subnet that is gone frees its entry, and a claim can take the block in the same round', () => {
  const result = plan({
    network: { name: 'small', blocks: ['10.1.0.0/24'] },
    entries: [reservation('10.1.0.0/24', 'manual')],
    releasable: new Set(['uid-manual']),
    pending: [claim('waiting', 24)],
  });
  assert.deepEqual(result.released, [reservation('10.1.0.0/24', 'manual')], 'released');
  assert.deepEqual(result.entries, [entry('10.1.0.0/24', 'waiting')], 'the claim takes the block');
});

test('without a network no written Subnet is reserved', () => {
  const result = plan({ network: undefined, subnets: [written('manual', '10.100.0.0/24')] });
  assert.deepEqual([result.entries, result.reserved], [[], []], 'nothing reserved');
  assert.equal(result.failures.size, 0, 'no verdict: the network is missing');
});

test('released blocks are freed first and can be served in the same round', () => {
  const result = plan({
    network: { name: 'small', blocks: ['10.1.0.0/26'] },
    entries: [entry('10.1.0.0/27', 'gone'), entry('10.1.0.32/27', 'staying')],
    releasable: new Set(['uid-gone']),
    pending: [claim('waiting', 27)],
  });
  assert.deepEqual(result.released, [entry('10.1.0.0/27', 'gone')], 'released');
  assert.deepEqual(
    result.entries,
    [entry('10.1.0.0/27', 'waiting'), entry('10.1.0.32/27', 'staying')],
    'the waiting claim takes the freed block',
  );
});

test('without a network nothing is allocated, but blocks are still freed', () => {
  const result = plan({
    network: undefined,
    entries: [entry('10.1.0.0/27', 'gone')],
    releasable: new Set(['uid-gone']),
    pending: [claim('waiting', 27)],
  });
  assert.deepEqual(result.entries, [], 'freed');
  assert.deepEqual(result.allocated, [], 'nothing allocated');
  assert.equal(result.failures.size, 0, 'no verdict on the waiting claim: its network is missing');
});

test('IPv6 claims come from the IPv6 blocks; a family the network lacks is named', () => {
  const result = plan({
    network: { name: 'v6', blocks: ['fd00:10::/48'] },
    pending: [claim('a', 64, { family: 6 }), claim('b', 24)],
  });
  assert.deepEqual(result.allocated, [entry('fd00:10::/64', 'a')], 'a /64');
  assert.deepEqual(
    result.failures.get('uid-b'),
    { reason: 'FamilyNotInNetwork', message: 'network v6 has no IPv4 blocks' },
    'IPv4 refused',
  );
});

test('over random rounds, entries never overlap, stay inside the network, and each claim holds one block at most', () => {
  const small = { name: 'n', blocks: ['10.0.0.0/22', '10.0.8.0/24'] };
  const blocks = small.blocks.map((b) => mustParsePrefix(b));
  const step = fc.record({
    claims: fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 30 }),
        bits: fc.integer({ min: 21, max: 30 }),
        explicit: fc.option(fc.integer({ min: 0, max: 2 ** 12 - 1 }), { freq: 4 }),
      }),
      { maxLength: 12 },
    ),
    release: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
      let entries: readonly NetworkAllocationEntry[] = [];
      for (const { claims, release } of steps) {
        const pending = claims.map(({ id, bits, explicit }) => {
          if (explicit === null) return claim(`c${id}`, bits);
          const offset = (explicit * 4) % 4096;
          const base = 0x0a000000 + offset - (offset % 2 ** (32 - bits));
          return claim(`c${id}`, bits, {
            cidrBlock: `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${bits}`,
          });
        });
        const result = planAllocations({
          network: small,
          entries,
          pending,
          releasable: new Set(release.map((id) => `uid-c${id}`)),
          subnets: [],
        });
        entries = result.entries;
        const prefixes = entries.map((e) => mustParsePrefix(e.cidr));
        for (let i = 0; i < prefixes.length; i++) {
          assert.ok(
            blocks.some((b) => containsPrefix(b, prefixes[i]!)),
            `${entries[i]!.cidr} lies inside the network`,
          );
          for (let j = i + 1; j < prefixes.length; j++) {
            assert.ok(
              !overlaps(prefixes[i]!, prefixes[j]!),
              `${entries[i]!.cidr} and ${entries[j]!.cidr} overlap`,
            );
          }
        }
        assert.equal(new Set(entries.map((e) => e.uid)).size, entries.length, 'one block per claim');
        for (const { uid } of pending) {
          const held = entries.some((e) => e.uid === uid);
          assert.ok(held !== result.failures.has(uid), `${uid}: a block or a reason, never both or neither`);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('over random rounds of claims and written Subnets, entries never overlap and each written Subnet is reserved or refused', () => {
  const small = { name: 'n', blocks: ['10.0.0.0/22'] };
  const v4 = (offset: number, bits: number): string => {
    const base = 0x0a000000 + offset - (offset % 2 ** (32 - bits));
    return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${bits}`;
  };
  const step = fc.record({
    claims: fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 20 }), bits: fc.integer({ min: 23, max: 28 }) }),
      { maxLength: 6 },
    ),
    subnets: fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 20 }),
        bits: fc.integer({ min: 22, max: 28 }),
        // Up to 8192 addresses from 10.0.0.0: half of them outside the network.
        offset: fc.integer({ min: 0, max: 2 ** 13 - 1 }),
      }),
      { maxLength: 6 },
    ),
    gone: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 4 }),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
      let entries: readonly NetworkAllocationEntry[] = [];
      // A Subnet's block never changes: the first one drawn for an id is that Subnet's for good.
      const blocksOf = new Map<string, string>();
      for (const { claims, subnets, gone } of steps) {
        const present = new Map<string, PlanSubnet>();
        for (const { id, bits, offset } of subnets) {
          const name = `s${id}`;
          if (!blocksOf.has(name)) blocksOf.set(name, v4(offset, bits));
          present.set(name, written(name, blocksOf.get(name)!));
        }
        for (const id of gone) present.delete(`s${id}`);
        const pending = claims.map(({ id, bits }) => claim(`c${id}`, bits));
        const result = planAllocations({
          network: small,
          entries,
          pending,
          releasable: new Set(
            entries.filter((e) => e.kind === 'Subnet' && !present.has(e.name)).map((e) => e.uid),
          ),
          subnets: [...present.values()],
        });
        entries = result.entries;
        const prefixes = entries.map((e) => mustParsePrefix(e.cidr));
        for (let i = 0; i < prefixes.length; i++) {
          assert.ok(
            containsPrefix(mustParsePrefix(small.blocks[0]!), prefixes[i]!),
            `${entries[i]!.cidr} lies inside the network`,
          );
          for (let j = i + 1; j < prefixes.length; j++) {
            assert.ok(
              !overlaps(prefixes[i]!, prefixes[j]!),
              `${entries[i]!.cidr} and ${entries[j]!.cidr} overlap`,
            );
          }
        }
        assert.equal(new Set(entries.map((e) => e.uid)).size, entries.length, 'one block per holder');
        for (const subnet of present.values()) {
          const held = entries.find((e) => e.uid === subnet.uid);
          assert.ok(
            (held !== undefined) !== result.failures.has(subnet.uid),
            `${subnet.name}: an entry or a reason, never both or neither`,
          );
          if (held !== undefined) {
            assert.deepEqual(
              held,
              reservation(subnet.cidrBlock, subnet.name),
              `${subnet.name} holds its own block`,
            );
          }
        }
        for (const e of entries) {
          if (e.kind === 'Subnet') assert.ok(present.has(e.name), `${e.name} is gone, so is its entry`);
        }
      }
    }),
    { numRuns: 300 },
  );
});
