// Proves the host-address allocator: reserved addresses, Dynamic and Static binding, counts, edges, snapshots, model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Address, formatAddress, ipv4, ipv6, mustParseAddress, parseAddress } from './address.ts';
import {
  createHostPool,
  type HostAllocation,
  type HostPool,
  type HostReleaseResult,
  type HostStaticResult,
  restoreHostPool,
} from './host-pool.ts';
import { formatPrefix, mustParsePrefix, type Prefix } from './prefix.ts';

const p = (text: string): Prefix => mustParsePrefix(text);

const a = (text: string): Address => mustParseAddress(text);

const hostsOf = (cidr: string): HostPool => {
  const { pool, conflicts } = createHostPool(p(cidr));
  assert.deepEqual(conflicts, []);
  return pool;
};

const next = (pool: HostPool, owner = 'vm'): string => {
  const result = pool.allocate(owner);
  return result.ok ? formatAddress(result.address) : result.reason;
};

const bound = (pool: HostPool): string[] =>
  pool.allocations().map(({ address, owner }) => `${formatAddress(address)} ${owner}`);

const refused = (result: HostStaticResult | HostReleaseResult) => {
  assert.ok(!result.ok, 'expected a refusal');
  return result;
};

test('a fresh /24 reports 4 allocated and 252 available; one binding makes it 5 and 251', () => {
  const pool = hostsOf('192.168.1.0/24');
  assert.deepEqual(pool.gateway, a('192.168.1.1'));
  assert.deepEqual(pool.reserved.map(formatAddress), [
    '192.168.1.0',
    '192.168.1.1',
    '192.168.1.254',
    '192.168.1.255',
  ]);
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 4n, available: 252n });
  assert.equal(next(pool, 'vm-alpha'), '192.168.1.2');
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 5n, available: 251n });
  assert.deepEqual(pool.allocations(), [{ address: a('192.168.1.2'), owner: 'vm-alpha' }]);
  assert.equal(pool.ownerOf(a('192.168.1.2')), 'vm-alpha');
  assert.equal(pool.ownerOf(a('192.168.1.3')), undefined);
});

test('Static refuses addresses in use, reserved or out of range, and says why', () => {
  const pool = hostsOf('192.168.1.0/24');
  assert.equal(next(pool, 'vm-alpha'), '192.168.1.2');
  const inUse = refused(pool.allocateStatic(a('192.168.1.2'), 'vm-beta'));
  assert.equal(inUse.reason, 'AddressInUse');
  assert.equal(inUse.holder, 'vm-alpha');
  assert.match(inUse.message, /192\.168\.1\.2/);
  assert.match(inUse.message, /vm-alpha/);
  for (const text of ['192.168.1.0', '192.168.1.1', '192.168.1.254', '192.168.1.255']) {
    const result = refused(pool.allocateStatic(a(text), 'vm-beta'));
    assert.equal(result.reason, 'AddressReserved', text);
    assert.ok(result.message.includes(text), result.message);
    assert.ok(result.message.includes('192.168.1.0/24'), result.message);
  }
  for (const text of ['192.168.2.1', '192.168.0.255', '10.0.0.1', 'fd00::1', '::ffff:192.168.1.5']) {
    const parsed = parseAddress(text, { allowIPv4Mapped: true });
    assert.ok(parsed.ok);
    const result = refused(pool.allocateStatic(parsed.value, 'vm-beta'));
    assert.equal(result.reason, 'AddressOutOfRange', text);
    assert.ok(result.message.includes(text), result.message);
    assert.ok(result.message.includes('192.168.1.0/24'), result.message);
  }
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 5n, available: 251n });
  assert.deepEqual(pool.allocateStatic(a('192.168.1.2'), 'vm-alpha'), {
    ok: true,
    address: a('192.168.1.2'),
  });
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 5n, available: 251n });
  assert.deepEqual(pool.allocateStatic(a('192.168.1.200'), 'vm-beta'), {
    ok: true,
    address: a('192.168.1.200'),
  });
  assert.equal(pool.ownerOf(a('192.168.1.200')), 'vm-beta');
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 6n, available: 250n });
});

