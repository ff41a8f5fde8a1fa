import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { type AuditAddress, type AuditInput, type AuditSubnet, auditNetwork } from './allocation-audit.ts';

const claimEntry = (name: string, cidr: string, uid = `uid-${name}`): NetworkAllocationEntry => ({
  cidr,
  kind: 'SubnetClaim',
  name,
  uid,
});
const subnetOf = (name: string, cidrBlock: string, claimUids: string[] = []): AuditSubnet => ({
  name,
  uid: `uid-subnet-${name}`,
  cidrBlock,
  claimUids,
});
const addressOf = (network: string, address: string, binding: string): AuditAddress => ({
  name: `${network}.${address}`,
  uid: `uid-address-${address}`,
  address,
  holder: { name: binding, uid: `uid-${binding}` },
});
const holder = (name: string) => ({ name, uid: `uid-${name}` });

/** A healthy network: two claims with their entries and Subnets, one hand-written Subnet, one bound address. */
const healthy = (): AuditInput => ({
  network: 'prod',
  blocks: ['10.0.0.0/16', 'fd00::/48'],
  entries: [
    claimEntry('web-claim', '10.0.0.0/24'),
    claimEntry('app-claim', '10.0.1.0/24'),
    claimEntry('v6-claim', 'fd00::/64'),
  ],
  subnets: [
    subnetOf('web', '10.0.0.0/24', ['uid-web-claim']),
    subnetOf('app', '10.0.1.0/24', ['uid-app-claim']),
    subnetOf('v6', 'fd00::/64', ['uid-v6-claim']),
    subnetOf('manual', '10.0.9.0/24'),
  ],
  claims: [holder('web-claim'), holder('app-claim'), holder('v6-claim')],
  addresses: [addressOf('prod', '10.0.0.5', 'vm-1'), addressOf('prod', 'fd00::7', 'vm-2')],
  bindings: [holder('vm-1'), holder('vm-2')],
});

