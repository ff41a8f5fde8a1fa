import { isDeepStrictEqual } from 'node:util';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Subnet } from '../../api/subnet.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { keyOf, objectKey, splitKey } from '../runtime/object-key.ts';
import { subnetStatus } from './subnet-status.ts';

type SubnetObject = Subnet & KubeObject;
type BindingObject = NetworkBinding & KubeObject;

/** Bindings filed under the key of the subnet their address is in. */
const BINDINGS_BY_SUBNET = 'boundSubnet';

export interface SubnetStatusOptions {
  readonly subnets: Informer<SubnetObject>;
  readonly bindings: Informer<BindingObject>;
  readonly client: ResourceClient<SubnetObject>;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Writes each Subnet's status — phase, gateway, reserved addresses, allocated and available counts — from
 * its block and the addresses bindings hold in it, so `kubectl get subnets` shows what a cloud console does.
 * A binding change re-queues the subnet it is bound in.
 */
export function subnetStatusController(options: SubnetStatusOptions): Controller {
  const clock = options.clock ?? systemClock;
  ensureIndex(options.bindings, BINDINGS_BY_SUBNET, (binding) => {
    const key = boundSubnetKey(binding);
    return key === undefined ? [] : [key];
  });
  const controller = new Controller({
    name: 'subnet-status',
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    clock,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const subnet = options.subnets.get(namespace, name);
      if (subnet === undefined || subnet.metadata.deletionTimestamp !== undefined) return undefined;
      const bound = options.bindings.byIndex(BINDINGS_BY_SUBNET, key).flatMap((binding) => {
        const address = binding.status?.ipAddress;
        return address === undefined ? [] : [{ owner: objectKey(binding), address }];
      });
      const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      const status = subnetStatus(subnet, bound, now);
      if (isDeepStrictEqual(status, subnet.status ?? {})) return undefined;
      try {
        await options.client.updateStatus({ ...subnet, status });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        if (isConflict(error)) return { requeue: true };
        throw error;
      }
      return undefined;
    },
  });
  controller.watch(informerSource(options.subnets));
  controller.watch(informerSource(options.bindings), (binding) => {
    const key = boundSubnetKey(binding);
    return key === undefined ? [] : [key];
  });
  return controller;
}

function boundSubnetKey(binding: BindingObject): string | undefined {
  const name = binding.status?.subnetRef?.name;
  return name === undefined ? undefined : keyOf(binding.metadata.namespace, name);
}