test('Dynamic takes the lowest free address, after releases and around static bindings', () => {
  const pool = hostsOf('10.0.0.0/24');
  for (let i = 2; i <= 11; i++) assert.equal(next(pool, `vm-${i}`), `10.0.0.${i}`);
  assert.deepEqual(pool.release(a('10.0.0.10'), 'vm-10'), { ok: true });
  assert.equal(next(pool), '10.0.0.10');
  assert.deepEqual(pool.release(a('10.0.0.5')), { ok: true });
  assert.deepEqual(pool.release(a('10.0.0.3')), { ok: true });
  assert.equal(next(pool), '10.0.0.3');
  assert.equal(next(pool), '10.0.0.5');
  assert.equal(next(pool), '10.0.0.12');
  assert.deepEqual(pool.allocateStatic(a('10.0.0.13'), 'pinned'), { ok: true, address: a('10.0.0.13') });
  assert.equal(next(pool), '10.0.0.14');
  assert.deepEqual(pool.release(a('10.0.0.4')), { ok: true });
  assert.deepEqual(pool.allocateStatic(a('10.0.0.4'), 'pinned'), { ok: true, address: a('10.0.0.4') });
  assert.equal(next(pool), '10.0.0.15');
  assert.deepEqual(pool.release(a('10.0.0.7')), { ok: true });
  assert.deepEqual(pool.release(a('10.0.0.6')), { ok: true });
  assert.equal(next(pool), '10.0.0.6');
  assert.equal(next(pool), '10.0.0.7');
  assert.deepEqual(pool.allocateStatic(a('10.0.0.50'), 'pinned'), { ok: true, address: a('10.0.0.50') });
  assert.deepEqual(pool.release(a('10.0.0.50')), { ok: true });
  for (let i = 16; i <= 60; i++) assert.equal(next(pool), `10.0.0.${i}`);
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 63n, available: 193n });
});

test('Dynamic stays lowest-first after many releases and re-bindings of one address', () => {
  const pool = hostsOf('10.0.0.0/24');
  assert.equal(next(pool, 'a'), '10.0.0.2');
  assert.equal(next(pool, 'b'), '10.0.0.3');
  assert.equal(next(pool, 'c'), '10.0.0.4');
  for (let i = 0; i < 200; i++) {
    assert.deepEqual(pool.release(a('10.0.0.2'), 'a'), { ok: true });
    assert.deepEqual(pool.allocateStatic(a('10.0.0.2'), 'a'), { ok: true, address: a('10.0.0.2') });
  }
  assert.deepEqual(pool.release(a('10.0.0.4'), 'c'), { ok: true });
  assert.equal(next(pool), '10.0.0.4');
  assert.equal(next(pool), '10.0.0.5');
  assert.deepEqual(pool.release(a('10.0.0.3')), { ok: true });
  assert.deepEqual(pool.release(a('10.0.0.2')), { ok: true });
  assert.equal(next(pool), '10.0.0.2');
  assert.equal(next(pool), '10.0.0.3');
  assert.equal(next(pool), '10.0.0.6');
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 9n, available: 247n });
});

test('release refuses what is not bound and what belongs to another owner', () => {
  const pool = hostsOf('10.0.0.0/24');
  assert.equal(next(pool, 'vm-alpha'), '10.0.0.2');
  for (const text of ['10.0.0.50', '10.0.0.1', '10.0.0.255', '10.0.1.2', 'fd00::2']) {
    const result = refused(pool.release(a(text)));
    assert.equal(result.reason, 'NotAllocated', text);
    assert.ok(result.message.includes(text), result.message);
  }
  const stranger = refused(pool.release(a('10.0.0.2'), 'vm-beta'));
  assert.equal(stranger.reason, 'NotOwner');
  assert.match(stranger.message, /vm-alpha/);
  assert.match(stranger.message, /vm-beta/);
  assert.equal(pool.ownerOf(a('10.0.0.2')), 'vm-alpha');
  assert.deepEqual(pool.release(a('10.0.0.2'), 'vm-alpha'), { ok: true });
  assert.equal(refused(pool.release(a('10.0.0.2'))).reason, 'NotAllocated');
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 4n, available: 252n });
});

