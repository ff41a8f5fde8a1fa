import { isDeepStrictEqual } from 'node:util';
import type { NetworkBinding } from '../../api/network-binding.ts';
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
import {
  BY_NETWORK,
  claimUidsOf,
  type NetworkObject,
  networkKeyOf,
  type RecordObject,
} from '../subnet-claim/indexes.ts';
import { recordEntries } from '../subnet-claim/record-entries.ts';
import { HELD, type SubnetPlacement, subnetPlacement } from './subnet-placement.ts';
import { subnetStatus } from './subnet-status.ts';

type SubnetObject = Subnet & KubeObject;
type BindingObject = NetworkBinding & KubeObject;
type SubnetStatus = NonNullable<Subnet['status']>;

/** Bindings filed under the key of the subnet their address is in. */
const BINDINGS_BY_SUBNET = 'boundSubnet';

export interface SubnetStatusOptions {
  readonly subnets: Informer<SubnetObject>;
  readonly bindings: Informer<BindingObject>;
  readonly client: ResourceClient<SubnetObject>;
  /**
   * The networks and their allocation records, against which a Subnet written by hand is Ready only once
   * reserved. Without them (operators of bindings alone, in tests) every Subnet is taken as written.
   */
  readonly allocation?: {
    readonly networks: Informer<NetworkObject>;
    readonly records: Informer<RecordObject>;
  };
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Writes each Subnet's status — phase, gateway, reserved addresses, allocated and available counts — from
 * its block and the addresses bound in it, so `kubectl get subnets` shows what a cloud console does. A
 * Subnet written by hand is Ready only once its network's allocation record holds its block for it; until
 * then it is Pending, or says why the allocator refuses it. A binding change re-queues the subnet it is bound
 * in; a record or network change, the network's Subnets written by hand.
 */
export function subnetStatusController(options: SubnetStatusOptions): Controller {
  const { subnets, allocation, recorder } = options;
  const clock = options.clock ?? systemClock;
  ensureIndex(options.bindings, BINDINGS_BY_SUBNET, (binding) => {
    const key = boundSubnetKey(binding);
    return key === undefined ? [] : [key];
  });
  ensureIndex(subnets, BY_NETWORK, (subnet) => [networkKeyOf(subnet)]);

  const placementOf = (subnet: SubnetObject): SubnetPlacement => {
    if (allocation === undefined) return HELD;
    const { namespace } = subnet.metadata;
    const network = subnet.spec.networkRef.name;
    const entries = recordEntries(allocation.records.get(namespace, network));
    return subnetPlacement(subnet, allocation.networks.get(namespace, network), entries);
  };

  const recordTransition = (subnet: SubnetObject, status: SubnetStatus): void => {
    const readyOf = (s: SubnetStatus | undefined) => s?.conditions?.find((c) => c.type === 'Ready');
    const before = readyOf(subnet.status);
    const after = readyOf(status);
    if (after === undefined || (before?.status === after.status && before.reason === after.reason)) return;
    if (after.reason !== 'Ready' && after.reason !== 'Pending') {
      void recorder?.record(subnet, 'Warning', after.reason, after.message);
    } else if (after.status === 'True' && claimUidsOf(subnet).length === 0) {
      // A claim's Subnet is announced by the claim's Allocated event; one written by hand has only this.
      void recorder?.record(subnet, 'Normal', after.reason, `${subnet.spec.cidrBlock}: ${after.message}`);
    }
  };

  const controller = new Controller({
    name: 'subnet-status',
    // Each pass waits on one status write: one worker would cap Subnets at one round trip each.
    workers: 16,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    clock,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const subnet = subnets.get(namespace, name);
      if (subnet === undefined || subnet.metadata.deletionTimestamp !== undefined) return undefined;
      const bound = options.bindings.byIndex(BINDINGS_BY_SUBNET, key).flatMap((binding) => {
        const address = binding.status?.ipAddress;
        return address === undefined ? [] : [{ owner: objectKey(binding), address }];
      });
      const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      const status = subnetStatus(subnet, placementOf(subnet), bound, now);
      if (isDeepStrictEqual(status, subnet.status ?? {})) return undefined;
      try {
        await options.client.updateStatus({ ...subnet, status });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        if (isConflict(error)) return { requeue: true };
        throw error;
      }
      recordTransition(subnet, status);
      return undefined;
    },
  });
  controller.watch(informerSource(subnets));
  controller.watch(informerSource(options.bindings), (binding) => {
    const key = boundSubnetKey(binding);
    return key === undefined ? [] : [key];
  });
  if (allocation !== undefined) {
    const writtenIn = (namespace: string | undefined, network: string): string[] =>
      subnets
        .byIndex(BY_NETWORK, keyOf(namespace, network))
        .filter((subnet) => claimUidsOf(subnet).length === 0)
        .map(objectKey);
    controller.watch(informerSource(allocation.records), (record) =>
      writtenIn(record.metadata.namespace, record.spec.networkRef.name),
    );
    controller.watch(
      changedKeys(allocation.networks, (before, after) => {
        const network = (after ?? before)!;
        const same =
          before?.metadata.generation === after?.metadata.generation &&
          before?.metadata.deletionTimestamp === after?.metadata.deletionTimestamp;
        return same ? [] : writtenIn(network.metadata.namespace, network.metadata.name ?? '');
      }),
      (keys) => keys,
    );
  }
  return controller;
}

function boundSubnetKey(binding: BindingObject): string | undefined {
  const name = binding.status?.subnetRef?.name;
  return name === undefined ? undefined : keyOf(binding.metadata.namespace, name);
}
