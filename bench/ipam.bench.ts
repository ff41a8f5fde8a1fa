import {
  createHostPool,
  createPrefixPool,
  formatAddress,
  formatPrefix,
  ipv4,
  mustParsePrefix,
  type Prefix,
  type PrefixPool,
} from '../src/ipam/index.ts';
import { type Bench, heapUsed, medianOf, random, round } from './bench.ts';

const cidr = (text: string): Prefix => mustParsePrefix(text);

const pool = (...blocks: string[]): PrefixPool => {
  const created = createPrefixPool(blocks.map(cidr));
  if (!created.ok) throw new Error(created.message);
  return created.pool;
};

const must = <T extends { ok: boolean }>(result: T): T & { ok: true } => {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as T & { ok: true };
};

/** Every /24 of 10.0.0.0/8, with its CIDR text and owner recorded as the operator would. */
function fill24(): Record<string, number> {
  const p = pool('10.0.0.0/8');
  const window = 1024;
  const count = 65_536;
  const marks: number[] = [];
  const records = new Map<string, string>();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (i % window === 0) marks.push(performance.now());
    const owner = `claim-${i}`;
    const got = must(p.allocate(24, owner));
    records.set(formatPrefix(got.prefix), owner);
  }
  const end = performance.now();
  marks.push(end);
  const first = marks[1]! - marks[0]!;
  const last = marks[marks.length - 1]! - marks[marks.length - 2]!;
  if (records.size !== count || p.stats().available !== 0n) throw new Error('fill24 did not fill the pool');
  return { allocsPerSec: count / ((end - start) / 1000), costRatioLastToFirst: last / first };
}

/** The ceiling for the same output: carve /24s in sequence, format and record them, with no allocator at all. */
function rawFill24(): Record<string, number> {
  const records = new Map<string, string>();
  const count = 65_536;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    records.set(formatPrefix({ family: 4, addr: 0x0a000000 + i * 256, bits: 24 }), `claim-${i}`);
  }
  return { allocsPerSec: count / ((performance.now() - start) / 1000) };
}

function fragmented(): Record<string, number> {
  const p = pool('10.0.0.0/8');
  const start = performance.now();
  const held: Prefix[] = [];
  for (let i = 0; i < 4096; i++) held.push(must(p.allocate(24, `claim-${i}`)).prefix);
  for (let i = 0; i < 4096; i += 2) must(p.release(held[i]!));
  const before23 = performance.now();
  for (let i = 0; i < 512; i++) must(p.allocate(23, `wide-${i}`));
  const end = performance.now();
  return {
    opsPerSec: (4096 + 2048 + 512) / ((end - start) / 1000),
    alloc23Us: ((end - before23) * 1000) / 512,
  };
}

/** NetBox-style: every allocation recomputes the free set as parent minus (sorted) children, first fit. */
function netboxStyleFragmented(): Record<string, number> {
  const parentStart = 0x0a000000;
  const parentEnd = parentStart + 2 ** 24;
  const children: [number, number][] = [];
  const allocate = (bits: number): [number, number] => {
    const size = 2 ** (32 - bits);
    const sorted = [...children].sort((a, b) => a[0] - b[0]);
    let cursor = parentStart;
    for (const [from, to] of [...sorted, [parentEnd, parentEnd] as [number, number]]) {
      const aligned = Math.ceil(cursor / size) * size;
      if (aligned + size <= from) {
        const block: [number, number] = [aligned, aligned + size];
        children.push(block);
        return block;
      }
      cursor = Math.max(cursor, to);
    }
    throw new Error('netbox-style pool full');
  };
  const start = performance.now();
  const held: [number, number][] = [];
  for (let i = 0; i < 4096; i++) held.push(allocate(24));
  for (let i = 0; i < 4096; i += 2) children.splice(children.indexOf(held[i]!), 1);
  for (let i = 0; i < 512; i++) allocate(23);
  return { opsPerSec: (4096 + 2048 + 512) / ((performance.now() - start) / 1000) };
}

function fill64(): Record<string, number> {
  const count = 1_000_000;
  const before = heapUsed();
  const p = pool('2001:db8:ab00::/40');
  const start = performance.now();
  let chars = 0;
  for (let i = 0; i < count; i++) chars += formatPrefix(must(p.allocate(64, `claim-${i}`)).prefix).length;
  const seconds = (performance.now() - start) / 1000;
  const retained = heapUsed() - before;
  if (p.stats().allocations !== count || chars === 0) throw new Error('fill64 lost allocations');
  return { allocsPerSec: count / seconds, heapBytesPerAlloc: retained / count };
}

function hostFill(): Record<string, number> {
  const { pool: hosts } = createHostPool(cidr('10.20.0.0/16'));
  const next = random(42);
  const usable = 65_536 - 4;
  let start = performance.now();
  for (let i = 0; i < usable; i++) must(hosts.allocate(`binding-${i}`));
  const dynamicMs = performance.now() - start;
  if (hosts.allocate('one-too-many').ok) throw new Error('a full /16 handed out another address');
  const freed = new Set<number>();
  while (freed.size < 10_000) freed.add(2 + Math.floor(next() * (usable - 1)));
  const addresses = [...freed].map((offset) => ipv4(0x0a140000 + offset));
  for (const address of addresses) must(hosts.release(address));
  start = performance.now();
  for (const address of addresses) must(hosts.allocateStatic(address, `static-${formatAddress(address)}`));
  const staticMs = performance.now() - start;
  return {
    allocsPerSec: (usable + addresses.length) / ((dynamicMs + staticMs) / 1000),
    dynamicAllocsPerSec: usable / (dynamicMs / 1000),
    staticAllocsPerSec: addresses.length / (staticMs / 1000),
  };
}

function rebuild(): Record<string, number> {
  const p = pool('10.0.0.0/8');
  for (let i = 0; i < 65_536; i += 2) must(p.allocate(24, `claim-${i}`));
  const snapshot = JSON.parse(JSON.stringify(p.snapshot()));
  const start = performance.now();
  const allocations = snapshot.allocations.map((a: { cidr: string; owner: string }) => ({
    prefix: cidr(a.cidr),
    owner: a.owner,
  }));
  const rebuilt = createPrefixPool([cidr('10.0.0.0/8')], allocations);
  const ms = performance.now() - start;
  if (!rebuilt.ok || rebuilt.pool.stats().allocations !== 32_768) throw new Error('rebuild lost allocations');
  return { rebuildMs: ms, allocationsRebuilt: 32_768 };
}

export const benches: Bench[] = [
  {
    name: 'ipam.v4.fill24',
    run: () => {
      const real = medianOf(5, fill24);
      const raw = medianOf(5, rawFill24);
      return { ...real, rawAllocsPerSec: raw.allocsPerSec! };
    },
  },
  {
    name: 'ipam.v4.fragmented',
    run: () => {
      const real = medianOf(5, fragmented);
      const netbox = medianOf(1, netboxStyleFragmented);
      return {
        ...real,
        netboxStyleOpsPerSec: netbox.opsPerSec!,
        speedupOverNetboxStyle: round(real.opsPerSec! / netbox.opsPerSec!),
      };
    },
  },
  { name: 'ipam.v6.fill64', run: () => medianOf(3, fill64) },
  { name: 'ipam.host.fill', run: () => medianOf(5, hostFill) },
  { name: 'ipam.v4.rebuild', run: () => medianOf(5, rebuild) },
];