test('a /29 has four usable addresses, then SubnetExhausted', () => {
  const pool = hostsOf('10.0.0.0/29');
  assert.deepEqual(pool.reserved.map(formatAddress), ['10.0.0.0', '10.0.0.1', '10.0.0.6', '10.0.0.7']);
  assert.deepEqual(pool.stats(), { size: 8n, reserved: 4, allocated: 4n, available: 4n });
  for (const expected of ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']) assert.equal(next(pool), expected);
  const full = pool.allocate('late');
  assert.ok(!full.ok);
  assert.equal(full.reason, 'SubnetExhausted');
  assert.match(full.message, /10\.0\.0\.0\/29/);
  assert.deepEqual(pool.stats(), { size: 8n, reserved: 4, allocated: 8n, available: 0n });
  assert.equal(refused(pool.allocateStatic(a('10.0.0.6'), 'late')).reason, 'AddressReserved');
  assert.deepEqual(pool.release(a('10.0.0.4')), { ok: true });
  assert.equal(next(pool), '10.0.0.4');
  assert.equal(next(pool), 'SubnetExhausted');
});

const edges: { cidr: string; gateway?: string; reserved: string[]; size: bigint; first: string }[] = [
  {
    cidr: '10.0.0.0/28',
    gateway: '10.0.0.1',
    reserved: ['10.0.0.0', '10.0.0.1', '10.0.0.14', '10.0.0.15'],
    size: 16n,
    first: '10.0.0.2',
  },
  {
    cidr: '10.0.0.4/30',
    gateway: '10.0.0.5',
    reserved: ['10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7'],
    size: 4n,
    first: 'SubnetExhausted',
  },
  { cidr: '10.0.0.0/31', reserved: ['10.0.0.0', '10.0.0.1'], size: 2n, first: 'SubnetExhausted' },
  { cidr: '10.0.0.7/32', reserved: ['10.0.0.7'], size: 1n, first: 'SubnetExhausted' },
  {
    cidr: '0.0.0.0/0',
    gateway: '0.0.0.1',
    reserved: ['0.0.0.0', '0.0.0.1', '255.255.255.254', '255.255.255.255'],
    size: 1n << 32n,
    first: '0.0.0.2',
  },
  {
    cidr: '255.255.255.0/24',
    gateway: '255.255.255.1',
    reserved: ['255.255.255.0', '255.255.255.1', '255.255.255.254', '255.255.255.255'],
    size: 256n,
    first: '255.255.255.2',
  },
  {
    cidr: '255.255.255.252/30',
    gateway: '255.255.255.253',
    reserved: ['255.255.255.252', '255.255.255.253', '255.255.255.254', '255.255.255.255'],
    size: 4n,
    first: 'SubnetExhausted',
  },
  {
    cidr: '255.255.255.254/31',
    reserved: ['255.255.255.254', '255.255.255.255'],
    size: 2n,
    first: 'SubnetExhausted',
  },
  { cidr: '255.255.255.255/32', reserved: ['255.255.255.255'], size: 1n, first: 'SubnetExhausted' },
  {
    cidr: 'fd00:1::/64',
    gateway: 'fd00:1::1',
    reserved: ['fd00:1::', 'fd00:1::1'],
    size: 1n << 64n,
    first: 'fd00:1::2',
  },
  { cidr: 'fd00::4/126', gateway: 'fd00::5', reserved: ['fd00::4', 'fd00::5'], size: 4n, first: 'fd00::6' },
  {
    cidr: 'fd00::/127',
    gateway: 'fd00::1',
    reserved: ['fd00::', 'fd00::1'],
    size: 2n,
    first: 'SubnetExhausted',
  },
  { cidr: 'fd00::5/128', reserved: ['fd00::5'], size: 1n, first: 'SubnetExhausted' },
  { cidr: '::/0', gateway: '::1', reserved: ['::', '::1'], size: 1n << 128n, first: '::2' },
  {
    cidr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120',
    gateway: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff01',
    reserved: ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff01'],
    size: 256n,
    first: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff02',
  },
  {
    cidr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127',
    gateway: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    reserved: ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    size: 2n,
    first: 'SubnetExhausted',
  },
  {
    cidr: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
    reserved: ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    size: 1n,
    first: 'SubnetExhausted',
  },
];

for (const edge of edges) {
  test(`edge ${edge.cidr}: gateway, reserved addresses, counts and the first Dynamic`, () => {
    const pool = hostsOf(edge.cidr);
    assert.deepEqual(pool.gateway, edge.gateway === undefined ? undefined : a(edge.gateway));
    assert.deepEqual(pool.reserved.map(formatAddress), edge.reserved);
    const reserved = BigInt(edge.reserved.length);
    assert.deepEqual(pool.stats(), {
      size: edge.size,
      reserved: edge.reserved.length,
      allocated: reserved,
      available: edge.size - reserved,
    });
    for (const text of edge.reserved) {
      assert.equal(refused(pool.allocateStatic(a(text), 'x')).reason, 'AddressReserved', text);
      assert.equal(refused(pool.release(a(text))).reason, 'NotAllocated', text);
    }
    assert.equal(next(pool, 'first'), edge.first);
    const taken = edge.first === 'SubnetExhausted' ? 0n : 1n;
    assert.deepEqual(pool.stats(), {
      size: edge.size,
      reserved: edge.reserved.length,
      allocated: reserved + taken,
      available: edge.size - reserved - taken,
    });
  });
}

test('/31 and /32 refuse their neighbours as out of range', () => {
  const pair = hostsOf('10.0.0.2/31');
  for (const text of ['10.0.0.1', '10.0.0.4']) {
    assert.equal(refused(pair.allocateStatic(a(text), 'x')).reason, 'AddressOutOfRange', text);
  }
  const single = hostsOf('10.0.0.2/32');
  for (const text of ['10.0.0.1', '10.0.0.3']) {
    assert.equal(refused(single.allocateStatic(a(text), 'x')).reason, 'AddressOutOfRange', text);
  }
  const six = hostsOf('fd00::2/127');
  assert.equal(refused(six.allocateStatic(a('fd00::4'), 'x')).reason, 'AddressOutOfRange');
});

test('the top of the IPv4 and IPv6 spaces can be bound', () => {
  const v4 = hostsOf('255.255.255.0/24');
  assert.deepEqual(v4.allocateStatic(a('255.255.255.253'), 'top'), {
    ok: true,
    address: a('255.255.255.253'),
  });
  for (let i = 2; i <= 252; i++) assert.equal(next(v4), `255.255.255.${i}`);
  assert.equal(next(v4), 'SubnetExhausted');
  const v6 = hostsOf('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120');
  const last = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
  assert.deepEqual(v6.allocateStatic(a(last), 'top'), { ok: true, address: a(last) });
  for (let i = 2; i <= 254; i++) {
    assert.equal(next(v6), `ffff:ffff:ffff:ffff:ffff:ffff:ffff:${(0xff00 + i).toString(16)}`);
  }
  assert.equal(next(v6), 'SubnetExhausted');
  assert.deepEqual(v6.stats(), { size: 256n, reserved: 2, allocated: 256n, available: 0n });
  const everything = hostsOf('::/0');
  assert.deepEqual(everything.allocateStatic(a(last), 'top'), { ok: true, address: a(last) });
  assert.equal(everything.ownerOf(a(last)), 'top');
  assert.deepEqual(bound(everything), [`${last} top`]);
  assert.deepEqual(everything.stats(), {
    size: 1n << 128n,
    reserved: 2,
    allocated: 3n,
    available: (1n << 128n) - 3n,
  });
  assert.deepEqual(everything.release(a(last), 'top'), { ok: true });
  assert.equal(everything.ownerOf(a(last)), undefined);
});

test('Static far into an IPv6 /64 (offset beyond 2^53) binds, lists and releases', () => {
  const pool = hostsOf('fd00::/64');
  const far = 'fd00::ffff:ffff:ffff:fff0';
  assert.deepEqual(pool.allocateStatic(a(far), 'far'), { ok: true, address: a(far) });
  assert.equal(pool.ownerOf(a(far)), 'far');
  assert.equal(next(pool, 'near'), 'fd00::2');
  assert.deepEqual(bound(pool), ['fd00::2 near', `${far} far`]);
  assert.deepEqual(pool.stats(), {
    size: 1n << 64n,
    reserved: 2,
    allocated: 4n,
    available: (1n << 64n) - 4n,
  });
  const taken = refused(pool.allocateStatic(a(far), 'other'));
  assert.equal(taken.reason, 'AddressInUse');
  assert.equal(taken.holder, 'far');
  assert.equal(refused(pool.release(a(far), 'other')).reason, 'NotOwner');
  assert.deepEqual(pool.release(a(far), 'far'), { ok: true });
  assert.equal(refused(pool.release(a(far))).reason, 'NotAllocated');
  assert.deepEqual(pool.stats(), {
    size: 1n << 64n,
    reserved: 2,
    allocated: 3n,
    available: (1n << 64n) - 3n,
  });
  const below = 'fd00::1f:ffff:ffff:ffff';
  const at = 'fd00::20:0:0:0';
  const end = 'fd00::ffff:ffff:ffff:ffff';
  for (const text of [end, at, below])
    assert.deepEqual(pool.allocateStatic(a(text), text), { ok: true, address: a(text) });
  assert.deepEqual(bound(pool), ['fd00::2 near', `${below} ${below}`, `${at} ${at}`, `${end} ${end}`]);
  assert.equal(refused(pool.allocateStatic(a('fd00:0:0:1::'), 'x')).reason, 'AddressOutOfRange');
  for (const text of [below, at, end]) assert.deepEqual(pool.release(a(text), text), { ok: true });
  assert.equal(next(pool), 'fd00::3');
});

test('a snapshot is plain data and restores a pool that binds the same way', () => {
  const pool = hostsOf('10.0.0.0/24');
  for (let i = 2; i <= 6; i++) assert.equal(next(pool, `vm-${i}`), `10.0.0.${i}`);
  assert.deepEqual(pool.allocateStatic(a('10.0.0.100'), 'db'), { ok: true, address: a('10.0.0.100') });
  assert.deepEqual(pool.release(a('10.0.0.3'), 'vm-3'), { ok: true });
  const snapshot = pool.snapshot();
  assert.deepEqual(snapshot, {
    subnet: '10.0.0.0/24',
    allocations: [
      { address: '10.0.0.2', owner: 'vm-2' },
      { address: '10.0.0.4', owner: 'vm-4' },
      { address: '10.0.0.5', owner: 'vm-5' },
      { address: '10.0.0.6', owner: 'vm-6' },
      { address: '10.0.0.100', owner: 'db' },
    ],
  });
  const restored = restoreHostPool(JSON.parse(JSON.stringify(snapshot)));
  assert.ok(restored.ok);
  assert.deepEqual(restored.conflicts, []);
  const copy = restored.pool;
  assert.deepEqual(copy.allocations(), pool.allocations());
  assert.deepEqual(copy.stats(), pool.stats());
  assert.deepEqual(copy.snapshot(), snapshot);
  assert.equal(next(pool), '10.0.0.3');
  assert.equal(next(copy), '10.0.0.3');
  assert.equal(next(pool), '10.0.0.7');
  assert.equal(next(copy), '10.0.0.7');
  for (let i = 0; i < 100; i++) assert.equal(next(copy), next(pool));
  assert.deepEqual(copy.allocations(), pool.allocations());
});

test('an IPv6 snapshot with far addresses restores', () => {
  const pool = hostsOf('fd00::/64');
  assert.equal(next(pool, 'a'), 'fd00::2');
  assert.deepEqual(pool.allocateStatic(a('fd00::ffff:ffff:ffff:fff0'), 'b').ok, true);
  const restored = restoreHostPool(JSON.parse(JSON.stringify(pool.snapshot())));
  assert.ok(restored.ok);
  assert.deepEqual(restored.conflicts, []);
  assert.deepEqual(restored.pool.allocations(), pool.allocations());
  assert.equal(next(restored.pool), 'fd00::3');
});

test('a snapshot restores for every subnet the pool accepts, IPv4-mapped IPv6 included', () => {
  const subnet: Prefix = { family: 6, addr: 0xffff0a000000n, bits: 120 };
  const { pool } = createHostPool(subnet);
  assert.equal(next(pool, 'a'), '::ffff:10.0.0.2');
  const snapshot = JSON.parse(JSON.stringify(pool.snapshot()));
  assert.deepEqual(snapshot, {
    subnet: '::ffff:10.0.0.0/120',
    allocations: [{ address: '::ffff:10.0.0.2', owner: 'a' }],
  });
  const restored = restoreHostPool(snapshot);
  assert.ok(restored.ok, restored.ok ? '' : restored.message);
  assert.deepEqual(restored.pool.allocations(), pool.allocations());
});

test('restore refuses a snapshot holding invalid text', () => {
  const subnet = restoreHostPool({ subnet: '10.0.0.1/24', allocations: [] });
  assert.ok(!subnet.ok);
  assert.match(subnet.message, /10\.0\.0\.1\/24/);
  const address = restoreHostPool({
    subnet: '10.0.0.0/24',
    allocations: [{ address: '10.0.0.300', owner: 'x' }],
  });
  assert.ok(!address.ok);
  assert.match(address.message, /10\.0\.0\.300/);
});

test('createHostPool reports duplicate, reserved and out-of-range bindings as conflicts', () => {
  const given: HostAllocation[] = [
    { address: a('10.0.0.5'), owner: 'a' },
    { address: a('10.0.0.5'), owner: 'b' },
    { address: a('10.0.0.1'), owner: 'c' },
    { address: a('10.0.0.255'), owner: 'd' },
    { address: a('10.0.1.5'), owner: 'e' },
    { address: a('fd00::5'), owner: 'f' },
    { address: a('10.0.0.9'), owner: 'g' },
  ];
  const { pool, conflicts } = createHostPool(p('10.0.0.0/24'), given);
  assert.deepEqual(bound(pool), ['10.0.0.5 a', '10.0.0.9 g']);
  assert.deepEqual(
    conflicts.map((c) => `${formatAddress(c.allocation.address)} ${c.allocation.owner} ${c.reason}`),
    [
      '10.0.0.5 b AddressInUse',
      '10.0.0.1 c AddressReserved',
      '10.0.0.255 d AddressReserved',
      '10.0.1.5 e AddressOutOfRange',
      'fd00::5 f AddressOutOfRange',
    ],
  );
  assert.match(conflicts[0]!.message, /\ba\b/);
  assert.deepEqual(pool.stats(), { size: 256n, reserved: 4, allocated: 6n, available: 250n });
  assert.equal(next(pool), '10.0.0.2');
});

interface Variant {
  readonly name: string;
  readonly subnet: Prefix;
  readonly size: bigint;
  readonly reserved: readonly bigint[];
  readonly offsets: fc.Arbitrary<bigint>;
  address(offset: bigint): Address;
  foreign(offset: bigint): Address;
}

const v4Subnet = 0x0a010240;
const topSubnet = (1n << 128n) - 64n;
const far = 1n << 53n;

const variants: Variant[] = [
  {
    name: 'IPv4 10.1.2.64/26',
    subnet: p('10.1.2.64/26'),
    size: 64n,
    reserved: [0n, 1n, 62n, 63n],
    offsets: fc.integer({ min: -3, max: 66 }).map(BigInt),
    address: (offset) => ipv4(v4Subnet + Number(offset)),
    foreign: (offset) => ipv6((0xfd00n << 112n) + (offset < 0n ? 0n : offset)),
  },
  {
    name: 'IPv6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffc0/122',
    subnet: p('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffc0/122'),
    size: 64n,
    reserved: [0n, 1n],
    offsets: fc.integer({ min: -3, max: 63 }).map(BigInt),
    address: (offset) => ipv6(topSubnet + offset),
    foreign: (offset) => ipv4(v4Subnet + Number(offset)),
  },
  {
    name: 'IPv6 fd00::/64 with far addresses',
    subnet: p('fd00::/64'),
    size: 1n << 64n,
    reserved: [0n, 1n],
    offsets: fc.oneof(
      fc.integer({ min: -2, max: 24 }).map(BigInt),
      fc.constantFrom(far - 2n, far - 1n, far, far + 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 63n) + 7n),
    ),
    address: (offset) => ipv6((0xfd00n << 112n) + offset),
    foreign: (offset) => ipv4(v4Subnet + Number(offset % 64n)),
  },
];

