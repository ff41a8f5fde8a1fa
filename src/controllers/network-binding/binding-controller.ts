import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf, objectKey } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import { createHostPool, formatAddress, parseAddress, parsePrefix } from '../../ipam/index.ts';
import type { Logger } from '../../log/logger.ts';
import { changedKeys } from '../runtime/changed-keys.ts';
import { informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller, type Result } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import { readFresh } from '../subnet-claim/read-fresh.ts';
import { addressObjectName } from './address-name.ts';
import { NETWORK_BINDING_FINALIZER } from './binding-finalizer.ts';
import { type BindingState, bindingStatus, type NetworkBindingStatus } from './binding-status.ts';
import {
  ADDRESS_BY_HOLDER,
  ADDRESS_BY_SUBNET,
  type AddressObject,
  addIndexes,
  type BindingObject,
  BY_NETWORK,
  type NetworkObject,
  type SubnetObject,
  type WorkloadObject,
} from './indexes.ts';
import { orderSubnets } from './subnet-choice.ts';

export interface NetworkBindingControllerOptions {
  readonly networks: Informer<NetworkObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly bindings: Informer<BindingObject>;
  readonly addresses: Informer<AddressObject>;
  /** Where a binding names no subnet, its workload's location picks one; bindings never wait for it. */
  readonly workloads?: Informer<WorkloadObject>;
  readonly bindingClient: ResourceClient<BindingObject>;
  readonly addressClient: ResourceClient<AddressObject>;
  readonly recorder?: EventRecorder;
  readonly workers?: number;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Runs between choosing an address from the cache and creating its object: tests widen the race window with it. */
  readonly beforeCreate?: (address: string) => Promise<void>;
}

/** An outcome of assigning: the state, and the address object this pass created (released if its status loses). */
interface Assignment {
  readonly state: BindingState;
  readonly created?: AddressObject;
}

type Attempt = Assignment | { readonly exhausted: string };

/**
 * NetworkBinding → address. Each assigned address is one NetworkAddress named by the network and the address,
 * created with the binding's uid as holder: the API server refuses a second one, so AlreadyExists means taken,
 * however stale this operator's cache. The binding's status is written at the resourceVersion read; a pass that
 * loses that race deletes the address it created, so a binding ends with one address even with racing
 * operators. On delete a finalizer deletes the address, then lets the binding go.
 */
