import type { KubeConfig } from '@kubernetes/client-node';
import { NetworkKind } from '../../../api/network.ts';
import { NetworkAllocationKind } from '../../../api/network-allocation.ts';
import { SubnetKind } from '../../../api/subnet.ts';
import { SubnetClaimKind } from '../../../api/subnet-claim.ts';
import type { ApiResource } from '../../../client/kube-object.ts';
import { LogBuffer } from '../../../log/log-buffer.ts';
import { createLogger } from '../../../log/logger.ts';
import { OperatorMetrics } from '../../runtime/metrics.ts';
import { OperatorApi } from '../../runtime/operator-api.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from '../indexes.ts';
import { subnetClaimControllers } from '../subnet-claim-controllers.ts';

const _EVENTS: ApiResource = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

export interface SubnetClaimOperator {
  readonly metrics: OperatorMetrics;
  readonly logs: LogBuffer;
  /** Lost compare-and-swaps on allocation records so far. */
  conflicts(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * What runOperator will compose for these controllers, alone: its own transport, informers, recorder and
 * metrics, so several in one process race like separate operators without leader election.
 */
export async function startSubnetClaimOperator(
  kubeConfig: KubeConfig,
  options: { readonly identity: string; readonly beforeCommit?: (network: string) => Promise<void> },
): Promise<SubnetClaimOperator> {
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
  const claims = api.informer<ClaimObject>(SubnetClaimKind);
  const subnets = api.informer<SubnetObject>(SubnetKind);
  const allocations = api.informer<RecordObject>(NetworkAllocationKind);
  await api.sync();
  const controllers = subnetClaimControllers({
    networks,
    claims,
    subnets,
    allocations,
    claimClient: api.client(SubnetClaimKind),
    subnetClient: api.client(SubnetKind),
    allocationClient: api.client(NetworkAllocationKind),
    recorder: api.recorder,
    metrics,
    logger,
    ...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
  });
  for (const controller of controllers) controller.start();
  return {
    metrics,
    logs,
    conflicts: () => metrics.allocations('subnet', 'conflict'),
    stop: async () => {
      await Promise.all(controllers.map((controller) => controller.stop()));
      await api.close();
    },
  };
}