type HostOp =
  | { t: 'dynamic'; owner: string; count: number }
  | { t: 'static'; offset: bigint; owner: string; foreign: boolean }
  | { t: 'releaseHeld'; index: number; mode: 'owner' | 'stranger' | 'anyone' }
  | { t: 'release'; offset: bigint; owner: string | undefined }
  | { t: 'churn'; index: number; count: number };

const hostOwners = ['a', 'b', 'c'];

const hostOpArb = (v: Variant): fc.Arbitrary<HostOp> => {
  const owner = fc.constantFrom(...hostOwners);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant('dynamic' as const),
        owner,
        count: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 2, max: 40 })),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant('static' as const),
        offset: v.offsets,
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
        t: fc.constant('release' as const),
        offset: v.offsets,
        owner: fc.option(owner, { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('churn' as const),
        index: fc.nat(),
        count: fc.integer({ min: 1, max: 80 }),
      }),
    },
  );
};

class HostModel {
  readonly held = new Map<bigint, string>();
  readonly v: Variant;

  constructor(v: Variant) {
    this.v = v;
  }

  dynamic(owner: string): bigint | undefined {
    for (let offset = 0n; offset < this.v.size; offset++) {
      if (this.v.reserved.includes(offset) || this.held.has(offset)) continue;
      this.held.set(offset, owner);
      return offset;
    }
    return undefined;
  }

