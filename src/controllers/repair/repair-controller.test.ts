// The allocation repair loop against a real API server, its passes driven by a fake clock: an orphaned record
// entry and an orphaned NetworkAddress are freed on the third pass and not before; an orphan whose holder
// turns up is kept, and counted from zero once orphaned again; a holder the cache missed or one being deleted
// is kept because the API server still has it; duplicates and blocks outside the network are Warning events
// that free nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import { NetworkAddressKind } from '../../api/network-address.ts';
import {
  formatAllocationEntry,
  type NetworkAllocationEntry,
  NetworkAllocationKind,
  parseAllocationEntry,
} from '../../api/network-allocation.ts';
import { NetworkBindingKind } from '../../api/network-binding.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { SubnetClaimKind } from '../../api/subnet-claim.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { Informer } from '../../client/informer.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import type { AddressObject, BindingObject } from '../network-binding/indexes.ts';
import { eventSink } from '../runtime/client-adapters.ts';
import type { Controller } from '../runtime/controller.ts';
import { type CoreEvent, EventRecorder } from '../runtime/event-recorder.ts';
import { OperatorMetrics } from '../runtime/metrics.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import { FakeClock } from '../runtime/testing/fake-clock.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from '../subnet-claim/indexes.ts';
import { repairController } from './repair-controller.ts';

type Event = CoreEvent & KubeObject;

const NS = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';
const FIRST_PASS_MS = 1_000;
const INTERVAL_MS = 30_000;

