// Proves an allocation round: creation order, explicit blocks, adoption, recovery, Subnets written by hand,
// release, refusals naming the holder; and, over random rounds, that entries never overlap and no claim
// ever holds two blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { containsPrefix, mustParsePrefix, overlaps } from '../../ipam/index.ts';
import { type PlanClaim, type PlanInput, planAllocations } from './allocation-plan.ts';

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