  static(offset: bigint, owner: string): { ok: true } | { ok: false; reason: string; holder?: string } {
    if (offset < 0n || offset >= this.v.size) return { ok: false, reason: 'AddressOutOfRange' };
    if (this.v.reserved.includes(offset)) return { ok: false, reason: 'AddressReserved' };
    const holder = this.held.get(offset);
    if (holder !== undefined && holder !== owner) return { ok: false, reason: 'AddressInUse', holder };
    this.held.set(offset, owner);
    return { ok: true };
  }

  release(offset: bigint, owner: string | undefined): { ok: true } | { ok: false; reason: string } {
    const holder = this.held.get(offset);
    if (holder === undefined) return { ok: false, reason: 'NotAllocated' };
    if (owner !== undefined && owner !== holder) return { ok: false, reason: 'NotOwner' };
    this.held.delete(offset);
    return { ok: true };
  }

  sorted(): string[] {
    return [...this.held]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([offset, owner]) => `${formatAddress(this.v.address(offset))} ${owner}`);
  }

  stats() {
    const allocated = BigInt(this.v.reserved.length + this.held.size);
    return {
      size: this.v.size,
      reserved: this.v.reserved.length,
      allocated,
      available: this.v.size - allocated,
    };
  }
}

const summary = (result: HostStaticResult | HostReleaseResult) =>
  result.ok
    ? { ok: true }
    : 'holder' in result && result.holder !== undefined
      ? { ok: false, reason: result.reason, holder: result.holder }
      : { ok: false, reason: result.reason };