describe('auditNetwork', () => {
  test('finds nothing wrong in a healthy network', () => {
    assert.deepEqual(
      auditNetwork(healthy()),
      { duplicates: [], outOfRange: [], orphans: [] },
      'no duplicates, nothing out of range, no orphans',
    );
  });

  test('two holders with overlapping entries are a duplicate naming both', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      entries: [...input.entries, claimEntry('db-claim', '10.0.1.128/25')],
      claims: [...input.claims, holder('db-claim')],
    });
    assert.deepEqual(
      audit.duplicates,
      [
        {
          kind: 'OverlappingEntries',
          message:
            'the allocation record gives 10.0.1.128/25 to SubnetClaim db-claim, which overlaps 10.0.1.0/24 of SubnetClaim app-claim',
        },
      ],
      'one overlap, the inner block named against the block it lies in',
    );
    assert.deepEqual(audit.outOfRange, [], 'both blocks are inside the network');
  });

  test('an identical block given to two holders is a duplicate', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      entries: [...input.entries, claimEntry('twin-claim', '10.0.0.0/24')],
      claims: [...input.claims, holder('twin-claim')],
    });
    assert.deepEqual(
      audit.duplicates.map((finding) => finding.kind),
      ['OverlappingEntries'],
      'one overlap',
    );
    assert.match(audit.duplicates[0]?.message ?? '', /twin-claim/, 'names the second holder');
    assert.match(audit.duplicates[0]?.message ?? '', /web-claim/, 'names the first holder');
  });

  test('blocks nested three deep give one duplicate per inner block', () => {
    const audit = auditNetwork({
      ...healthy(),
      entries: [
        claimEntry('a', '10.0.0.0/22'),
        claimEntry('b', '10.0.1.0/24'),
        claimEntry('c', '10.0.1.64/26'),
        claimEntry('d', '10.0.8.0/24'),
      ],
      subnets: [],
      claims: ['a', 'b', 'c', 'd'].map(holder),
      addresses: [],
    });
    assert.deepEqual(
      audit.duplicates.map((finding) => finding.message),
      [
        'the allocation record gives 10.0.1.0/24 to SubnetClaim b, which overlaps 10.0.0.0/22 of SubnetClaim a',
        'the allocation record gives 10.0.1.64/26 to SubnetClaim c, which overlaps 10.0.1.0/24 of SubnetClaim b',
      ],
      'b inside a, c inside b; d apart',
    );
  });

  test('one holder with two entries is a duplicate, reported once', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      entries: [...input.entries, claimEntry('web-claim', '10.0.4.0/24')],
    });
    assert.deepEqual(
      audit.duplicates,
      [
        {
          kind: 'HolderWithTwoEntries',
          message:
            'SubnetClaim web-claim (uid uid-web-claim) holds 2 entries in the allocation record: 10.0.0.0/24, 10.0.4.0/24',
        },
        {
          kind: 'SubnetDiffersFromEntry',
          message:
            'Subnet web holds 10.0.0.0/24 but the allocation record gives SubnetClaim web-claim 10.0.4.0/24',
        },
      ],
      'the holder twice, and its Subnet disagreeing with the second entry',
    );
  });

  test('a Subnet whose block differs from its claim entry is a duplicate', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      subnets: input.subnets.map((subnet) =>
        subnet.name === 'app' ? { ...subnet, cidrBlock: '10.0.2.0/24' } : subnet,
      ),
    });
    assert.deepEqual(
      audit.duplicates,
      [
        {
          kind: 'SubnetDiffersFromEntry',
          message:
            'Subnet app holds 10.0.2.0/24 but the allocation record gives SubnetClaim app-claim 10.0.1.0/24',
        },
      ],
      'the Subnet and the entry disagree',
    );
  });

  test('a Subnet entry held by the Subnet itself must match its block', () => {
    const input = healthy();
    const manual = input.subnets.find((subnet) => subnet.name === 'manual')!;
    const entry: NetworkAllocationEntry = {
      cidr: '10.0.8.0/24',
      kind: 'Subnet',
      name: 'manual',
      uid: manual.uid,
    };
    const audit = auditNetwork({ ...input, entries: [...input.entries, entry] });
    assert.deepEqual(
      audit.duplicates.map((finding) => finding.kind),
      ['SubnetDiffersFromEntry'],
      'the entry says 10.0.8.0/24, the Subnet 10.0.9.0/24',
    );
    assert.deepEqual(audit.orphans, [], 'the Subnet is alive, so its entry is no orphan');
  });

  test('two overlapping Subnets are a duplicate', () => {
    const input = healthy();
    const audit = auditNetwork({ ...input, subnets: [...input.subnets, subnetOf('rogue', '10.0.0.128/25')] });
    assert.deepEqual(
      audit.duplicates,
      [
        {
          kind: 'OverlappingSubnets',
          message: 'Subnet rogue (10.0.0.128/25) overlaps Subnet web (10.0.0.0/24)',
        },
      ],
      'the rogue Subnet inside web',
    );
  });

  test('entries outside every block are out of range, whatever their family', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      blocks: ['10.0.0.0/16'],
      entries: [
        ...input.entries,
        claimEntry('far-claim', '10.1.0.0/24'),
        claimEntry('big-claim', '10.0.0.0/15'),
      ],
      claims: [...input.claims, holder('far-claim'), holder('big-claim')],
      subnets: [],
      addresses: [],
    });
    assert.deepEqual(
      audit.outOfRange,
      [
        {
          kind: 'EntryOutsideNetwork',
          message: 'SubnetClaim big-claim: 10.0.0.0/15 is outside network prod (10.0.0.0/16)',
        },
        {
          kind: 'EntryOutsideNetwork',
          message: 'SubnetClaim far-claim: 10.1.0.0/24 is outside network prod (10.0.0.0/16)',
        },
        {
          kind: 'EntryOutsideNetwork',
          message: 'SubnetClaim v6-claim: fd00::/64 is outside network prod (10.0.0.0/16)',
        },
      ],
      'a block larger than the network, one beside it, and one of a family the network no longer has',
    );
  });

  test('an entry that is not a CIDR block is out of range', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      entries: [...input.entries, claimEntry('bad-claim', '10.0.0.1/24')],
    });
    assert.deepEqual(
      audit.outOfRange.map((finding) => finding.message),
      ['SubnetClaim bad-claim: 10.0.0.1/24 is not a CIDR block'],
      'host bits set',
    );
  });

  test('a Subnet outside every block is out of range', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      subnets: [...input.subnets, subnetOf('stray', '192.168.0.0/24')],
    });
    assert.deepEqual(
      audit.outOfRange,
      [
        {
          kind: 'SubnetOutsideNetwork',
          message: 'Subnet stray: 192.168.0.0/24 is outside network prod (10.0.0.0/16, fd00::/48)',
        },
      ],
      'the stray Subnet',
    );
  });

  test('an address outside every Subnet is out of range', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      addresses: [
        ...input.addresses,
        addressOf('prod', '10.0.5.9', 'vm-1'),
        addressOf('prod', 'fd00:0:0:1::1', 'vm-2'),
      ],
    });
    assert.deepEqual(
      audit.outOfRange,
      [
        {
          kind: 'AddressOutsideSubnets',
          message:
            'NetworkAddress prod.10.0.5.9 of NetworkBinding vm-1: 10.0.5.9 is outside every Subnet of network prod',
        },
        {
          kind: 'AddressOutsideSubnets',
          message:
            'NetworkAddress prod.fd00:0:0:1::1 of NetworkBinding vm-2: fd00:0:0:1::1 is outside every Subnet of network prod',
        },
      ],
      'one IPv4 and one IPv6 address in no Subnet',
    );
  });

  test('an entry whose holder is gone is an orphan; one whose claim left a Subnet behind is not', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      claims: input.claims.filter((claim) => claim.name !== 'web-claim' && claim.name !== 'app-claim'),
      subnets: input.subnets.filter((subnet) => subnet.name !== 'app'),
    });
    assert.deepEqual(
      audit.orphans,
      [{ kind: 'Entry', entry: claimEntry('app-claim', '10.0.1.0/24') }],
      "app-claim and its Subnet are gone; web-claim's Subnet still holds its block",
    );
  });

  test('an entry held by a Subnet that is gone is an orphan', () => {
    const input = healthy();
    const entry: NetworkAllocationEntry = {
      cidr: '10.0.7.0/24',
      kind: 'Subnet',
      name: 'old',
      uid: 'uid-subnet-old',
    };
    const audit = auditNetwork({ ...input, entries: [...input.entries, entry] });
    assert.deepEqual(audit.orphans, [{ kind: 'Entry', entry }], 'the Subnet-held entry');
  });

  test('an address whose binding is gone is an orphan', () => {
    const input = healthy();
    const audit = auditNetwork({ ...input, bindings: [holder('vm-2')] });
    assert.deepEqual(
      audit.orphans,
      [{ kind: 'Address', address: addressOf('prod', '10.0.0.5', 'vm-1') }],
      "vm-1's address",
    );
  });

  test('a binding of the same name but another uid does not hold the address', () => {
    const input = healthy();
    const audit = auditNetwork({
      ...input,
      bindings: [{ name: 'vm-1', uid: 'uid-vm-1-again' }, holder('vm-2')],
    });
    assert.deepEqual(
      audit.orphans.map((orphan) => (orphan.kind === 'Address' ? orphan.address.address : orphan.entry.cidr)),
      ['10.0.0.5'],
      'the address belongs to the vm-1 that was deleted',
    );
  });
});

