import { isDeepStrictEqual } from 'node:util';
import type { Network } from '../../api/network.ts';
import type { Subnet } from '../../api/subnet.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { changedKeys } from '../runtime/changed-keys.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { keyOf, objectKey, splitKey } from '../runtime/object-key.ts';
import { sameSpecAndLife } from '../runtime/object-versions.ts';
import { peeringStatuses } from './peerings.ts';
import { networkUsage } from './usage.ts';

type NetworkObject = Network & KubeObject;
type SubnetObject = Subnet & KubeObject;
type NetworkStatus = NonNullable<Network['status']>;
type StatusCondition = NonNullable<NetworkStatus['conditions']>[number];

/** Subnets filed under the key of the network they belong to. */
export const SUBNETS_BY_NETWORK = 'network';

export interface NetworkStatusOptions {
  readonly networks: Informer<NetworkObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly client: ResourceClient<NetworkObject>;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Writes each Network's status: per family size, allocated, available and largest free prefix (from its
 * subnets, through the allocator), the state of every peering it declares or is the target of, and Ready.
 * Conditions of other types (written by other controllers) are kept. A peering turning Conflict and a
 * subnet that does not fit are Warning Events. Any network change re-queues every network, since a peering's
 * state depends on both sides and on the hub's other peers; a subnet change re-queues its network.
 */
export function networkStatusController(options: NetworkStatusOptions): Controller {
  const clock = options.clock ?? systemClock;
  ensureIndex(options.subnets, SUBNETS_BY_NETWORK, (subnet) => [subnetNetworkKey(subnet)]);
  const lastWrite = new Map<string, number>();
  /** Networks whose peerings may have changed since their last reconcile: those do not wait. */
  const networksChanged = new Set<string>();
  const controller = new Controller({
    name: 'network-status',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    clock,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const network = options.networks.get(namespace, name);
      if (network === undefined || network.metadata.deletionTimestamp !== undefined) {
        lastWrite.delete(key);
        networksChanged.delete(key);
        return undefined;
      }
      // Only Subnets changed since the last write: their figures wait for the interval, and are not even
      // counted until then (counting reads every Subnet of the network).
      const due = (lastWrite.get(key) ?? Number.NEGATIVE_INFINITY) + USAGE_INTERVAL_MS - clock.now();
      if (due > 0 && !networksChanged.has(key)) return { requeueAfter: due };
      networksChanged.delete(key);
      const subnets = options.subnets.byIndex(SUBNETS_BY_NETWORK, key);
      const usage = networkUsage(
        network,
        subnets.flatMap((subnet) =>
          subnet.spec.cidrBlock === undefined
            ? []
            : [{ owner: objectKey(subnet), cidr: subnet.spec.cidrBlock }],
        ),
      );
      const peerings = peeringStatuses(network, options.networks.list());
      const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      const status = statusOf(network, usage, peerings, now);
      if (isDeepStrictEqual(status, network.status ?? {})) return undefined;
      if (due > 0 && sameButUsage(status, network.status ?? {})) return { requeueAfter: due };
      try {
        await options.client.updateStatus({ ...network, status });
        lastWrite.set(key, clock.now());
      } catch (error) {
        if (isNotFound(error)) return undefined;
        // The cache was behind the server: try again once the watch has brought the newer object.
        if (isConflict(error)) return { requeue: true };
        throw error;
      }
      const before = new Map(
        (network.status?.peerings ?? []).map((p) => [JSON.stringify(p.networkRef), p.state]),
      );
      for (const peering of peerings) {
        if (peering.state === 'Conflict' && before.get(JSON.stringify(peering.networkRef)) !== 'Conflict') {
          void options.recorder?.record(network, 'Warning', 'PeeringConflict', peering.message ?? '');
        }
      }
      for (const problem of usage.problems)
        void options.recorder?.record(network, 'Warning', 'SubnetConflict', problem);
      return undefined;
    },
  });
  // A peering's state reads the spec of both sides and of the hub's other peers, so a change of any network's
  // spec (or its coming and going) concerns every network; a status write concerns only its own.
  controller.watch(
    changedKeys(options.networks, (before, after) => {
      if (before !== undefined && after !== undefined && sameSpecAndLife(before, after))
        return [objectKey(after)];
      const keys = options.networks.list().map(objectKey);
      for (const key of keys) networksChanged.add(key);
      return keys;
    }),
    (keys) => keys,
  );

  controller.watch(informerSource(options.subnets), (subnet) => [subnetNetworkKey(subnet)]);
  return controller;
}

/**
 * How long a status that differs only in its usage figures waits after the last write: while claims are
 * being allocated every new Subnet changes them, and one write a second per network says as much.
 */
const USAGE_INTERVAL_MS = 1000;

/** Whether two statuses differ at most in the usage figures (and the Ready message that quotes them). */
function sameButUsage(a: NetworkStatus, b: NetworkStatus): boolean {
  const withoutUsage = ({ ipv4: _ipv4, ipv6: _ipv6, conditions, ...rest }: NetworkStatus) => ({
    ...rest,
    conditions: conditions?.map(({ message: _message, ...condition }) => condition),
  });
  return isDeepStrictEqual(withoutUsage(a), withoutUsage(b));
}

function statusOf(
  network: NetworkObject,
  usage: ReturnType<typeof networkUsage>,
  peerings: NetworkStatus['peerings'] & object,
  now: string,
): NetworkStatus {
  const generation = network.metadata.generation;
  const families = [
    usage.ipv4 && `IPv4 ${usage.ipv4.allocated}/${usage.ipv4.size}`,
    usage.ipv6 && `IPv6 ${usage.ipv6.allocated}/${usage.ipv6.size}`,
  ]
    .filter(Boolean)
    .join(', ');
  const ready: StatusCondition = {
    type: 'Ready',
    status: 'True',
    reason: usage.problems.length === 0 ? 'Ready' : 'SubnetConflict',
    message:
      `addresses allocated: ${families || 'none'}` +
      (usage.problems.length === 0
        ? ''
        : `; ${usage.problems.length} subnet(s) do not fit: ${usage.problems[0]}`),
    lastTransitionTime: now,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  const previous = network.status?.conditions ?? [];
  const previousReady = previous.find((condition) => condition.type === 'Ready');
  const conditions = [
    ...previous.filter((condition) => condition.type !== 'Ready'),
    previousReady?.status === ready.status
      ? { ...ready, lastTransitionTime: previousReady.lastTransitionTime }
      : ready,
  ];
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions,
    ...(usage.ipv4 === undefined ? {} : { ipv4: usage.ipv4 }),
    ...(usage.ipv6 === undefined ? {} : { ipv6: usage.ipv6 }),
    ...(peerings.length === 0 ? {} : { peerings }),
  };
}

function subnetNetworkKey(subnet: SubnetObject): string {
  const ref = subnet.spec.networkRef as { name: string; namespace?: string };
  return keyOf(ref.namespace ?? subnet.metadata.namespace, ref.name);
}
