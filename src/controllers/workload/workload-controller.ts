import { isDeepStrictEqual } from 'node:util';
import type { Network } from '../../api/network.ts';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Workload } from '../../api/workload.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { changedKeys } from '../runtime/changed-keys.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller, type Result } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { objectKey, splitKey } from '../runtime/object-key.ts';
import { controllerReference } from '../runtime/object-versions.ts';
import { type DesiredBinding, desiredBindings } from './desired-bindings.ts';
import { type InterfaceBinding, workloadStatus } from './workload-status.ts';

export type WorkloadObject = Workload & KubeObject;
export type BindingObject = NetworkBinding & KubeObject;
export type NetworkObject = Network & KubeObject;

/** Bindings by the uid of the Workload that controls them. */
const BINDING_BY_WORKLOAD_UID = 'workload/binding-by-owner-uid';
/** Workloads by `namespace/network` of each network they have an interface on. */
const WORKLOAD_BY_NETWORK = 'workload/by-network';

export interface WorkloadControllersOptions {
  readonly workloads: Informer<WorkloadObject>;
  readonly bindings: Informer<BindingObject>;
  readonly networks: Informer<NetworkObject>;
  readonly workloadClient: ResourceClient<WorkloadObject>;
  readonly bindingClient: ResourceClient<BindingObject>;
  readonly recorder?: EventRecorder;
  readonly workers?: number;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/**
 * Workload → one NetworkBinding per network interface, owned by the workload (so deleting the workload deletes
 * them, and their finalizers release the addresses), and status.interfaces from the bindings' status. No binding
 * is made for a network that is being deleted, which would hold its deletion up; one that does not exist yet
 * still gets its binding, which waits for it.
 */
export function workloadControllers(options: WorkloadControllersOptions): Controller[] {
  const { workloads, bindings, networks, recorder } = options;
  const clock = options.clock ?? systemClock;
  ensureIndex(bindings, BINDING_BY_WORKLOAD_UID, (binding) => {
    const owner = controllerOf(binding);
    return owner === undefined ? [] : [owner];
  });
  ensureIndex(workloads, WORKLOAD_BY_NETWORK, (workload) =>
    (workload.spec.networkInterfaces ?? []).map((nic) =>
      keyOf(workload.metadata.namespace, nic.network.name),
    ),
  );

  const ensureBinding = async (
    workload: WorkloadObject,
    desired: DesiredBinding,
    signal: AbortSignal,
  ): Promise<InterfaceBinding> => {
    const { namespace } = workload.metadata;
    const network = networks.get(namespace, desired.network);
    if (network?.metadata.deletionTimestamp !== undefined) return { kind: 'NetworkDeleting' };
    const existing = bindings.get(namespace, desired.name);
    if (existing !== undefined) {
      if (controllerOf(existing) !== workload.metadata.uid) return { kind: 'Foreign' };
      if (isDeepStrictEqual(existing.spec, desired.spec)) return { kind: 'Owned', binding: existing };
      const updated = await options.bindingClient.update({ ...existing, spec: desired.spec }, { signal });
      return { kind: 'Owned', binding: updated };
    }
    const binding: BindingObject = {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'NetworkBinding',
      metadata: {
        name: desired.name,
        ...(namespace === undefined ? {} : { namespace }),
        ownerReferences: [controllerReference(workload, 'Workload')],
      },
      spec: desired.spec,
    };
    try {
      const created = await options.bindingClient.create(binding, { signal });
      void recorder?.record(workload, 'Normal', 'BindingCreated', `created NetworkBinding ${desired.name}`);
      return { kind: 'Owned', binding: created };
    } catch (error) {
      // Another operator made it a moment ago, or it is someone else's: the watch brings it either way.
      if (isAlreadyExists(error)) return { kind: 'Missing' };
      throw error;
    }
  };

  /** Bindings of interfaces the workload no longer has. */
  const pruneBindings = async (
    workload: WorkloadObject,
    wanted: ReadonlySet<string>,
    signal: AbortSignal,
  ) => {
    const stale = bindings
      .byIndex(BINDING_BY_WORKLOAD_UID, workload.metadata.uid ?? '')
      .filter((b) => !wanted.has(b.metadata.name ?? '') && b.metadata.deletionTimestamp === undefined);
    for (const binding of stale) {
      try {
        await options.bindingClient.delete(binding.metadata.namespace, binding.metadata.name ?? '', {
          preconditions: { uid: binding.metadata.uid ?? '' },
          signal,
        });
      } catch (error) {
        if (!isNotFound(error) && !isConflict(error)) throw error;
      }
    }
  };

  const writeStatus = async (
    workload: WorkloadObject,
    interfaces: readonly { readonly desired: DesiredBinding; readonly found: InterfaceBinding }[],
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const status = workloadStatus(workload, interfaces, now);
    if (isDeepStrictEqual(status, workload.status ?? {})) return undefined;
    try {
      await options.workloadClient.updateStatus({ ...workload, status }, { signal });
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
    const before = workload.status?.conditions?.find((c) => c.type === 'Ready');
    const after = status.conditions?.find((c) => c.type === 'Ready');
    if (after !== undefined && after.reason !== 'Pending' && before?.reason !== after.reason) {
      void recorder?.record(
        workload,
        after.status === 'True' ? 'Normal' : 'Warning',
        after.reason,
        after.message,
      );
    }
    return undefined;
  };

  const controller = new Controller({
    name: 'workload',
    workers: options.workers ?? 4,
    clock,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const workload = workloads.get(namespace, name);
      if (workload === undefined || workload.metadata.deletionTimestamp !== undefined) return undefined;
      const desired = desiredBindings(workload);
      await pruneBindings(workload, new Set(desired.map((d) => d.name)), signal);
      const interfaces = [];
      for (const each of desired) {
        interfaces.push({ desired: each, found: await ensureBinding(workload, each, signal) });
      }
      return writeStatus(workload, interfaces, signal);
    },
  });
  controller.watch(informerSource(workloads));
  controller.watch(informerSource(bindings), (binding) => {
    // Its owner, and the workload it is named for: an interface blocked by a foreign binding waits on it.
    const owners = (binding.metadata.ownerReferences ?? [])
      .filter((ref) => ref.kind === 'Workload')
      .map((ref) => keyOf(binding.metadata.namespace, ref.name));
    return [...new Set([...owners, keyOf(binding.metadata.namespace, binding.spec.workloadRef.name)])];
  });
  controller.watch(
    changedKeys(networks, (before, after) => {
      // Only a network appearing, going, or starting to be deleted changes what its workloads want.
      const same = before?.metadata.deletionTimestamp === after?.metadata.deletionTimestamp;
      if (before !== undefined && after !== undefined && same) return [];
      const network = (after ?? before)!;
      return workloads.byIndex(WORKLOAD_BY_NETWORK, objectKey(network)).map(objectKey);
    }),
    (keys) => keys,
  );
  return [controller];
}

function controllerOf(binding: BindingObject): string | undefined {
  return binding.metadata.ownerReferences?.find((ref) => ref.kind === 'Workload' && ref.controller === true)
    ?.uid;
}