describe('auditNetwork, properties', () => {
  /** Disjoint blocks of 10.0.0.0/16: distinct /24s, each shortened to a random length within it. */
  const layout = fc
    .uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 })
    .chain((thirds) =>
      fc.tuple(
        fc.constant(thirds),
        fc.array(fc.integer({ min: 24, max: 30 }), { minLength: thirds.length, maxLength: thirds.length }),
        fc.array(fc.boolean(), { minLength: thirds.length, maxLength: thirds.length }),
      ),
    )
    .map(([thirds, lengths, withSubnet]): AuditInput => {
      const names = thirds.map((third) => `claim-${third}`);
      const cidrs = thirds.map((third, i) => `10.0.${third}.0/${lengths[i]}`);
      return {
        network: 'prop',
        blocks: ['10.0.0.0/16'],
        entries: names.map((name, i) => claimEntry(name, cidrs[i]!)),
        subnets: names.flatMap((name, i) =>
          withSubnet[i] ? [subnetOf(name, cidrs[i]!, [`uid-${name}`])] : [],
        ),
        claims: names.map(holder),
        addresses: thirds.flatMap((third, i) =>
          withSubnet[i] ? [addressOf('prop', `10.0.${third}.2`, `vm-${third}`)] : [],
        ),
        bindings: thirds.map((third) => holder(`vm-${third}`)),
      };
    });

  test('disjoint allocations with live holders give no findings', () => {
    fc.assert(
      fc.property(layout, (input) => {
        assert.deepEqual(
          auditNetwork(input),
          { duplicates: [], outOfRange: [], orphans: [] },
          `no findings for ${input.entries.map((e) => e.cidr).join(', ')}`,
        );
      }),
    );
  });

  test('the orphans are exactly the entries whose claims and Subnets were removed', () => {
    fc.assert(
      fc.property(
        layout.chain((input) =>
          fc.tuple(fc.constant(input), fc.subarray(input.claims.map((claim) => claim.uid))),
        ),
        ([input, removed]) => {
          const gone = new Set(removed);
          const audit = auditNetwork({
            ...input,
            claims: input.claims.filter((claim) => !gone.has(claim.uid)),
            subnets: input.subnets.filter((subnet) => !subnet.claimUids.some((uid) => gone.has(uid))),
            addresses: [],
          });
          const orphaned = audit.orphans.map((orphan) => (orphan.kind === 'Entry' ? orphan.entry.uid : ''));
          assert.deepEqual(new Set(orphaned), gone, 'orphans are the removed holders');
          assert.equal(orphaned.length, gone.size, 'each once');
        },
      ),
    );
  });

  test('a block given inside another holder’s block is exactly one duplicate naming both', () => {
    fc.assert(
      fc.property(
        layout.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.integer({ min: 0, max: input.entries.length - 1 }),
            fc.integer({ min: 0, max: 2 }),
          ),
        ),
        ([input, at, deeper]) => {
          const victim = input.entries[at]!;
          const [address, length] = victim.cidr.split('/');
          const cidr = `${address}/${Math.min(32, Number(length) + deeper)}`;
          const audit = auditNetwork({
            ...input,
            entries: [...input.entries, claimEntry('intruder', cidr)],
            claims: [...input.claims, holder('intruder')],
          });
          assert.equal(audit.duplicates.length, 1, `one duplicate for ${cidr} inside ${victim.cidr}`);
          assert.equal(audit.duplicates[0]?.kind, 'OverlappingEntries', 'an overlap of entries');
          assert.ok(
            audit.duplicates[0]?.message.includes(victim.name) &&
              audit.duplicates[0].message.includes('intruder'),
            'names both holders',
          );
        },
      ),
    );
  });

  test('the findings do not depend on the order of the input', () => {
    const messy = layout.chain((input) =>
      fc.tuple(
        fc.constant({
          ...input,
          entries: [
            ...input.entries,
            claimEntry('x', '10.0.0.0/8'),
            claimEntry('ghost', '10.0.0.0/24', 'uid-gone'),
          ],
          subnets: [...input.subnets, subnetOf('stray', '10.0.0.0/25')],
          addresses: [...input.addresses, addressOf('prop', '10.9.9.9', 'nobody')],
        }),
        fc.nat(),
      ),
    );
    fc.assert(
      fc.property(messy, ([input, seed]) => {
        const shuffle = <T>(items: readonly T[]): T[] => {
          const copy = [...items];
          let state = seed;
          for (let i = copy.length - 1; i > 0; i--) {
            state = (state * 1103515245 + 12345) % 2 ** 31;
            const j = state % (i + 1);
            [copy[i], copy[j]] = [copy[j]!, copy[i]!];
          }
          return copy;
        };
        const shuffled: AuditInput = {
          ...input,
          entries: shuffle(input.entries),
          subnets: shuffle(input.subnets),
          claims: shuffle(input.claims),
          addresses: shuffle(input.addresses),
          bindings: shuffle(input.bindings),
        };
        assert.deepEqual(auditNetwork(shuffled), auditNetwork(input), 'same findings in any order');
      }),
    );
  });
});