const runHosts = (v: Variant, ops: readonly HostOp[]) => {
  const { pool } = createHostPool(v.subnet);
  const model = new HostModel(v);
  const check = () => {
    const listed = bound(pool);
    assert.deepEqual(listed, model.sorted());
    assert.equal(
      new Set(pool.allocations().map(({ address }) => formatAddress(address))).size,
      listed.length,
    );
    assert.deepEqual(pool.stats(), model.stats());
  };
  const staticBind = (offset: bigint, owner: string) => {
    const result = pool.allocateStatic(v.address(offset), owner);
    assert.deepEqual(
      summary(result),
      model.static(offset, owner),
      `static ${formatAddress(v.address(offset))}`,
    );
  };
  const release = (offset: bigint, owner: string | undefined) => {
    const result = pool.release(v.address(offset), owner);
    assert.deepEqual(
      summary(result),
      model.release(offset, owner),
      `release ${formatAddress(v.address(offset))}`,
    );
  };
  const pick = (index: number) => [...model.held.keys()][index % model.held.size]!;
  for (const op of ops) {
    if (op.t === 'dynamic') {
      for (let i = 0; i < op.count; i++) {
        const expected = model.dynamic(op.owner);
        const result = pool.allocate(op.owner);
        if (expected === undefined) {
          assert.ok(!result.ok);
          assert.equal(result.reason, 'SubnetExhausted');
          assert.ok(result.message.includes(formatPrefix(v.subnet)), result.message);
        } else {
          assert.ok(result.ok, 'expected an address');
          assert.equal(formatAddress(result.address), formatAddress(v.address(expected)));
        }
      }
    } else if (op.t === 'static') {
      if (op.foreign) {
        assert.deepEqual(summary(pool.allocateStatic(v.foreign(op.offset), op.owner)), {
          ok: false,
          reason: 'AddressOutOfRange',
        });
      } else {
        staticBind(op.offset, op.owner);
      }
    } else if (op.t === 'release') {
      release(op.offset, op.owner);
    } else if (model.held.size > 0) {
      const offset = pick(op.index);
      const holder = model.held.get(offset)!;
      if (op.t === 'releaseHeld') {
        release(offset, op.mode === 'owner' ? holder : op.mode === 'stranger' ? `not-${holder}` : undefined);
      } else {
        for (let i = 0; i < op.count; i++) {
          release(offset, model.held.get(offset));
          staticBind(offset, hostOwners[i % hostOwners.length]!);
        }
        release(offset, undefined);
      }
    }
    check();
  }
  return { pool, model };
};

for (const v of variants) {
  test(`${v.name}: Dynamic, Static and release agree with the brute-force model`, () => {
    fc.assert(
      fc.property(fc.array(hostOpArb(v), { minLength: 5, maxLength: 120, size: 'max' }), (ops) => {
        const { pool } = runHosts(v, ops);
        const restored = restoreHostPool(JSON.parse(JSON.stringify(pool.snapshot())));
        assert.ok(restored.ok);
        assert.deepEqual(restored.conflicts, []);
        assert.deepEqual(restored.pool.allocations(), pool.allocations());
        assert.deepEqual(restored.pool.stats(), pool.stats());
        for (let i = 0; i < 70; i++) {
          const original = pool.allocate('drain');
          assert.deepEqual(restored.pool.allocate('drain'), original);
          if (!original.ok) break;
        }
      }),
      { numRuns: 300 },
    );
  });
}
