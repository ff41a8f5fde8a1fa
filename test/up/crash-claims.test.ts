// Proves issue 7's crash requirement: `nso up` SIGKILLed at random at least 20 times while 16 clients apply 5,000
// SubnetClaims (and some NetworkBindings) restarts on the same data directory each time, and after the last restart
// every acknowledged claim is Bound within 60 s, with no overlapping blocks and no address assigned twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { KindDefinition } from '../../src/api/kind.ts';
import { NetworkKind } from '../../src/api/network.ts';
import { NetworkAddressKind } from '../../src/api/network-address.ts';
import { NetworkAllocationKind, parseAllocationEntry } from '../../src/api/network-allocation.ts';
import { NetworkBindingKind } from '../../src/api/network-binding.ts';
import { SubnetKind } from '../../src/api/subnet.ts';
import { SubnetClaimKind } from '../../src/api/subnet-claim.ts';
import { isAlreadyExists } from '../../src/client/api-error.ts';
import type { KubeObject } from '../../src/client/kube-object.ts';
import {
  comparePrefixes,
  containsAddress,
  overlaps,
  type Prefix,
  parseAddress,
  parsePrefix,
} from '../../src/ipam/index.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { RestartingNso } from './restarting-nso.ts';

const CLAIMS = Number(process.env.NSO_CRASH_CLAIMS ?? 5_000);
const KILLS = Number(process.env.NSO_CRASH_KILLS ?? 20);
const SEED = Number(process.env.NSO_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const BINDINGS = Math.round(CLAIMS * 0.06);
const CLIENTS = 16;
const NETWORKS = 4;
/** Bindings take addresses from two /24 Subnets of a network of their own, so other Subnets do not wake them. */
const POOL_NETWORK = 'crash-pool';
const POOLS = ['crash-pool-0', 'crash-pool-1'];
const KILL_INTERVAL_MS = { min: 300, max: 2_000 };
/** The requirement's 60 s; longer only to see where a slow run ends. */
const SETTLE_MS = Number(process.env.NSO_CRASH_SETTLE_S ?? 60) * 1_000;
const NAMESPACE = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';

interface Condition {
  readonly type: string;
  readonly status: string;
}
type Claim = KubeObject & {
  spec: { networkRef: { name: string }; prefixLength: number };
  status?: { conditions?: Condition[]; cidrBlock?: string; subnetRef?: { name: string } };
};
type Subnet = KubeObject & { spec: { networkRef: { name: string }; cidrBlock: string } };
type Allocation = KubeObject & { spec: { allocations: string[] } };
type Binding = KubeObject & {
  spec: { networkRef: { name: string }; subnetRef?: { name: string } };
  status?: { conditions?: Condition[]; ipAddress?: string; subnetRef?: { name: string } };
};
type Address = KubeObject & {
  spec: {
    networkRef: { name: string };
    subnetRef: { name: string };
    address: string;
    holder: { uid: string };
  };
};

interface Item {
  readonly kind: KindDefinition;
  readonly object: KubeObject;
}

const dataDir = mkdtempSync(join(tmpdir(), 'nso-crash-claims-'));
let nso: RestartingNso | undefined;
after(async () => {
  await nso?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test(`SIGKILL nso up ${KILLS} times while ${CLAIMS} claims are applied: all Bound within ${SETTLE_MS / 1000} s, nothing overlaps`, {
  timeout: 115_000 + SETTLE_MS,
}, async (t) => {
  t.diagnostic(`NSO_CRASH_SEED=${SEED} NSO_CRASH_CLAIMS=${CLAIMS} NSO_CRASH_KILLS=${KILLS}`);
  const random = seededRandom(SEED);
  const began = performance.now();
  const running = await RestartingNso.start(dataDir);
  nso = running;
  for (const [name, block] of [
    ...Array.from({ length: NETWORKS }, (_, n) => [networkName(n), '10.0.0.0/8']),
    [POOL_NETWORK, '10.0.0.0/16'],
  ] as const) {
    await apply(running, {
      kind: NetworkKind,
      object: {
        apiVersion: API_VERSION,
        kind: 'Network',
        metadata: { name, namespace: NAMESPACE },
        spec: { ipv4Blocks: [block] },
      } as KubeObject,
    });
  }

  const items = workload();
  // The uid each create answered with; undefined where AlreadyExists acknowledged an attempt a kill cut off.
  const acknowledged = new Map<string, Map<string, string | undefined>>([
    [SubnetClaimKind.kind, new Map()],
    [NetworkBindingKind.kind, new Map()],
  ]);
  let acknowledgedCount = 0;
  // Items are released in KILLS + 1 slices, one more after each kill, so every kill lands while claims are still
  // being applied; a slice takes about as long to create as the interval between kills, as the server is busy.
  const releaseAfterKills = (index: number) => Math.floor((index * (KILLS + 1)) / items.length);
  let next = 0;
  const clients = Array.from({ length: CLIENTS }, async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index]!;
      await running.afterKills(releaseAfterKills(index));
      const uid = await apply(running, item);
      acknowledged.get(item.kind.kind)!.set(item.object.metadata.name ?? '', uid);
      acknowledgedCount++;
    }
  });

  let killsWhileApplying = 0;
  let lastRestart = performance.now();
  const killer = (async () => {
    while (running.kills < KILLS) {
      await sleep(KILL_INTERVAL_MS.min + random() * (KILL_INTERVAL_MS.max - KILL_INTERVAL_MS.min));
      if (acknowledgedCount < items.length) killsWhileApplying++;
      const { signal } = await running.crash();
      assert.equal(signal, 'SIGKILL', `kill ${running.kills} ended nso up by SIGKILL`);
      lastRestart = performance.now();
    }
  })();
  await Promise.all([killer, ...clients]);
  const applied = performance.now();
  assert.ok(running.kills >= KILLS, `${running.kills} kills, at least ${KILLS}`);
  assert.ok(
    killsWhileApplying >= KILLS,
    `${killsWhileApplying} kills while claims were applied, at least ${KILLS}`,
  );
  const claimUids = acknowledged.get(SubnetClaimKind.kind)!;
  const bindingUids = acknowledged.get(NetworkBindingKind.kind)!;
  const claimNames = new Set(claimUids.keys());
  const bindingNames = new Set(bindingUids.keys());
  const cutOff = [...claimUids.values(), ...bindingUids.values()].filter((uid) => uid === undefined).length;
  assert.equal(claimNames.size, CLAIMS, 'every claim was acknowledged');
  assert.equal(bindingNames.size, BINDINGS, 'every binding was acknowledged');

  const deadline = lastRestart + SETTLE_MS;
  const [{ pending: claimsLeft, ...claimsProgress }, { pending: bindingsLeft }] = await Promise.all([
    untilAll(running, SubnetClaimKind, claimNames, boundClaim, deadline),
    untilAll(running, NetworkBindingKind, bindingNames, boundBinding, deadline),
  ]);
  const settled = performance.now();
  t.diagnostic(
    `claims not yet Bound every 10 s after the last restart: ${claimsProgress.progress.join(', ')}`,
  );
  t.diagnostic(
    `kills ${running.kills} (${killsWhileApplying} while applying), acknowledged ${claimNames.size} claims and ${bindingNames.size} bindings ` +
      `(${cutOff} by AlreadyExists after a kill cut off the answer), ` +
      `requests resent ${JSON.stringify(Object.fromEntries(running.resent))}, starts ${describeMs(running.startMs)}; ` +
      `applied at ${seconds(applied - began)} s, last restart at ${seconds(lastRestart - began)} s, ` +
      (claimsLeft.length + bindingsLeft.length === 0
        ? `all Bound ${seconds(settled - lastRestart)} s after it`
        : `${claimsLeft.length} claims and ${bindingsLeft.length} bindings not Bound ${seconds(settled - lastRestart)} s after it`),
  );
  assert.equal(
    claimsLeft.length,
    0,
    `${claimsLeft.length} claims not Bound ${SETTLE_MS / 1000} s after the last restart (seed ${SEED}), ` +
      `${claimsLeft.slice(0, 10).join(', ')}…\n${await running.output()}`,
  );
  assert.equal(
    bindingsLeft.length,
    0,
    `${bindingsLeft.length} bindings not Bound ${SETTLE_MS / 1000} s after the last restart (seed ${SEED}), ` +
      `${bindingsLeft.slice(0, 10).join(', ')}…`,
  );

  await verify(running, claimUids, bindingUids);
});