describe('the allocation repair controller', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let clients: {
    networks: ResourceClient<NetworkObject>;
    allocations: ResourceClient<RecordObject>;
    claims: ResourceClient<ClaimObject>;
    subnets: ResourceClient<SubnetObject>;
    bindings: ResourceClient<BindingObject>;
    addresses: ResourceClient<AddressObject>;
    events: ResourceClient<Event>;
  };
  let informers: {
    networks: Informer<NetworkObject>;
    allocations: Informer<RecordObject>;
    claims: Informer<ClaimObject>;
    subnets: Informer<SubnetObject>;
    bindings: Informer<BindingObject>;
    addresses: Informer<AddressObject>;
  };
  let recorder: EventRecorder;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    const client = <T extends KubeObject>(resource: ApiResource) =>
      new ResourceClient<T>(transport, resource);
    clients = {
      networks: client(apiResourceOf(NetworkKind)),
      allocations: client(apiResourceOf(NetworkAllocationKind)),
      claims: client(apiResourceOf(SubnetClaimKind)),
      subnets: client(apiResourceOf(SubnetKind)),
      bindings: client(apiResourceOf(NetworkBindingKind)),
      addresses: client(apiResourceOf(NetworkAddressKind)),
      events: client(EVENTS),
    };
    informers = {
      networks: new Informer(clients.networks),
      allocations: new Informer(clients.allocations),
      claims: new Informer(clients.claims),
      subnets: new Informer(clients.subnets),
      bindings: new Informer(clients.bindings),
      addresses: new Informer(clients.addresses),
    };
    const all = Object.values(informers);
    for (const informer of all) informer.start();
    await Promise.all(all.map((informer) => informer.waitForSync()));
    recorder = new EventRecorder({ sink: eventSink(clients.events), component: 'network-services-operator' });
  });
  after(async () => {
    await Promise.all(Object.values(informers).map((informer) => informer.stop()));
    transport.close();
    await server.close();
  });

  /** A repair controller of its own, on a fake clock, and a way to run its passes one at a time. */
  const startRepair = (caches: Partial<typeof informers> = {}) => {
    const clock = new FakeClock();
    const metrics = new OperatorMetrics();
    const controller: Controller = repairController({
      ...informers,
      ...caches,
      allocationClient: clients.allocations,
      claimClient: clients.claims,
      subnetClient: clients.subnets,
      bindingClient: clients.bindings,
      addressClient: clients.addresses,
      recorder,
      metrics,
      clock,
      intervalMs: INTERVAL_MS,
      firstPassAfterMs: FIRST_PASS_MS,
    });
    controller.start();
    const completed = async (): Promise<number> => {
      const histogram = await metrics.registry.getSingleMetric('nso_reconcile_duration_seconds')?.get();
      return (histogram?.values ?? [])
        .filter(
          (v) =>
            (v as { metricName?: string }).metricName?.endsWith('_count') &&
            v.labels.controller === 'allocation-repair',
        )
        .reduce((sum, v) => sum + v.value, 0);
    };
    let passes = 0;
    const released = async (kind: 'subnet' | 'address'): Promise<number> => {
      const counter = await metrics.registry.getSingleMetric('nso_ipam_allocations_total')?.get();
      return (counter?.values ?? [])
        .filter((v) => v.labels.kind === kind && v.labels.outcome === 'released')
        .reduce((sum, v) => sum + v.value, 0);
    };
    return {
      /** Lets the clock reach the next pass and waits for it to finish. */
      pass: async (): Promise<void> => {
        await clock.advance(passes === 0 ? FIRST_PASS_MS : INTERVAL_MS);
        passes++;
        await eventually(`repair pass ${passes}`, async () =>
          (await completed()) >= passes ? true : undefined,
        );
      },
      released,
      stop: () => controller.stop(),
    };
  };

  const createNetwork = (name: string, ipv4Blocks: string[]) =>
    clients.networks.create({
      apiVersion: API_VERSION,
      kind: 'Network',
      metadata: { name, namespace: NS },
      spec: { ipv4Blocks },
    });
  const createClaim = (name: string, network: string) =>
    clients.claims.create({
      apiVersion: API_VERSION,
      kind: 'SubnetClaim',
      metadata: { name, namespace: NS },
      spec: { networkRef: { name: network }, prefixLength: 24, ipFamily: 'IPv4' },
    });
  const createSubnet = (
    name: string,
    network: string,
    cidrBlock: string,
    owners: SubnetObject['metadata']['ownerReferences'] = [],
  ) =>
    clients.subnets.create({
      apiVersion: API_VERSION,
      kind: 'Subnet',
      metadata: { name, namespace: NS, ...(owners.length === 0 ? {} : { ownerReferences: owners }) },
      spec: { networkRef: { name: network }, cidrBlock, ipFamily: 'IPv4' },
    });
  const createRecord = (network: string, allocations: NetworkAllocationEntry[]) =>
    clients.allocations.create({
      apiVersion: API_VERSION,
      kind: 'NetworkAllocation',
      metadata: { name: network, namespace: NS },
      spec: {
        networkRef: { name: network },
        allocations: allocations.map(formatAllocationEntry),
        count: allocations.length,
      },
    });
  const createAddress = (
    network: string,
    subnet: string,
    address: string,
    holder: { name: string; uid: string },
  ) =>
    clients.addresses.create({
      apiVersion: API_VERSION,
      kind: 'NetworkAddress',
      metadata: { name: `${network}.${address}`, namespace: NS },
      spec: {
        networkRef: { name: network },
        subnetRef: { name: subnet },
        address,
        holder: { kind: 'NetworkBinding', ...holder },
      },
    });
  const cached = <T extends KubeObject>(informer: Informer<T>, object: T) =>
    eventually(`${object.kind} ${object.metadata.name} in the cache`, async () =>
      informer.get(NS, object.metadata.name ?? '')?.metadata.resourceVersion ===
      object.metadata.resourceVersion
        ? true
        : undefined,
    );
  const entriesOf = async (network: string) =>
    (await clients.allocations.get(NS, network)).spec.allocations.map((line) => {
      const entry = parseAllocationEntry(line);
      return entry === undefined ? `unparsable: ${line}` : `${entry.cidr} ${entry.name}`;
    });
  const exists = async (client: ResourceClient<KubeObject>, name: string): Promise<boolean> => {
    try {
      await client.get(NS, name);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  };
  const eventsOf = async (network: string, reason: string) =>
    (await clients.events.list(NS, { fieldSelector: `involvedObject.name=${network}` })).items.filter(
      (event) => event.reason === reason,
    );

  test('a record entry whose holder is gone is freed on the third pass, not before', async () => {
    const network = await createNetwork('orphan-entries', ['10.10.0.0/16']);
    const live = await createClaim('live-claim', 'orphan-entries');
    const record = await createRecord('orphan-entries', [
      { cidr: '10.10.0.0/24', kind: 'SubnetClaim', name: 'live-claim', uid: live.metadata.uid ?? '' },
      { cidr: '10.10.1.0/24', kind: 'SubnetClaim', name: 'ghost-claim', uid: 'uid-of-a-deleted-claim' },
      { cidr: '10.10.2.0/24', kind: 'SubnetClaim', name: 'live-claim', uid: 'uid-of-an-earlier-live-claim' },
      { cidr: '10.10.3.0/24', kind: 'Subnet', name: 'ghost-subnet', uid: 'uid-of-a-deleted-subnet' },
    ]);
    await cached(informers.networks, network);
    await cached(informers.claims, live);
    await cached(informers.allocations, record);
    const repair = startRepair();
    try {
      const all = [
        '10.10.0.0/24 live-claim',
        '10.10.1.0/24 ghost-claim',
        '10.10.2.0/24 live-claim',
        '10.10.3.0/24 ghost-subnet',
      ];
      await repair.pass();
      assert.deepEqual(await entriesOf('orphan-entries'), all, 'kept after one sighting');
      await repair.pass();
      assert.deepEqual(await entriesOf('orphan-entries'), all, 'kept after two sightings');
      await repair.pass();
      assert.deepEqual(
        await entriesOf('orphan-entries'),
        ['10.10.0.0/24 live-claim'],
        'the third sighting frees every entry whose holder uid is gone, even where the name lives on',
      );
      const after = await clients.allocations.get(NS, 'orphan-entries');
      assert.equal(after.spec.count, 1, 'count follows the entries');
      assert.equal(await repair.released('subnet'), 3, 'three blocks released in the metrics');
      const released = await eventually('three OrphanReleased events', async () => {
        const found = await eventsOf('orphan-entries', 'OrphanReleased');
        return found.length === 3 ? found : undefined;
      });
      assert.ok(
        released.every((event) => event.type === 'Normal'),
        'OrphanReleased is a Normal event',
      );
      assert.ok(
        released.some((event) => event.message.includes('10.10.1.0/24 of SubnetClaim ghost-claim')),
        'an event names the freed block and its holder',
      );
      await repair.pass();
      assert.deepEqual(
        await entriesOf('orphan-entries'),
        ['10.10.0.0/24 live-claim'],
        'the live entry stays',
      );
    } finally {
      await repair.stop();
    }
  });

  test('a NetworkAddress whose binding is gone is deleted on the third pass, not before', async () => {
    const network = await createNetwork('orphan-addresses', ['10.20.0.0/16']);
    const subnet = await createSubnet('orphan-addresses-subnet', 'orphan-addresses', '10.20.0.0/24');
    const binding = await clients.bindings.create({
      apiVersion: API_VERSION,
      kind: 'NetworkBinding',
      metadata: { name: 'vm-live', namespace: NS },
      spec: { workloadRef: { name: 'vm-live', kind: 'Workload' }, networkRef: { name: 'orphan-addresses' } },
    });
    const kept = await createAddress('orphan-addresses', 'orphan-addresses-subnet', '10.20.0.5', {
      name: 'vm-live',
      uid: binding.metadata.uid ?? '',
    });
    const orphan = await createAddress('orphan-addresses', 'orphan-addresses-subnet', '10.20.0.6', {
      name: 'vm-gone',
      uid: 'uid-of-a-deleted-binding',
    });
    for (const [informer, object] of [
      [informers.networks, network],
      [informers.subnets, subnet],
      [informers.bindings, binding],
      [informers.addresses, kept],
      [informers.addresses, orphan],
    ] as const) {
      await cached(informer as unknown as Informer<KubeObject>, object);
    }
    const addresses = clients.addresses as unknown as ResourceClient<KubeObject>;
    const repair = startRepair();
    try {
      await repair.pass();
      await repair.pass();
      assert.ok(await exists(addresses, 'orphan-addresses.10.20.0.6'), 'kept after two sightings');
      await repair.pass();
      assert.equal(await exists(addresses, 'orphan-addresses.10.20.0.6'), false, 'deleted on the third');
      assert.ok(await exists(addresses, 'orphan-addresses.10.20.0.5'), "the live binding's address stays");
      assert.equal(await repair.released('address'), 1, 'one address released in the metrics');
      await eventually('an OrphanReleased event', async () => {
        const found = await eventsOf('orphan-addresses', 'OrphanReleased');
        return found.some((event) => event.message.includes('10.20.0.6')) ? true : undefined;
      });
    } finally {
      await repair.stop();
    }
  });

  test('an orphan whose holder turns up before the third pass is kept, and counted afresh once orphaned again', async () => {
    const network = await createNetwork('late-holder', ['10.30.0.0/16']);
    // The entry's holder uid is server-made, so borrow a live claim's: one of another network, under another name.
    const borrowed = await createClaim('borrowed-claim', 'elsewhere');
    const record = await createRecord('late-holder', [
      { cidr: '10.30.0.0/24', kind: 'SubnetClaim', name: 'late-claim', uid: borrowed.metadata.uid ?? '' },
    ]);
    await cached(informers.networks, network);
    await cached(informers.claims, borrowed);
    await cached(informers.allocations, record);
    const repair = startRepair();
    try {
      await repair.pass();
      await repair.pass();
      const subnet = await createSubnet('late', 'late-holder', '10.30.0.0/24', [
        {
          apiVersion: API_VERSION,
          kind: 'SubnetClaim',
          name: 'borrowed-claim',
          uid: borrowed.metadata.uid ?? '',
        },
      ]);
      await cached(informers.subnets, subnet);
      await repair.pass();
      await repair.pass();
      assert.deepEqual(await entriesOf('late-holder'), ['10.30.0.0/24 late-claim'], 'kept while held');
      await clients.subnets.delete(NS, 'late');
      await eventually('the Subnet gone from the cache', async () =>
        informers.subnets.get(NS, 'late') === undefined ? true : undefined,
      );
      await repair.pass();
      await repair.pass();
      assert.deepEqual(
        await entriesOf('late-holder'),
        ['10.30.0.0/24 late-claim'],
        'two sightings after the holder left are not enough: the count started over',
      );
      await repair.pass();
      assert.deepEqual(await entriesOf('late-holder'), [], 'freed on the third sighting in a row');
    } finally {
      await repair.stop();
    }
  });

  test('the API server has the last word: a holder the cache missed, or one being deleted, is kept', async () => {
    const network = await createNetwork('stale-cache', ['10.50.0.0/16']);
    const frozen = new Informer(clients.claims);
    frozen.start();
    await frozen.waitForSync();
    await frozen.stop();
    const unseen = await createClaim('unseen-claim', 'stale-cache');
    const leaving = await clients.claims.create({
      apiVersion: API_VERSION,
      kind: 'SubnetClaim',
      metadata: { name: 'leaving-claim', namespace: NS, finalizers: ['example.com/hold'] },
      spec: { networkRef: { name: 'stale-cache' }, prefixLength: 24, ipFamily: 'IPv4' },
    });
    await clients.claims.delete(NS, 'leaving-claim');
    const record = await createRecord('stale-cache', [
      { cidr: '10.50.0.0/24', kind: 'SubnetClaim', name: 'unseen-claim', uid: unseen.metadata.uid ?? '' },
      { cidr: '10.50.1.0/24', kind: 'SubnetClaim', name: 'leaving-claim', uid: leaving.metadata.uid ?? '' },
      { cidr: '10.50.2.0/24', kind: 'SubnetClaim', name: 'gone-claim', uid: 'uid-of-gone-claim' },
    ]);
    await cached(informers.networks, network);
    await cached(informers.allocations, record);
    const repair = startRepair({ claims: frozen });
    try {
      for (let i = 0; i < 4; i++) await repair.pass();
      assert.deepEqual(
        await entriesOf('stale-cache'),
        ['10.50.0.0/24 unseen-claim', '10.50.1.0/24 leaving-claim'],
        'only the holder the API server does not have is freed',
      );
    } finally {
      await repair.stop();
      const current = await clients.claims.get(NS, 'leaving-claim');
      await clients.claims.update({ ...current, metadata: { ...current.metadata, finalizers: [] } });
    }
  });

  test('duplicates and blocks outside the network are Warning events, and nothing is freed', async () => {
    const network = await createNetwork('conflicted', ['10.40.0.0/16']);
    const first = await createClaim('first-claim', 'conflicted');
    const second = await createClaim('second-claim', 'conflicted');
    const record = await createRecord('conflicted', [
      { cidr: '10.40.0.0/24', kind: 'SubnetClaim', name: 'first-claim', uid: first.metadata.uid ?? '' },
      { cidr: '10.40.0.128/25', kind: 'SubnetClaim', name: 'second-claim', uid: second.metadata.uid ?? '' },
    ]);
    const stray = await createSubnet('stray', 'conflicted', '192.168.40.0/24');
    for (const [informer, object] of [
      [informers.networks, network],
      [informers.claims, first],
      [informers.claims, second],
      [informers.allocations, record],
      [informers.subnets, stray],
    ] as const) {
      await cached(informer as unknown as Informer<KubeObject>, object);
    }
    const repair = startRepair();
    try {
      await repair.pass();
      const duplicate = await eventually(
        'a DuplicateAllocation event',
        async () => (await eventsOf('conflicted', 'DuplicateAllocation'))[0],
      );
      assert.equal(duplicate.type, 'Warning', 'a duplicate is a Warning');
      assert.equal(
        duplicate.message,
        'the allocation record gives 10.40.0.128/25 to SubnetClaim second-claim, which overlaps 10.40.0.0/24 of SubnetClaim first-claim',
        'names both holders and blocks',
      );
      const outside = await eventually(
        'an AllocationOutOfRange event',
        async () => (await eventsOf('conflicted', 'AllocationOutOfRange'))[0],
      );
      assert.equal(outside.type, 'Warning', 'out of range is a Warning');
      assert.equal(
        outside.message,
        'Subnet stray: 192.168.40.0/24 is outside network conflicted (10.40.0.0/16)',
        'names the Subnet and the network',
      );
      await repair.pass();
      await repair.pass();
      await repair.pass();
      assert.deepEqual(
        await entriesOf('conflicted'),
        ['10.40.0.0/24 first-claim', '10.40.0.128/25 second-claim'],
        'the repair loop reports duplicates; it does not choose between their holders',
      );
      await eventually('repeats aggregated into one Event', async () => {
        const found = await eventsOf('conflicted', 'DuplicateAllocation');
        return found.length === 1 && found[0]!.count >= 2 ? true : undefined;
      });
      assert.deepEqual(await eventsOf('conflicted', 'OrphanReleased'), [], 'nothing released');
    } finally {
      await repair.stop();
    }
  });
});
