import type { KubeConfig } from '@kubernetes/client-node';
import { NetworkKind } from '../../../api/network.ts';
import { NetworkAddressKind } from '../../../api/network-address.ts';
import { NetworkBindingKind } from '../../../api/network-binding.ts';
import { SubnetKind } from '../../../api/subnet.ts';
import { WorkloadKind } from '../../../api/workload.ts';
import type { ApiResource } from '../../../client/kube-object.ts';
import { LogBuffer } from '../../../log/log-buffer.ts';
import { createLogger } from '../../../log/logger.ts';
import { OperatorMetrics } from '../../runtime/metrics.ts';
import { OperatorApi } from '../../runtime/operator-api.ts';
import { subnetStatusController } from '../../subnet/status-controller.ts';
import type {
  AddressObject,
  BindingObject,
  NetworkObject,
  SubnetObject,
  WorkloadObject,
} from '../indexes.ts';
import { networkBindingControllers } from '../network-binding-controllers.ts';

const _EVENTS: ApiResource = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

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
  const logs = new LogBuffer();
  const logger = createLogger({ component: options.identity, buffer: logs });
  const metrics = new OperatorMetrics();
  const api = new OperatorApi(kubeConfig, {
    userAgent: `nso-test-operator/${options.identity}`,
    logger,
    component: 'network-services-operator',
    instance: options.identity,
  });
  const networks = api.informer<NetworkObject>(NetworkKind);
  const subnets = api.informer<SubnetObject>(SubnetKind);
  const bindings = api.informer<BindingObject>(NetworkBindingKind);
  const addresses = api.informer<AddressObject>(NetworkAddressKind);
  const workloads = api.informer<WorkloadObject>(WorkloadKind);
  await api.sync();
  const controllers = networkBindingControllers({
    networks,
    subnets,
    bindings,
    addresses,
    workloads,
    bindingClient: api.client(NetworkBindingKind),
    addressClient: api.client(NetworkAddressKind),
    recorder: api.recorder,
    logger,
    metrics,
    ...(options.beforeCreate === undefined ? {} : { beforeCreate: options.beforeCreate }),
  });
  if (options.subnetStatus === true) {
    controllers.push(subnetStatusController({ subnets, bindings, client: api.client(SubnetKind), logger }));
  }
  for (const controller of controllers) controller.start();
  return {
    logs,
    conflicts: () => metrics.allocations('address', 'conflict'),
    stop: async () => {
      await Promise.all(controllers.map((controller) => controller.stop()));
      await api.close();
    },
  };
}
