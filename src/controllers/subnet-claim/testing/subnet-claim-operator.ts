import type { KubeConfig } from '@kubernetes/client-node';
import { NetworkKind } from '../../../api/network.ts';
import { NetworkAllocationKind } from '../../../api/network-allocation.ts';
import { SubnetKind } from '../../../api/subnet.ts';
import { SubnetClaimKind } from '../../../api/subnet-claim.ts';
import { ApiTransport } from '../../../client/api-transport.ts';
import { Informer } from '../../../client/informer.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../../../client/kube-object.ts';
import { ResourceClient } from '../../../client/resource-client.ts';
import { LogBuffer } from '../../../log/log-buffer.ts';
import { createLogger } from '../../../log/logger.ts';
import { eventSink } from '../../runtime/client-adapters.ts';
import { type CoreEvent, EventRecorder } from '../../runtime/event-recorder.ts';
import { OperatorMetrics } from '../../runtime/metrics.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from '../indexes.ts';
import { subnetClaimControllers } from '../subnet-claim-controllers.ts';

const EVENTS: ApiResource = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };

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
  const claims = informer<ClaimObject>(apiResourceOf(SubnetClaimKind));
  const subnets = informer<SubnetObject>(apiResourceOf(SubnetKind));
  const allocations = informer<RecordObject>(apiResourceOf(NetworkAllocationKind));
  const informers = [networks, claims, subnets, allocations] as const;
  for (const each of informers) each.start();
  await Promise.all(informers.map((each) => each.waitForSync()));
  const recorder = new EventRecorder({
    sink: eventSink(client<CoreEvent & KubeObject>(EVENTS)),
    component: 'network-services-operator',
    instance: options.identity,
    logger,
  });
  const controllers = subnetClaimControllers({
    networks,
    claims,
    subnets,
    allocations,
    claimClient: client(apiResourceOf(SubnetClaimKind)),
    subnetClient: client(apiResourceOf(SubnetKind)),
    allocationClient: client(apiResourceOf(NetworkAllocationKind)),
    recorder,
    metrics,
    logger,
    ...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
  });
  for (const controller of controllers) controller.start();
  return {
    metrics,
    logs,
    conflicts: async () => {
      const counter = await metrics.registry.getSingleMetric('nso_ipam_allocations_total')?.get();
      return (counter?.values ?? [])
        .filter((value) => value.labels.kind === 'subnet' && value.labels.outcome === 'conflict')
        .reduce((sum, value) => sum + value.value, 0);
    },
    stop: async () => {
      await Promise.all(controllers.map((controller) => controller.stop()));
      await Promise.all(informers.map((each) => each.stop()));
      transport.close();
    },
  };
}
