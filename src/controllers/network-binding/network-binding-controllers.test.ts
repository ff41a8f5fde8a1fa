// NetworkBinding → address against a real API server, with two binding operators racing on every test: the
// specification's binding and Subnet counts, Static addresses and their refusals, subnet choice, a missing
// network, exhaustion and recovery, release on delete, and no address ever given twice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import { NetworkAddressKind } from '../../api/network-address.ts';
import { NetworkBindingKind } from '../../api/network-binding.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { WorkloadKind } from '../../api/workload.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import type { AddressObject, BindingObject, NetworkObject, SubnetObject, WorkloadObject } from './indexes.ts';
import {
  type NetworkBindingOperator,
  startNetworkBindingOperator,
} from './testing/network-binding-operator.ts';

type Event = KubeObject & { reason?: string; type?: string; message?: string };

const NS = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';

const network = (name: string, ipv4: string): NetworkObject => ({
  apiVersion: API_VERSION,
  kind: 'Network',
  metadata: { name, namespace: NS },
  spec: { ipv4Blocks: [ipv4] },
});

const subnet = (
  name: string,
  networkName: string,
  cidrBlock: string,
  location?: { region: string; zone: string },
): SubnetObject => ({
  apiVersion: API_VERSION,
  kind: 'Subnet',
  metadata: { name, namespace: NS },
  spec: {
    networkRef: { name: networkName },
    cidrBlock,
    ipFamily: 'IPv4',
    ...(location === undefined ? {} : { location }),
  },
});

const binding = (
  name: string,
  spec: { network: string; subnet?: string; staticIP?: string; workload?: string },
): BindingObject => ({
  apiVersion: API_VERSION,
  kind: 'NetworkBinding',
  metadata: { name, namespace: NS },
  spec: {
    workloadRef: { name: spec.workload ?? name, kind: 'Workload' },
    networkRef: { name: spec.network },
    ...(spec.subnet === undefined ? {} : { subnetRef: { name: spec.subnet } }),
    ipAddressAllocation:
      spec.staticIP === undefined ? { type: 'Dynamic' } : { type: 'Static', specificIP: spec.staticIP },
  },
});