export function networkBindingController(options: NetworkBindingControllerOptions): Controller {
  const { networks, subnets, bindings, addresses, recorder, metrics } = options;
  const clock = options.clock ?? systemClock;
  addIndexes(bindings, subnets, addresses);

  const assign = async (binding: BindingObject, signal: AbortSignal): Promise<Assignment> => {
    const { namespace } = binding.metadata;
    const networkName = binding.spec.networkRef.name;
    const network = networks.get(namespace, networkName);
    if (network === undefined || network.metadata.deletionTimestamp !== undefined) {
      const why = network === undefined ? `does not exist in namespace ${namespace}` : 'is being deleted';
      return failed('NetworkNotFound', `network ${networkName} ${why}`);
    }
    const held = await heldAddress(binding, signal);
    if (held !== undefined) {
      if (satisfies(binding, held)) return { state: boundTo(held) };
      await release(held, signal);
    }
    const targets = subnetsToTry(binding);
    if ('reason' in targets) return { state: targets };
    let exhausted = `no subnet of network ${networkName} is Ready`;
    let outside: Assignment | undefined;
    for (const subnet of targets) {
      const attempt = await assignIn(binding, subnet, signal);
      if ('exhausted' in attempt) {
        exhausted = attempt.exhausted;
      } else if (outsideChosen(binding, attempt)) {
        // A Static address with no subnet named is looked for in every subnet of the network.
        outside = attempt;
      } else {
        return attempt;
      }
    }
    if (outside !== undefined) return outside;
    if (targets.length > 0) metrics?.allocation('address', 'exhausted');
    return failed(targets.length === 0 ? 'NoSubnet' : 'SubnetExhausted', exhausted);
  };

  /** The address this binding holds: from the cache, or where the cache lags its status, from the API server. */
  const heldAddress = async (binding: BindingObject, signal: AbortSignal) => {
    const uid = binding.metadata.uid ?? '';
    const cached = addresses.byIndex(ADDRESS_BY_HOLDER, uid)[0];
    const recorded = binding.status?.ipAddress;
    if (cached !== undefined || recorded === undefined) return cached;
    const name = addressObjectName(binding.spec.networkRef.name, recorded);
    const fresh = await readFresh(options.addressClient, binding.metadata.namespace, name, signal);
    return fresh?.spec.holder.uid === uid ? fresh : undefined;
  };

  const subnetsToTry = (
    binding: BindingObject,
  ): SubnetObject[] | Extract<BindingState, { kind: 'Failed' }> => {
    const { namespace } = binding.metadata;
    const network = binding.spec.networkRef.name;
    const wanted = binding.spec.subnetRef?.name;
    if (wanted !== undefined) {
      const subnet = subnets.get(namespace, wanted);
      if (subnet === undefined || subnet.metadata.deletionTimestamp !== undefined) {
        return { kind: 'Failed', reason: 'SubnetNotFound', message: `subnet ${wanted} does not exist` };
      }
      if (subnet.spec.networkRef.name !== network) {
        const message = `subnet ${wanted} belongs to network ${subnet.spec.networkRef.name}, not ${network}`;
        return { kind: 'Failed', reason: 'SubnetNotFound', message };
      }
      return [subnet];
    }
    const ready = subnets
      .byIndex(BY_NETWORK, keyOf(namespace, network))
      .filter((s) => s.metadata.deletionTimestamp === undefined && s.status?.phase === 'Ready');
    const byName = new Map(ready.map((s) => [s.metadata.name ?? '', s]));
    const workload = options.workloads?.get(namespace, binding.spec.workloadRef.name);
    const ordered = orderSubnets(
      ready.map((s) => ({
        name: s.metadata.name ?? '',
        location: s.spec.location,
        available: BigInt(s.status?.availableIPs ?? 0),
      })),
      workload?.spec.location,
    );
    return ordered.map((candidate) => byName.get(candidate.name)!);
  };

  const assignIn = async (
    binding: BindingObject,
    subnet: SubnetObject,
    signal: AbortSignal,
  ): Promise<Attempt> => {
    const uid = binding.metadata.uid ?? '';
    const subnetName = subnet.metadata.name ?? '';
    const prefix = parsePrefix(subnet.spec.cidrBlock);
    if (!prefix.ok) return failed('SubnetNotFound', `subnet ${subnetName}: ${prefix.message}`);
    const taken = addresses.byIndex(ADDRESS_BY_SUBNET, objectKey(subnet)).flatMap((a) => {
      const address = parseAddress(a.spec.address);
      return address.ok ? [{ address: address.value, owner: a.spec.holder.uid }] : [];
    });
    const { pool } = createHostPool(prefix.value, taken);
    const gateway = pool.gateway === undefined ? undefined : formatAddress(pool.gateway);
    const specific = binding.spec.ipAddressAllocation?.specificIP;
    if (binding.spec.ipAddressAllocation?.type === 'Static' && specific !== undefined) {
      const address = parseAddress(specific);
      if (!address.ok) return failed('AddressOutOfRange', `${specific}: ${address.message}`);
      const fits = pool.allocateStatic(address.value, uid);
      if (!fits.ok) {
        const holder = fits.holder === undefined ? undefined : holderName(fits.holder);
        return failed(fits.reason, holder === undefined ? fits.message : inUse(specific, holder));
      }
      const outcome = await take(binding, subnetName, formatAddress(address.value), gateway, signal);
      return 'taken' in outcome ? failed('AddressInUse', inUse(specific, outcome.taken)) : outcome;
    }
    for (;;) {
      const next = pool.allocate(uid);
      if (!next.ok) return { exhausted: `subnet ${subnetName}: ${next.message}` };
      const outcome = await take(binding, subnetName, formatAddress(next.address), gateway, signal);
      if (!('taken' in outcome)) return outcome;
    }
  };

  /** Creates the address's object; AlreadyExists is ours (a pass before a crash) or taken by `taken`. */
  const take = async (
    binding: BindingObject,
    subnet: string,
    address: string,
    gateway: string | undefined,
    signal: AbortSignal,
  ): Promise<Assignment | { readonly taken: string }> => {
    const { namespace } = binding.metadata;
    const network = binding.spec.networkRef.name;
    const name = addressObjectName(network, address);
    const holder = {
      kind: 'NetworkBinding' as const,
      name: binding.metadata.name ?? '',
      uid: binding.metadata.uid ?? '',
    };
    const object: AddressObject = {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'NetworkAddress',
      metadata: {
        name,
        ...(namespace === undefined ? {} : { namespace }),
        ownerReferences: [
          { apiVersion: binding.apiVersion, kind: 'NetworkBinding', name: holder.name, uid: holder.uid },
        ],
      },
      spec: { networkRef: { name: network }, subnetRef: { name: subnet }, address, holder },
    };
    await options.beforeCreate?.(address);
    try {
      const created = await options.addressClient.create(object, { signal });
      metrics?.allocation('address', 'allocated');
      return { state: { kind: 'Bound', address, subnet, gateway }, created };
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await readFresh(options.addressClient, namespace, name, signal);
    if (existing?.spec.holder.uid === holder.uid) return { state: boundTo(existing, gateway) };
    metrics?.allocation('address', 'conflict');
    if (existing === undefined) return { taken: 'a binding releasing it' };
    return { taken: `NetworkBinding ${existing.spec.holder.name}` };
  };

  const boundTo = (held: AddressObject, gateway?: string): BindingState => {
    const subnet = subnets.get(held.metadata.namespace, held.spec.subnetRef.name);
    const prefix = subnet === undefined ? undefined : parsePrefix(subnet.spec.cidrBlock);
    const pool = prefix?.ok ? createHostPool(prefix.value).pool : undefined;
    const found = pool?.gateway === undefined ? undefined : formatAddress(pool.gateway);
    return {
      kind: 'Bound',
      address: held.spec.address,
      subnet: held.spec.subnetRef.name,
      gateway: gateway ?? found,
    };
  };

  const holderName = (uid: string): string => {
    const other = addresses.byIndex(ADDRESS_BY_HOLDER, uid)[0];
    return `NetworkBinding ${other?.spec.holder.name ?? uid}`;
  };

  const release = async (held: AddressObject, signal: AbortSignal): Promise<void> => {
    try {
      await options.addressClient.delete(held.metadata.namespace, held.metadata.name ?? '', {
        preconditions: { uid: held.metadata.uid ?? '' },
        signal,
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  };

  const writeStatus = async (binding: BindingObject, assignment: Assignment, signal: AbortSignal) => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const status = bindingStatus(binding, assignment.state, now);
    if (isDeepStrictEqual(status, binding.status ?? {})) return undefined;
    try {
      await options.bindingClient.updateStatus({ ...binding, status }, { signal });
    } catch (error) {
      // The address was never announced: free it; the binding's newer version will enqueue it again.
      if (assignment.created !== undefined) {
        await release(assignment.created, signal);
        metrics?.allocation('address', 'conflict');
      }
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
    recordTransition(binding, status);
    return undefined;
  };

  const recordTransition = (binding: BindingObject, status: NetworkBindingStatus): void => {
    const bound = (s: NetworkBindingStatus | undefined) => s?.conditions?.find((c) => c.type === 'Bound');
    const before = bound(binding.status);
    const after = bound(status);
    if (after === undefined || (before?.status === after.status && before.reason === after.reason)) return;
    void recorder?.record(
      binding,
      after.status === 'True' ? 'Normal' : 'Warning',
      after.reason,
      after.message,
    );
  };

  /** The address object first, so the address is free before the binding goes; then the finalizer. */
  const finalize = async (binding: BindingObject, signal: AbortSignal): Promise<Result | undefined> => {
    if (!NETWORK_BINDING_FINALIZER.on(binding)) return undefined;
    const held = await heldAddress(binding, signal);
    const all = [
      ...new Set([
        ...addresses.byIndex(ADDRESS_BY_HOLDER, binding.metadata.uid ?? ''),
        ...(held === undefined ? [] : [held]),
      ]),
    ];
    await Promise.all(all.map((address) => release(address, signal)));
    try {
      await options.bindingClient.update(NETWORK_BINDING_FINALIZER.removed(binding), { signal });
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
    if (all.length > 0) metrics?.allocation('address', 'released', all.length);
    for (const address of new Set(all.map((a) => a.spec.address))) {
      void recorder?.record(
        binding,
        'Normal',
        'Released',
        `${address} released to network ${binding.spec.networkRef.name}`,
      );
    }
    return undefined;
  };

  const controller = new Controller({
    name: 'networkbinding',
    workers: options.workers ?? 8,
    clock,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const binding = bindings.get(namespace, name);
      if (binding === undefined) return undefined;
      if (binding.metadata.deletionTimestamp !== undefined) return finalize(binding, signal);
      if (!NETWORK_BINDING_FINALIZER.on(binding)) {
        await NETWORK_BINDING_FINALIZER.add(options.bindingClient, binding, signal);
        return undefined;
      }
      return writeStatus(binding, await assign(binding, signal), signal);
    },
  });

  const unbound = (namespace: string | undefined, network: string) =>
    bindings
      .byIndex(BY_NETWORK, keyOf(namespace, network))
      .filter((b) => b.status?.phase !== 'Bound')
      .map(objectKey);
  controller.watch(informerSource(bindings));
  controller.watch(
    changedKeys(addresses, (before, after) => {
      const address = (after ?? before)!;
      const { namespace } = address.metadata;
      const holder = keyOf(namespace, address.spec.holder.name);
      // A freed address may be what a waiting binding needs.
      return after === undefined ? [holder, ...unbound(namespace, address.spec.networkRef.name)] : [holder];
    }),
    (keys) => keys,
  );
  controller.watch(
    changedKeys(subnets, (before, after) => {
      const subnet = (after ?? before)!;
      return unbound(subnet.metadata.namespace, subnet.spec.networkRef.name);
    }),
    (keys) => keys,
  );
  controller.watch(
    changedKeys(networks, (before, after) => {
      const network = (after ?? before)!;
      return bindings.byIndex(BY_NETWORK, objectKey(network)).map(objectKey);
    }),
    (keys) => keys,
  );
  return controller;
}

function failed(reason: Extract<BindingState, { kind: 'Failed' }>['reason'], message: string): Assignment {
  return { state: { kind: 'Failed', reason, message } };
}

function outsideChosen(binding: BindingObject, attempt: Assignment): boolean {
  return (
    binding.spec.subnetRef === undefined &&
    attempt.state.kind === 'Failed' &&
    attempt.state.reason === 'AddressOutOfRange'
  );
}

function inUse(address: string, holder: string): string {
  return `${address} is already assigned to ${holder}`;
}

/** Whether the held address is still what the spec asks for: its subnet, and its address when Static. */
function satisfies(binding: BindingObject, held: AddressObject): boolean {
  const wanted = binding.spec.subnetRef?.name;
  if (wanted !== undefined && held.spec.subnetRef.name !== wanted) return false;
  const allocation = binding.spec.ipAddressAllocation;
  if (allocation?.type !== 'Static' || allocation.specificIP === undefined) return true;
  const parsed = parseAddress(allocation.specificIP);
  return parsed.ok && formatAddress(parsed.value) === held.spec.address;
}
