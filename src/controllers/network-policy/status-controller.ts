import { isDeepStrictEqual } from 'node:util';
import type { Network } from '../../api/network.ts';
import type { NetworkPolicy } from '../../api/network-policy.ts';
import type { Workload } from '../../api/workload.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import {
  type CompiledPolicies,
  compilePolicies,
  type NamespaceInput,
  policyReport,
} from '../../policy/index.ts';
import { changeCount, informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { objectKey, splitKey } from '../runtime/object-key.ts';
import { policyStatus } from './policy-status.ts';

type Object<T> = T & KubeObject;

export interface NetworkPolicyStatusOptions {
  readonly policies: Informer<Object<NetworkPolicy>>;
  readonly workloads: Informer<Object<Workload>>;
  readonly networks: Informer<Object<Network>>;
  readonly namespaces: Informer<NamespaceInput & KubeObject>;
  readonly client: ResourceClient<Object<NetworkPolicy>>;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Writes every NetworkPolicy's status: the workloads it selects (count and up to 20 names), its policyTypes
 * as defaulted, warnings for what is valid but probably not meant, and condition Accepted. Any change to a
 * workload, network or namespace can change what a policy selects, so each re-queues every policy; the
 * engine compiles once per change of the informers' state, however many policies are then reconciled.
 */
export function networkPolicyStatusController(options: NetworkPolicyStatusOptions): Controller {
  const clock = options.clock ?? systemClock;
  // Counted by handlers added before the controller's own, so a reconcile never sees a stale compilation.
  const counts = [options.policies, options.workloads, options.networks, options.namespaces].map((informer) =>
    changeCount(informer as Informer<KubeObject>),
  );
  const changesNow = (): number => counts.reduce((sum, count) => sum + count(), 0);
  let compiled: { changes: number; policies: CompiledPolicies } | undefined;
  const current = (): CompiledPolicies => {
    const changes = changesNow();
    if (compiled?.changes !== changes) {
      compiled = {
        changes,
        policies: compilePolicies({
          namespaces: options.namespaces.list(),
          networks: options.networks.list(),
          workloads: options.workloads.list(),
          policies: options.policies.list(),
        }),
      };
    }
    return compiled.policies;
  };

  const controller = new Controller({
    name: 'networkpolicy-status',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    clock,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const policy = options.policies.get(namespace, name);
      if (policy === undefined || policy.metadata.deletionTimestamp !== undefined) return undefined;
      const report = policyReport(current(), key);
      if (report === undefined) return { requeueAfter: 1000 };
      const status = policyStatus(
        policy,
        report,
        new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      );
      if (isDeepStrictEqual(status, policy.status ?? {})) return undefined;
      try {
        await options.client.updateStatus({ ...policy, status });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        // The cache was behind the server: try again once the watch has brought the newer object.
        if (isConflict(error)) return { requeue: true };
        throw error;
      }
      const before = new Set(policy.status?.warnings ?? []);
      for (const warning of report.warnings) {
        if (!before.has(`${warning.field}: ${warning.message}`)) {
          void options.recorder?.record(
            policy,
            'Warning',
            warning.reason,
            `${warning.field}: ${warning.message}`,
          );
        }
      }
      return undefined;
    },
  });
  const everyPolicy = () => options.policies.list().map(objectKey);
  controller.watch(informerSource(options.policies));
  controller.watch(informerSource(options.workloads), everyPolicy);
  controller.watch(informerSource(options.networks), everyPolicy);
  controller.watch(informerSource(options.namespaces), everyPolicy);
  return controller;
}
