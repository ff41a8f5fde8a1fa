// The Network finalizer through the operator's composition against a real API server: deleting a network
// deletes the claims, subnets, bindings and contexts that reference it (blocks and addresses freed, the
// provider torn down) before the network goes; the NetworkAllocation record follows it, the workload stays.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Network, NetworkKind } from '../../api/network.ts';
import { type NetworkAddress, NetworkAddressKind } from '../../api/network-address.ts';
import { type NetworkAllocation, NetworkAllocationKind } from '../../api/network-allocation.ts';
import { type NetworkBinding, NetworkBindingKind } from '../../api/network-binding.ts';
import { type NetworkContext, NetworkContextKind } from '../../api/network-context.ts';
import { type Subnet, SubnetKind } from '../../api/subnet.ts';
import { type SubnetClaim, SubnetClaimKind } from '../../api/subnet-claim.ts';
import { type Workload, WorkloadKind } from '../../api/workload.ts';
import { runOperator } from '../../cli/operator.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { FakeProvider } from '../../providers/fake/fake-provider.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import { NETWORK_CLEANUP_FINALIZER } from './cleanup-finalizer.ts';

const NS = 'default';
const NET = 'doomed-network';

const API_VERSION = 'networking.datumapis.com/v1alpha1';
type Loose = KubeObject & Record<string, unknown>;

