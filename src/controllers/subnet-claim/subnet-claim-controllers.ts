import type { Informer } from '../../client/informer.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Controller } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { subnetClaimController } from './claim-controller.ts';
import { ClaimOutcomes } from './claim-outcomes.ts';
import {
  addClaimIndexes,
  addSubnetIndexes,
  type ClaimObject,
  type NetworkObject,
  type RecordObject,
  type SubnetObject,
} from './indexes.ts';
import { networkAllocatorController } from './network-allocator.ts';

export interface SubnetClaimControllersOptions {
  readonly networks: Informer<NetworkObject>;
  readonly claims: Informer<ClaimObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly allocations: Informer<RecordObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly subnetClient: ResourceClient<SubnetObject>;
  readonly allocationClient: ResourceClient<RecordObject>;
  readonly recorder?: EventRecorder;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Workers of each controller: networks allocated at once (8) and claims finished at once (32). */
  readonly workers?: { readonly allocator?: number; readonly claims?: number };
  /** Runs between reading a network's record and writing it back: tests widen the race window with it. */
  readonly beforeCommit?: (network: string) => Promise<void>;
}

/**
 * SubnetClaim → Subnet as two controllers over shared caches: the allocator, one key per network, commits
 * every waiting claim's block in one compare-and-swap of the network's NetworkAllocation; the claim
 * controller, one key per claim, keeps the finalizer, the Subnet and the status. Run both; both are safe to
 * run in several operators at once.
 */
export function subnetClaimControllers(options: SubnetClaimControllersOptions): [Controller, Controller] {
  addClaimIndexes(options.claims);
  addSubnetIndexes(options.subnets);
  const outcomes = new ClaimOutcomes();
  const optional = {
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  let allocator: Controller | undefined;
  const claims = subnetClaimController({
    claims: options.claims,
    networks: options.networks,
    subnets: options.subnets,
    records: options.allocations,
    claimClient: options.claimClient,
    subnetClient: options.subnetClient,
    recordClient: options.allocationClient,
    outcomes,
    requestAllocation: (network) => allocator?.enqueue(network),
    ...optional,
    ...(options.recorder === undefined ? {} : { recorder: options.recorder }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.workers?.claims === undefined ? {} : { workers: options.workers.claims }),
  });
  allocator = networkAllocatorController({
    networks: options.networks,
    claims: options.claims,
    subnets: options.subnets,
    records: options.allocations,
    recordClient: options.allocationClient,
    claimClient: options.claimClient,
    subnetClient: options.subnetClient,
    outcomes,
    notifyClaim: (key) => claims.enqueue(key),
    ...optional,
    ...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.workers?.allocator === undefined ? {} : { workers: options.workers.allocator }),
  });
  return [allocator, claims];
}