/** The pool claims first, then claims with bindings spread among them. */
function workload(): Item[] {
  const claim = (name: string, network: string, prefixLength: number): Item => ({
    kind: SubnetClaimKind,
    object: {
      apiVersion: API_VERSION,
      kind: 'SubnetClaim',
      metadata: { name, namespace: NAMESPACE },
      spec: { networkRef: { name: network }, prefixLength },
    } as KubeObject,
  });
  const binding = (index: number): Item => ({
    kind: NetworkBindingKind,
    object: {
      apiVersion: API_VERSION,
      kind: 'NetworkBinding',
      metadata: { name: `binding-${index}`, namespace: NAMESPACE },
      spec: {
        workloadRef: { name: `workload-${index}`, kind: 'Workload' },
        networkRef: { name: POOL_NETWORK },
        subnetRef: { name: POOLS[index % POOLS.length] },
      },
    } as KubeObject,
  });
  const items = POOLS.map((pool) => claim(`${pool}-claim`, POOL_NETWORK, 24));
  const others = CLAIMS - POOLS.length;
  let bindings = 0;
  for (let i = 0; i < others; i++) {
    items.push(claim(`claim-${i}`, networkName(i % NETWORKS), i % 2 === 0 ? 24 : 28));
    while (bindings < BINDINGS && bindings * others <= i * BINDINGS) items.push(binding(bindings++));
  }
  while (bindings < BINDINGS) items.push(binding(bindings++));
  return items;
}