describe('the NetworkBinding controllers', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let operators: NetworkBindingOperator[];
  let networks: ResourceClient<NetworkObject>;
  let subnets: ResourceClient<SubnetObject>;
  let bindings: ResourceClient<BindingObject>;
  let addresses: ResourceClient<AddressObject>;
  let workloads: ResourceClient<WorkloadObject>;
  let events: ResourceClient<Event>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    subnets = new ResourceClient(transport, apiResourceOf(SubnetKind));
    bindings = new ResourceClient(transport, apiResourceOf(NetworkBindingKind));
    addresses = new ResourceClient(transport, apiResourceOf(NetworkAddressKind));
    workloads = new ResourceClient(transport, apiResourceOf(WorkloadKind));
    events = new ResourceClient(transport, EVENTS);
    operators = [
      await startNetworkBindingOperator(server.kubeConfig, { identity: 'operator-a', subnetStatus: true }),
      await startNetworkBindingOperator(server.kubeConfig, { identity: 'operator-b' }),
    ];
  });
  after(async () => {
    await Promise.all(operators.map((operator) => operator.stop()));
    transport.close();
    await server.close();
  });

  const bindingWhere = (name: string, check: (b: BindingObject) => boolean) =>
    eventually(`binding ${name} as expected`, async () => {
      const found = await bindings.get(NS, name);
      return check(found) ? found : undefined;
    });
  const bound = (name: string) => bindingWhere(name, (b) => b.status?.phase === 'Bound');
  const failedWith = (name: string, reason: string) =>
    bindingWhere(name, (b) => b.status?.conditions?.find((c) => c.type === 'Bound')?.reason === reason);
  const readySubnet = (name: string) =>
    eventually(`subnet ${name} Ready`, async () => {
      const found = await subnets.get(NS, name);
      return found.status?.phase === 'Ready' ? found : undefined;
    });
  const eventOf = (name: string, reason: string) =>
    eventually(`a ${reason} event about ${name}`, async () =>
      (await events.list(NS, { fieldSelector: `involvedObject.name=${name}` })).items.find(
        (event) => event.reason === reason,
      ),
    );
  const gone = async (read: () => Promise<unknown>): Promise<boolean> => {
    try {
      await read();
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  };
  const addressesOf = async (networkName: string) =>
    (await addresses.list(NS)).items.filter((a) => a.spec.networkRef.name === networkName);

  test("the specification's web-app-binding gets 10.0.1.2 and its Subnet shows 5 allocated, 251 available", async () => {
    await networks.create(network('production-network', '10.0.0.0/16'));
    await subnets.create(subnet('web-tier-subnet', 'production-network', '10.0.1.0/24'));
    await readySubnet('web-tier-subnet');
    await bindings.create(
      binding('web-app-binding', {
        network: 'production-network',
        subnet: 'web-tier-subnet',
        workload: 'web-app',
      }),
    );
    const found = await bound('web-app-binding');
    assert.equal(
      found.status?.ipAddress,
      '10.0.1.2',
      'the lowest address after the network address and gateway',
    );
    assert.equal(found.status?.subnetRef?.name, 'web-tier-subnet', 'the subnet named');
    assert.equal(found.status?.gateway, '10.0.1.1', "the subnet's gateway");
    const ready = found.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True', 'Ready');
    assert.equal(ready?.observedGeneration, found.metadata.generation, 'observed at the current generation');
    const held = await addresses.get(NS, 'production-network.10.0.1.2');
    assert.equal(held.spec.holder.uid, found.metadata.uid, 'the address object records the holder uid');
    assert.equal(held.spec.subnetRef.name, 'web-tier-subnet', 'and the subnet');
    const counted = await eventually('Subnet counts with one binding', async () => {
      const s = await subnets.get(NS, 'web-tier-subnet');
      return s.status?.allocatedIPs === 5 ? s : undefined;
    });
    assert.equal(counted.status?.availableIPs, 251, 'as in the specification');
    assert.equal(
      await gone(() => workloads.get(NS, 'web-app')),
      true,
      'the workload it names does not exist, and it was bound anyway',
    );
    const event = await eventOf('web-app-binding', 'Bound');
    assert.equal(event.type, 'Normal', 'binding is a Normal event');
  });

  test('Static: the address asked for; reserved, taken and outside addresses are refused with the reason', async () => {
    await bindings.create(
      binding('db-primary-binding', {
        network: 'production-network',
        subnet: 'web-tier-subnet',
        staticIP: '10.0.1.10',
      }),
    );
    const primary = await bound('db-primary-binding');
    assert.equal(primary.status?.ipAddress, '10.0.1.10', 'the Static address is honoured');

    await bindings.create(
      binding('taken-binding', {
        network: 'production-network',
        subnet: 'web-tier-subnet',
        staticIP: '10.0.1.10',
      }),
    );
    const taken = await failedWith('taken-binding', 'AddressInUse');
    const inUse = taken.status?.conditions?.find((c) => c.type === 'Bound');
    assert.match(inUse?.message ?? '', /db-primary-binding/, 'the message names the holder');
    assert.equal(taken.status?.ipAddress, undefined, 'no address');

    for (const [name, address] of [
      ['broadcast-binding', '10.0.1.255'],
      ['gateway-binding', '10.0.1.1'],
      ['second-last-binding', '10.0.1.254'],
    ] as const) {
      await bindings.create(
        binding(name, { network: 'production-network', subnet: 'web-tier-subnet', staticIP: address }),
      );
      const refused = await failedWith(name, 'AddressReserved');
      assert.equal(refused.status?.phase, 'Failed', `${address} can never be bound`);
    }
    await bindings.create(
      binding('outside-binding', {
        network: 'production-network',
        subnet: 'web-tier-subnet',
        staticIP: '10.0.2.5',
      }),
    );
    await failedWith('outside-binding', 'AddressOutOfRange');
    const warning = await eventOf('taken-binding', 'AddressInUse');
    assert.equal(warning.type, 'Warning', 'a refusal is a Warning event');
  });

  test('without subnetRef: the workload zone first, else the subnet with most free addresses', async () => {
    const east = { region: 'us-east1', zone: 'us-east1-b' };
    const central = { region: 'us-central1', zone: 'us-central1-a' };
    // First, so it is in the operators' caches well before its binding is reconciled.
    await workloads.create({
      apiVersion: 'compute.datumapis.com/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'central-app', namespace: NS },
      spec: { location: central },
    });
    await networks.create(network('zoned-network', '10.20.0.0/16'));
    await subnets.create(subnet('east-subnet', 'zoned-network', '10.20.0.0/24', east));
    await subnets.create(subnet('central-subnet', 'zoned-network', '10.20.1.0/28', central));
    await readySubnet('east-subnet');
    await readySubnet('central-subnet');
    await bindings.create(
      binding('central-app-binding', { network: 'zoned-network', workload: 'central-app' }),
    );
    await bindings.create(
      binding('nowhere-binding', { network: 'zoned-network', workload: 'not-yet-created' }),
    );
    assert.equal(
      (await bound('central-app-binding')).status?.subnetRef?.name,
      'central-subnet',
      "the workload's zone wins over more free addresses",
    );
    assert.equal(
      (await bound('nowhere-binding')).status?.subnetRef?.name,
      'east-subnet',
      'with no workload, the subnet with most free addresses',
    );
    await bindings.create(binding('static-anywhere', { network: 'zoned-network', staticIP: '10.20.1.7' }));
    const anywhere = await bound('static-anywhere');
    assert.equal(
      anywhere.status?.subnetRef?.name,
      'central-subnet',
      'a Static address finds the subnet holding it',
    );
  });

  test('a missing network is NetworkNotFound until it appears', async () => {
    await bindings.create(binding('early-binding', { network: 'late-network' }));
    await failedWith('early-binding', 'NetworkNotFound');
    await networks.create(network('late-network', '10.30.0.0/16'));
    await subnets.create(subnet('late-subnet', 'late-network', '10.30.0.0/24'));
    const found = await bound('early-binding');
    assert.equal(found.status?.ipAddress, '10.30.0.2', 'bound once the network and a Ready subnet exist');
  });

  test('exhaustion: SubnetExhausted, then bound when a binding is deleted and its address released', async () => {
    await networks.create(network('small-network', '10.40.0.0/16'));
    await subnets.create(subnet('small-subnet', 'small-network', '10.40.0.0/29'));
    await readySubnet('small-subnet');
    const names = ['small-1', 'small-2', 'small-3', 'small-4'];
    for (const name of names) {
      await bindings.create(binding(name, { network: 'small-network', subnet: 'small-subnet' }));
    }
    const held = await Promise.all(names.map(async (name) => (await bound(name)).status?.ipAddress));
    assert.deepEqual(
      [...held].sort(),
      ['10.40.0.2', '10.40.0.3', '10.40.0.4', '10.40.0.5'],
      'the four usable addresses of a /29, once each',
    );
    await bindings.create(binding('small-5', { network: 'small-network', subnet: 'small-subnet' }));
    const waiting = await failedWith('small-5', 'SubnetExhausted');
    assert.equal(waiting.status?.phase, 'Pending', 'waiting for an address to free');

    const deleted = await bindings.get(NS, 'small-2');
    const freed = deleted.status?.ipAddress;
    await bindings.delete(NS, 'small-2');
    await eventually('small-2 gone', async () =>
      (await gone(() => bindings.get(NS, 'small-2'))) ? true : undefined,
    );
    const stillHeld = (await addressesOf('small-network')).filter(
      (a) => a.spec.holder.uid === deleted.metadata.uid,
    );
    assert.deepEqual(stillHeld, [], 'its address object is deleted before the binding goes');
    const released = await eventOf('small-2', 'Released');
    assert.match(released.message ?? '', new RegExp(`${freed}`), 'the Released event names the address');
    const recovered = await bound('small-5');
    assert.equal(recovered.status?.ipAddress, freed, 'the waiting binding gets the freed address');
  });

  test('IPv6: the lowest address after the anycast and gateway, its object named with - for :', async () => {
    await networks.create({
      apiVersion: API_VERSION,
      kind: 'Network',
      metadata: { name: 'v6-network', namespace: NS },
      spec: { ipv6Blocks: ['fd00:db8::/48'] },
    });
    await subnets.create({
      ...subnet('v6-subnet', 'v6-network', 'fd00:db8::/64'),
      spec: { networkRef: { name: 'v6-network' }, cidrBlock: 'fd00:db8::/64', ipFamily: 'IPv6' },
    });
    await readySubnet('v6-subnet');
    await bindings.create(binding('v6-binding', { network: 'v6-network', subnet: 'v6-subnet' }));
    const found = await bound('v6-binding');
    assert.equal(found.status?.ipAddress, 'fd00:db8::2', 'fd00:db8:: and ::1 are reserved');
    assert.equal(found.status?.gateway, 'fd00:db8::1', 'the IPv6 gateway');
    const held = await addresses.get(NS, 'v6-network.fd00-db8--2');
    assert.equal(held.spec.holder.uid, found.metadata.uid, 'the address object, by its DNS-safe name');
  });

  test('racing operators never give one address twice, and leave no stray address objects', async () => {
    await networks.create(network('race-network', '10.50.0.0/16'));
    await subnets.create(subnet('race-subnet', 'race-network', '10.50.0.0/27'));
    await readySubnet('race-subnet');
    const racers = await Promise.all(
      ['racer-c', 'racer-d'].map((identity) =>
        startNetworkBindingOperator(server.kubeConfig, {
          identity,
          beforeCreate: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20)),
        }),
      ),
    );
    try {
      const names = Array.from({ length: 30 }, (_, i) => `race-${i}`);
      await Promise.all(
        names.map((name) =>
          bindings.create(binding(name, { network: 'race-network', subnet: 'race-subnet' })),
        ),
      );
      const settled = await eventually(
        'every race binding settled',
        async () => {
          const all = (await bindings.list(NS)).items.filter(
            (b) => b.spec.networkRef.name === 'race-network',
          );
          const done = all.filter(
            (b) => b.status?.phase === 'Bound' || b.status?.conditions?.[0]?.reason === 'SubnetExhausted',
          );
          return done.length === names.length ? all : undefined;
        },
        60_000,
      );
      const boundOnes = settled.filter((b) => b.status?.phase === 'Bound');
      assert.equal(boundOnes.length, 28, 'a /27 has 28 usable addresses');
      const ips = boundOnes.map((b) => b.status?.ipAddress);
      assert.equal(new Set(ips).size, 28, 'no address bound twice');
      const objects = await eventually('address objects settle at one per bound binding', async () => {
        const found = await addressesOf('race-network');
        return found.length === 28 ? found : undefined;
      });
      const holders = new Map(objects.map((a) => [a.spec.address, a.spec.holder.uid]));
      for (const b of boundOnes) {
        assert.equal(
          holders.get(b.status?.ipAddress ?? ''),
          b.metadata.uid,
          `${b.metadata.name} holds its address object`,
        );
      }
      const conflicts = (await Promise.all([...operators, ...racers].map((o) => o.conflicts()))).reduce(
        (sum, n) => sum + n,
        0,
      );
      assert.ok(conflicts > 0, 'operators collided on addresses (else the race never happened)');
    } finally {
      await Promise.all(racers.map((racer) => racer.stop()));
    }
  });
});