describe('the Network finalizer', { timeout: 90_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  const stop = new AbortController();
  let running: Promise<void>;
  const fake = new FakeProvider('fake');
  const clients = {} as {
    networks: ResourceClient<Network & KubeObject>;
    claims: ResourceClient<SubnetClaim & KubeObject>;
    subnets: ResourceClient<Subnet & KubeObject>;
    bindings: ResourceClient<NetworkBinding & KubeObject>;
    addresses: ResourceClient<NetworkAddress & KubeObject>;
    contexts: ResourceClient<NetworkContext & KubeObject>;
    allocations: ResourceClient<NetworkAllocation & KubeObject>;
    workloads: ResourceClient<Workload & KubeObject>;
    events: ResourceClient<Loose>;
  };

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    const client = <T extends KubeObject>(resource: ApiResource) =>
      new ResourceClient<T>(transport, resource);
    Object.assign(clients, {
      networks: client(apiResourceOf(NetworkKind)),
      claims: client(apiResourceOf(SubnetClaimKind)),
      subnets: client(apiResourceOf(SubnetKind)),
      bindings: client(apiResourceOf(NetworkBindingKind)),
      addresses: client(apiResourceOf(NetworkAddressKind)),
      contexts: client(apiResourceOf(NetworkContextKind)),
      allocations: client(apiResourceOf(NetworkAllocationKind)),
      workloads: client(apiResourceOf(WorkloadKind)),
      events: client(EVENTS),
    });
    running = runOperator(
      {
        kubeConfig: server.kubeConfig,
        logger: createLogger({ component: 'operator', buffer: new LogBuffer() }),
        identity: 'test',
        leaderElection: false,
        providers: new Map([[fake.name, fake]]),
      },
      stop.signal,
    );
  });
  after(async () => {
    stop.abort();
    await running;
    transport.close();
    await server.close();
  });

  const absent = async (read: () => Promise<unknown>): Promise<boolean> => {
    try {
      await read();
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  };
  const referring = { fieldSelector: `spec.networkRef.name=${NET}` };

  test('a live network holds the finalizer', async () => {
    await clients.networks.create({
      apiVersion: API_VERSION,
      kind: 'Network',
      metadata: { name: NET, namespace: NS },
      spec: {
        ipv4Blocks: ['10.80.0.0/16'],
        regions: [{ name: 'us-central1', subnetClaims: [{ prefixLength: 26 }] }],
      },
    });
    const held = await eventually('the finalizer on the network', async () => {
      const network = await clients.networks.get(NS, NET);
      return NETWORK_CLEANUP_FINALIZER.on(network) ? network : undefined;
    });
    assert.ok(held.metadata.deletionTimestamp === undefined, 'and it is not being deleted');
  });

  test('deleting a network cascades', async () => {
    await clients.claims.create({
      apiVersion: API_VERSION,
      kind: 'SubnetClaim',
      metadata: { name: 'app-subnet-claim', namespace: NS },
      spec: { networkRef: { name: NET }, prefixLength: 24 },
    });
    await clients.subnets.create({
      apiVersion: API_VERSION,
      kind: 'Subnet',
      metadata: { name: 'manual-subnet', namespace: NS },
      spec: { networkRef: { name: NET }, cidrBlock: '10.80.200.0/24', ipFamily: 'IPv4' },
    });
    await clients.bindings.create({
      apiVersion: API_VERSION,
      kind: 'NetworkBinding',
      metadata: { name: 'db-binding', namespace: NS },
      spec: {
        workloadRef: { name: 'db', kind: 'Workload' },
        networkRef: { name: NET },
        subnetRef: { name: 'manual-subnet' },
        ipAddressAllocation: { type: 'Dynamic' },
      },
    });
    await clients.workloads.create({
      apiVersion: 'compute.datumapis.com/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'web-app', namespace: NS },
      spec: { networkInterfaces: [{ network: { name: NET }, subnet: { name: 'app-subnet' } }] },
    });
    await clients.contexts.create({
      apiVersion: API_VERSION,
      kind: 'NetworkContext',
      metadata: { name: 'doomed-context', namespace: NS },
      spec: {
        networkRef: { name: NET },
        providerConfig: { fake: {} } as NetworkContext['spec']['providerConfig'],
      },
    });

    const claim = await eventually('app-subnet-claim bound', async () => {
      const found = await clients.claims.get(NS, 'app-subnet-claim');
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    assert.equal(claim.status?.subnetRef?.name, 'app-subnet', 'the claim has its Subnet');
    await eventually('the region claim bound', async () => {
      const found = await clients.claims.get(NS, `${NET}-us-central1`);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    const dbBinding = await eventually('db-binding bound', async () => {
      const found = await clients.bindings.get(NS, 'db-binding');
      return found.status?.phase === 'Bound' ? found : undefined;
    });
    const workload = await eventually('web-app ready', async () => {
      const found = await clients.workloads.get(NS, 'web-app');
      return found.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? found : undefined;
    });
    const webBinding = await clients.bindings.get(NS, `web-app-${NET}`);
    await eventually('doomed-context programmed', async () => {
      const found = await clients.contexts.get(NS, 'doomed-context');
      return found.status?.conditions?.find((c) => c.type === 'Programmed')?.status === 'True'
        ? found
        : undefined;
    });
    const addressesBefore = (await clients.addresses.list(NS)).items.filter(
      (a) => a.spec.networkRef.name === NET,
    );
    assert.deepEqual(
      addressesBefore.map((a) => a.spec.holder.name).sort(),
      ['db-binding', `web-app-${NET}`],
      'both bindings hold an address before the delete',
    );
    assert.ok(
      await clients.allocations.get(NS, NET),
      'the network has its NetworkAllocation record before the delete',
    );

    await clients.networks.delete(NS, NET);
    await eventually(
      'the network gone',
      async () => ((await absent(() => clients.networks.get(NS, NET))) ? true : undefined),
      30_000,
    );

    assert.deepEqual(
      (await clients.claims.list(NS, referring)).items,
      [],
      'every claim of the network is gone',
    );
    assert.deepEqual(
      (await clients.subnets.list(NS, referring)).items,
      [],
      'every subnet of the network is gone',
    );
    assert.deepEqual((await clients.contexts.list(NS, referring)).items, [], 'its context is gone');
    assert.ok(await absent(() => clients.bindings.get(NS, 'db-binding')), 'the hand-written binding is gone');
    const left = (await clients.bindings.list(NS, referring)).items;
    assert.ok(
      left.every(
        (b) => b.metadata.uid !== webBinding.metadata.uid && b.metadata.uid !== dbBinding.metadata.uid,
      ),
      'the bindings that existed before the delete are gone',
    );
    assert.ok(
      left.every((b) => b.status?.ipAddress === undefined),
      'a binding the workload made once the network was gone holds no address',
    );
    assert.deepEqual(
      (await clients.addresses.list(NS)).items.filter((a) => a.spec.networkRef.name === NET),
      [],
      'every address of the network is released',
    );
    assert.ok(
      fake.calls.some((call) => call.method === 'deleteNetwork' && call.context.name === 'doomed-context'),
      'the provider tore the network down',
    );
    await eventually('the NetworkAllocation record collected', async () =>
      (await absent(() => clients.allocations.get(NS, NET))) ? true : undefined,
    );
    const still = await clients.workloads.get(NS, 'web-app');
    assert.equal(still.metadata.uid, workload.metadata.uid, 'the workload itself stays');

    const deleting = (
      await clients.events.list(NS, { fieldSelector: `involvedObject.name=${NET}` })
    ).items.filter((event) => event.reason === 'Deleting');
    const first = 'deleting 2 subnet claims, 3 subnets, 2 bindings, 1 context';
    assert.ok(
      deleting.some((event) => event.message === first),
      `a Deleting Event on the network naming what the first round deleted, got ${JSON.stringify(deleting.map((e) => e.message))}`,
    );
  });
});