/**
 * Creates until acknowledged: a 2xx, answering with the new uid, or AlreadyExists after an attempt whose answer
 * a kill cut off (undefined).
 */
async function apply(nso: RestartingNso, item: Item): Promise<string | undefined> {
  return nso.request(item.kind, async (client) => {
    try {
      return (await client.create(item.object)).metadata.uid;
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      return undefined;
    }
  });
}

/**
 * The names of `names` not yet `done` at `deadline`, watching from one list (no more crashes by now), and how many
 * were pending every 10 s.
 */
async function untilAll<T extends KubeObject>(
  nso: RestartingNso,
  kind: KindDefinition,
  names: ReadonlySet<string>,
  done: (object: T) => boolean,
  deadline: number,
): Promise<{ pending: string[]; progress: number[] }> {
  const pending = new Set(names);
  const progress: number[] = [];
  const sample = setInterval(() => progress.push(pending.size), 10_000);
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - performance.now()));
  const client = await nso.client<T>(kind);
  const see = (object: T) => {
    if (done(object)) pending.delete(object.metadata.name ?? '');
    if (pending.size === 0) stop.abort();
  };
  try {
    while (pending.size > 0 && !stop.signal.aborted) {
      const list = await client.list(NAMESPACE, { signal: stop.signal });
      for (const object of list.items) see(object);
      if (pending.size === 0) break;
      await client.watch(
        NAMESPACE,
        { resourceVersion: list.resourceVersion },
        (event) => {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') see(event.object);
        },
        stop.signal,
      );
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    clearInterval(sample);
  }
  return { pending: [...pending].sort(), progress };
}

function boundClaim(claim: Claim): boolean {
  return isTrue(claim.status?.conditions, 'Ready') && claim.status?.cidrBlock !== undefined;
}

function boundBinding(binding: Binding): boolean {
  return isTrue(binding.status?.conditions, 'Ready') && binding.status?.ipAddress !== undefined;
}

