import type { KubeConfig } from '@kubernetes/client-node';
import { NetworkKind } from '../../../api/network.ts';
import { NetworkAddressKind } from '../../../api/network-address.ts';
import { NetworkBindingKind } from '../../../api/network-binding.ts';
import { SubnetKind } from '../../../api/subnet.ts';
import { WorkloadKind } from '../../../api/workload.ts';
import { ApiTransport } from '../../../client/api-transport.ts';
import { Informer } from '../../../client/informer.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../../../client/kube-object.ts';
import { ResourceClient } from '../../../client/resource-client.ts';
import { LogBuffer } from '../../../log/log-buffer.ts';
import { createLogger } from '../../../log/logger.ts';
import { eventSink } from '../../runtime/client-adapters.ts';
import { type CoreEvent, EventRecorder } from '../../runtime/event-recorder.ts';
import { OperatorMetrics } from '../../runtime/metrics.ts';
import { subnetStatusController } from '../../subnet/status-controller.ts';
import type {
  AddressObject,
  BindingObject,
  NetworkObject,
  SubnetObject,
  WorkloadObject,
} from '../indexes.ts';
import { networkBindingControllers } from '../network-binding-controllers.ts';

const EVENTS: ApiResource = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

export interface NetworkBindingOperator {
  readonly logs: LogBuffer;
  /** Address creations refused as taken, and statuses lost to another writer, so far. */
  conflicts(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The binding controllers alone, with their own transport and caches, and optionally the Subnet status
 * controller: several in one process race like separate operators.
 */
export async function startNetworkBindingOperator(
  kubeConfig: KubeConfig,
  options: {
    readonly identity: string;
    readonly subnetStatus?: boolean;
    readonly beforeCreate?: (address: string) => Promise<void>;
  },
): Promise<NetworkBindingOperator> {
  const transport = new ApiTransport(kubeConfig, { userAgent: `nso-test-operator/${options.identity}` });
  const logs = new LogBuffer();
  const logger = createLogger({ component: options.identity, buffer: logs });
  const metrics = new OperatorMetrics();
  const client = <T extends KubeObject>(resource: ApiResource) => new ResourceClient<T>(transport, resource);
  const informer = <T extends KubeObject>(resource: ApiResource) =>
    new Informer<T>(client<T>(resource), {
      onError: (error) => logger.warn('watch failed', { resource: resource.plural, error: String(error) }),
    });
  const networks = informer<NetworkObject>(apiResourceOf(NetworkKind));
  const subnets = informer<SubnetObject>(apiResourceOf(SubnetKind));
  const bindings = informer<BindingObject>(apiResourceOf(NetworkBindingKind));
  const addresses = informer<AddressObject>(apiResourceOf(NetworkAddressKind));
  const workloads = informer<WorkloadObject>(apiResourceOf(WorkloadKind));
  const informers = [networks, subnets, bindings, addresses, workloads] as const;
  for (const each of informers) each.start();
  await Promise.all(informers.map((each) => each.waitForSync()));
  const recorder = new EventRecorder({
    sink: eventSink(client<CoreEvent & KubeObject>(EVENTS)),
    component: 'network-services-operator',
    instance: options.identity,
    logger,
  });
  const controllers = networkBindingControllers({
    networks,
    subnets,
    bindings,
    addresses,
    workloads,
    bindingClient: client(apiResourceOf(NetworkBindingKind)),
    addressClient: client(apiResourceOf(NetworkAddressKind)),
    recorder,
    logger,
    metrics,
    ...(options.beforeCreate === undefined ? {} : { beforeCreate: options.beforeCreate }),
  });
  if (options.subnetStatus === true) {
    controllers.push(
      subnetStatusController({ subnets, bindings, client: client(apiResourceOf(SubnetKind)), logger }),
    );
  }
  for (const controller of controllers) controller.start();
  return {
    logs,
    conflicts: async () => {
      const counter = await metrics.registry.getSingleMetric('nso_ipam_allocations_total')?.get();
      return (counter?.values ?? [])
        .filter((value) => value.labels.kind === 'address' && value.labels.outcome === 'conflict')
        .reduce((sum, value) => sum + value.value, 0);
    },
    stop: async () => {
      await Promise.all(controllers.map((controller) => controller.stop()));
      await Promise.all(informers.map((each) => each.stop()));
      transport.close();
    },
  };
}
