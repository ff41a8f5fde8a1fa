// Workload → one owned NetworkBinding per interface against a real API server with the binding controllers:
// the specification's web-app gets its address reported in status.interfaces, a removed interface's binding
// is deleted, deleting the workload deletes its bindings and frees their addresses, and a network being
// deleted gets no binding (the status says why) until it is gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import { NetworkAddressKind } from '../../api/network-address.ts';
import { NetworkBindingKind } from '../../api/network-binding.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { WorkloadKind } from '../../api/workload.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { Informer } from '../../client/informer.ts';
import { apiResourceOf } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import type { AddressObject, NetworkObject, SubnetObject } from '../network-binding/indexes.ts';
import {
  type NetworkBindingOperator,
  startNetworkBindingOperator,
} from '../network-binding/testing/network-binding-operator.ts';
import type { Controller } from '../runtime/controller.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import { type BindingObject, type WorkloadObject, workloadControllers } from './workload-controller.ts';

const NS = 'default';

describe('the Workload controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let bindingOperator: NetworkBindingOperator;
  let controllers: Controller[];
  let informers: Informer<WorkloadObject | BindingObject | NetworkObject>[];
  let workloads: ResourceClient<WorkloadObject>;
  let bindings: ResourceClient<BindingObject>;
  let addresses: ResourceClient<AddressObject>;
  let networks: ResourceClient<NetworkObject>;
  let networkCache: Informer<NetworkObject>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    workloads = new ResourceClient(transport, apiResourceOf(WorkloadKind));
    bindings = new ResourceClient(transport, apiResourceOf(NetworkBindingKind));
    addresses = new ResourceClient(transport, apiResourceOf(NetworkAddressKind));
    bindingOperator = await startNetworkBindingOperator(server.kubeConfig, {
      identity: 'bindings',
      subnetStatus: true,
    });
    const workloadInformer = new Informer<WorkloadObject>(workloads);
    networks = new ResourceClient<NetworkObject>(transport, apiResourceOf(NetworkKind));
    const bindingInformer = new Informer<BindingObject>(bindings);
    const networkInformer = new Informer<NetworkObject>(networks);
    networkCache = networkInformer;
    informers = [workloadInformer, bindingInformer, networkInformer] as Informer<
      WorkloadObject | BindingObject | NetworkObject
    >[];
    for (const each of informers) each.start();
    await Promise.all(informers.map((each) => each.waitForSync()));
    controllers = workloadControllers({
      workloads: workloadInformer,
      bindings: bindingInformer,
      networks: networkInformer,
      workloadClient: workloads,
      bindingClient: bindings,
    });
    for (const controller of controllers) controller.start();
    const subnets = new ResourceClient<SubnetObject>(transport, apiResourceOf(SubnetKind));
    for (const [name, block] of [
      ['production-network', '10.0.0.0/16'],
      ['backup-network', '10.60.0.0/16'],
    ] as const) {
      await networks.create({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name, namespace: NS },
        spec: { ipv4Blocks: [block] },
      });
    }
    for (const [name, network, cidrBlock] of [
      ['web-tier-subnet', 'production-network', '10.0.1.0/24'],
      ['backup-subnet', 'backup-network', '10.60.0.0/24'],
    ] as const) {
      await subnets.create({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Subnet',
        metadata: { name, namespace: NS },
        spec: { networkRef: { name: network }, cidrBlock, ipFamily: 'IPv4' },
      });
    }
  });
  after(async () => {
    await Promise.all(controllers.map((controller) => controller.stop()));
    await Promise.all(informers.map((each) => each.stop()));
    await bindingOperator.stop();
    transport.close();
    await server.close();
  });

  const workloadWhere = (check: (w: WorkloadObject) => boolean) =>
    eventually('web-app as expected', async () => {
      const found = await workloads.get(NS, 'web-app');
      return check(found) ? found : undefined;
    });
  const gone = async (name: string) => {
    try {
      await bindings.get(NS, name);
      return undefined;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  };

  test("the specification's web-app: one binding per interface, addresses in status.interfaces", async () => {
    await workloads.create({
      apiVersion: 'compute.datumapis.com/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'web-app', namespace: NS, labels: { tier: 'web' } },
      spec: {
        location: { region: 'us-central1', zone: 'us-central1-a' },
        networkInterfaces: [
          { network: { name: 'production-network' }, subnet: { name: 'web-tier-subnet' } },
          { network: { name: 'backup-network' }, ipAddress: '10.60.0.9' },
        ],
      },
    });
    const ready = await workloadWhere(
      (w) => w.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    );
    assert.deepEqual(
      ready.status?.interfaces,
      [
        {
          network: 'production-network',
          binding: 'web-app-production-network',
          subnet: 'web-tier-subnet',
          ipAddress: '10.0.1.2',
        },
        {
          network: 'backup-network',
          binding: 'web-app-backup-network',
          subnet: 'backup-subnet',
          ipAddress: '10.60.0.9',
        },
      ],
      'each interface with its binding, subnet and address',
    );
    const made = await bindings.get(NS, 'web-app-production-network');
    const owner = made.metadata.ownerReferences?.[0];
    assert.equal(owner?.uid, ready.metadata.uid, 'the binding is owned by the workload');
    assert.equal(owner?.controller, true, 'as its controller');
    assert.equal(made.spec.workloadRef.name, 'web-app', 'and names it');
  });

  test('a removed interface loses its binding; deleting the workload frees every address', async () => {
    const current = await workloads.get(NS, 'web-app');
    await workloads.update({
      ...current,
      spec: { ...current.spec, networkInterfaces: (current.spec.networkInterfaces ?? []).slice(0, 1) },
    });
    await eventually('the backup binding deleted', () => gone('web-app-backup-network'));
    const one = await workloadWhere((w) => w.status?.interfaces?.length === 1);
    assert.equal(one.status?.interfaces?.[0]?.network, 'production-network', 'the remaining interface');

    await workloads.delete(NS, 'web-app');
    await eventually('the production binding deleted with its workload', () =>
      gone('web-app-production-network'),
    );
    const left = await eventually('no address objects left', async () => {
      const items = (await addresses.list(NS)).items;
      return items.length === 0 ? items : undefined;
    });
    assert.deepEqual(left, [], 'every address released');
  });

  test('no binding for a network being deleted, saying so in status; one once the network is gone', async () => {
    const hold = 'test.nso.dev/hold';
    await networks.create({
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'doomed-network', namespace: NS, finalizers: [hold] },
      spec: { ipv4Blocks: ['10.70.0.0/16'] },
    });
    await networks.delete(NS, 'doomed-network');
    await eventually(
      'the cache sees doomed-network being deleted',
      async () => networkCache.get(NS, 'doomed-network')?.metadata.deletionTimestamp,
    );
    await workloads.create({
      apiVersion: 'compute.datumapis.com/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'batch-job', namespace: NS },
      spec: { networkInterfaces: [{ network: { name: 'doomed-network' } }] },
    });
    const ready = await eventually('batch-job says why it has no binding', async () => {
      const found = (await workloads.get(NS, 'batch-job')).status?.conditions?.find(
        (c) => c.type === 'Ready',
      );
      return found?.reason === 'BindingFailed' ? found : undefined;
    });
    assert.equal(ready.status, 'False', 'not ready');
    assert.match(ready.message, /network doomed-network is being deleted/, 'naming the network and why');
    assert.equal(await gone('batch-job-doomed-network'), true, 'no binding was made for it');

    const doomed = await networks.get(NS, 'doomed-network');
    await networks.update({ ...doomed, metadata: { ...doomed.metadata, finalizers: [] } });
    const made = await eventually('a binding once doomed-network is gone', async () => {
      try {
        return await bindings.get(NS, 'batch-job-doomed-network');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
    assert.equal(made.spec.networkRef.name, 'doomed-network', 'waiting for a network of that name');
  });
});