function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === 'True') === true;
}

/**
 * The state after the storm, from fresh lists: the acknowledged objects with the uids they were created with; each
 * claim's block is its Subnet's and the record's, once; each binding's address is its own NetworkAddress's.
 */
async function verify(
  nso: RestartingNso,
  claimUids: ReadonlyMap<string, string | undefined>,
  bindingUids: ReadonlyMap<string, string | undefined>,
) {
  const list = async <T extends KubeObject>(kind: KindDefinition) =>
    (await (await nso.client<T>(kind)).list(NAMESPACE)).items;
  const claims = await list<Claim>(SubnetClaimKind);
  const subnets = await list<Subnet>(SubnetKind);
  const records = await list<Allocation>(NetworkAllocationKind);
  const bindings = await list<Binding>(NetworkBindingKind);
  const addresses = await list<Address>(NetworkAddressKind);

  assert.deepEqual(
    claims.map((c) => c.metadata.name).sort(),
    [...claimUids.keys()].sort(),
    'the claims stored are exactly the acknowledged ones',
  );
  assert.deepEqual(mismatchedUids(claims, claimUids), [], 'each claim has the uid its create answered with');
  assert.deepEqual(
    claims.filter((c) => !boundClaim(c)).map((c) => c.metadata.name),
    [],
    'every claim is still Bound in the fresh list',
  );
  const subnetByName = new Map(subnets.map((s) => [s.metadata.name ?? '', s]));
  const recordByNetwork = new Map(records.map((r) => [r.metadata.name ?? '', r]));
  for (const network of [...Array.from({ length: NETWORKS }, (_, n) => networkName(n)), POOL_NETWORK]) {
    const members = claims.filter((c) => c.spec.networkRef.name === network);
    const blocks = subnets
      .filter((s) => s.spec.networkRef.name === network)
      .map((s) => ({
        name: s.metadata.name ?? '',
        prefix: prefixOf(s.spec.cidrBlock, `Subnet ${s.metadata.name}`),
      }));
    assert.deepEqual(disjoint(blocks), [], `no two Subnets of ${network} overlap`);

    const record = recordByNetwork.get(network);
    assert.ok(record !== undefined, `NetworkAllocation ${network} exists`);
    const entries = record.spec.allocations.map((line) => {
      const entry = parseAllocationEntry(line);
      assert.ok(entry !== undefined, `NetworkAllocation ${network}: ${line} is an entry`);
      return entry;
    });
    assert.deepEqual(
      disjoint(
        entries.map((e) => ({ name: `${e.kind} ${e.name}`, prefix: prefixOf(e.cidr, `entry of ${e.name}`) })),
      ),
      [],
      `no two entries of NetworkAllocation ${network} overlap`,
    );
    const byUid = new Map<string, (typeof entries)[number][]>();
    for (const entry of entries) byUid.set(entry.uid, [...(byUid.get(entry.uid) ?? []), entry]);
    assert.deepEqual(
      [...byUid].filter(([, held]) => held.length > 1).map(([uid]) => uid),
      [],
      `no uid holds two entries of NetworkAllocation ${network}`,
    );
    assert.equal(
      entries.length,
      members.length,
      `NetworkAllocation ${network} holds one entry per claim, none leaked`,
    );

    for (const claim of members) {
      const name = claim.metadata.name ?? '';
      const cidr = claim.status?.cidrBlock;
      const subnet = subnetByName.get(claim.status?.subnetRef?.name ?? '');
      assert.ok(subnet !== undefined, `claim ${name} names an existing Subnet`);
      assert.equal(subnet.spec.cidrBlock, cidr, `claim ${name}'s block is its Subnet's`);
      assert.equal(subnet.spec.networkRef.name, network, `claim ${name}'s Subnet is in its network`);
      assert.ok(
        subnet.metadata.ownerReferences?.some((ref) => ref.uid === claim.metadata.uid),
        `claim ${name} owns its Subnet ${subnet.metadata.name}`,
      );
      const held = byUid.get(claim.metadata.uid ?? '') ?? [];
      assert.deepEqual(
        held.map((e) => [e.cidr, e.name]),
        [[cidr, name]],
        `claim ${name} (uid ${claim.metadata.uid}) has exactly one entry in NetworkAllocation ${network}, its block`,
      );
    }
  }

  assert.deepEqual(
    bindings.map((b) => b.metadata.name).sort(),
    [...bindingUids.keys()].sort(),
    'the bindings stored are exactly the acknowledged ones',
  );
  assert.deepEqual(
    mismatchedUids(bindings, bindingUids),
    [],
    'each binding has the uid its create answered with',
  );
  assert.deepEqual(
    bindings.filter((b) => !boundBinding(b)).map((b) => b.metadata.name),
    [],
    'every binding is still Bound in the fresh list',
  );
  const addressesByHolder = new Map<string, Address[]>();
  const holderOf = new Map<string, string>();
  for (const address of addresses) {
    const uid = address.spec.holder.uid;
    addressesByHolder.set(uid, [...(addressesByHolder.get(uid) ?? []), address]);
    const key = `${address.spec.networkRef.name}/${address.spec.address}`;
    assert.equal(holderOf.get(key), undefined, `address ${key} is held by one NetworkAddress`);
    holderOf.set(key, address.metadata.name ?? '');
  }
  const holders = new Set(bindings.map((b) => b.metadata.uid ?? ''));
  assert.deepEqual(
    addresses.filter((a) => !holders.has(a.spec.holder.uid)).map((a) => a.metadata.name),
    [],
    'every NetworkAddress is held by an existing binding, none leaked',
  );
  const boundTo = new Map<string, string>();
  for (const binding of bindings) {
    const name = binding.metadata.name ?? '';
    const ip = binding.status?.ipAddress ?? '';
    const key = `${binding.spec.networkRef.name}/${ip}`;
    assert.equal(boundTo.get(key), undefined, `binding ${name}'s address ${key} is no other binding's`);
    boundTo.set(key, name);
    const held = addressesByHolder.get(binding.metadata.uid ?? '') ?? [];
    assert.deepEqual(
      held.map((a) => a.spec.address),
      [ip],
      `binding ${name} holds exactly one NetworkAddress, the address in its status`,
    );
    const subnet = subnetByName.get(binding.status?.subnetRef?.name ?? '');
    assert.ok(subnet !== undefined, `binding ${name} names an existing Subnet`);
    const address = parseAddress(ip);
    assert.ok(
      address.ok &&
        containsAddress(prefixOf(subnet.spec.cidrBlock, `Subnet ${subnet.metadata.name}`), address.value),
      `binding ${name}'s address ${ip} is inside its Subnet ${subnet.spec.cidrBlock}`,
    );
  }
}

/** The objects whose uid differs from the one their create answered with. */
function mismatchedUids(
  objects: readonly KubeObject[],
  uids: ReadonlyMap<string, string | undefined>,
): string[] {
  return objects.flatMap((object) => {
    const expected = uids.get(object.metadata.name ?? '');
    return expected === undefined || expected === object.metadata.uid
      ? []
      : [`${object.metadata.name}: ${object.metadata.uid}, created as ${expected}`];
  });
}

/** The pairs of blocks that overlap: sorted by start, a block overlapping any other overlaps its successor. */
function disjoint(blocks: readonly { readonly name: string; readonly prefix: Prefix }[]): string[] {
  const sorted = [...blocks].sort((a, b) => comparePrefixes(a.prefix, b.prefix));
  const clashes: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (overlaps(a.prefix, b.prefix)) clashes.push(`${a.name} overlaps ${b.name}`);
  }
  return clashes;
}

function prefixOf(text: string, what: string): Prefix {
  const parsed = parsePrefix(text);
  assert.ok(parsed.ok, `${what}: ${text} is a CIDR block`);
  return parsed.value;
}

function networkName(index: number): string {
  return `crash-${index}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function describeMs(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`;
}
