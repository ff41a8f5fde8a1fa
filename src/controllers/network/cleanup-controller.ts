import type { Network } from '../../api/network.ts';
import type { NetworkAddress } from '../../api/network-address.ts';
import type { NetworkBinding } from '../../api/network-binding.ts';
import type { NetworkContext } from '../../api/network-context.ts';
import type { Subnet } from '../../api/subnet.ts';
import type { SubnetClaim } from '../../api/subnet-claim.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import type { Clock } from '../runtime/clock.ts';
import { Controller, type Result } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import { NETWORK_CLEANUP_FINALIZER } from './cleanup-finalizer.ts';
import {
  type DependentCounts,
  deletingMessage,
  holdersLeft,
  type NetworkDependents,
  orphanAddresses,
  undeleted,
} from './dependents.ts';

type NetworkObject = Network & KubeObject;
type ContextObject = NetworkContext & KubeObject;
type ClaimObject = SubnetClaim & KubeObject;
type SubnetObject = Subnet & KubeObject;
type BindingObject = NetworkBinding & KubeObject;
type AddressObject = NetworkAddress & KubeObject;
type Referrer = KubeObject & { readonly spec: { readonly networkRef: { readonly name: string } } };

/** Contexts, claims, subnets, bindings and addresses by `namespace/network` of the network they reference. */
const BY_NETWORK = 'network/cleanup-by-network';

export interface NetworkCleanupOptions {
  readonly networks: Informer<NetworkObject>;
  readonly contexts: Informer<ContextObject>;
  readonly claims: Informer<ClaimObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly bindings: Informer<BindingObject>;
  readonly addresses: Informer<AddressObject>;
  readonly networkClient: ResourceClient<NetworkObject>;
  readonly contextClient: ResourceClient<ContextObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly subnetClient: ResourceClient<SubnetObject>;
  readonly bindingClient: ResourceClient<BindingObject>;
  readonly addressClient: ResourceClient<AddressObject>;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * A finalizer on every Network; once one is deleted, every NetworkContext, SubnetClaim, Subnet and
 * NetworkBinding of its namespace whose networkRef names it is deleted too (their own finalizers tear down
 * provider resources and free blocks and addresses), with a Normal Event per round of new deletions. The
 * finalizer goes once the API server itself, not just the cache, has none of them and no NetworkAddress of the
 * network left; addresses whose binding is gone are deleted then. Any change to those kinds re-queues its network.
 */
export function networkCleanupController(options: NetworkCleanupOptions): Controller {
  const { networks, recorder } = options;
  // Per network being deleted, the uids of the dependents already asked to go: each is in one Event only.
  const asked = new Map<string, { readonly network: string; readonly uids: Set<string> }>();

  const cached = (key: string): NetworkDependents => ({
    contexts: options.contexts.byIndex(BY_NETWORK, key),
    claims: options.claims.byIndex(BY_NETWORK, key),
    subnets: options.subnets.byIndex(BY_NETWORK, key),
    bindings: options.bindings.byIndex(BY_NETWORK, key),
    addresses: options.addresses.byIndex(BY_NETWORK, key),
  });

  /** What the API server has now: a stale cache must not let the finalizer go early. */
  const fresh = async (network: NetworkObject, signal: AbortSignal): Promise<NetworkDependents> => {
    const { namespace, name = '' } = network.metadata;
    const referring = { fieldSelector: `spec.networkRef.name=${name}`, signal };
    const [contexts, claims, subnets, bindings, addresses] = await Promise.all([
      options.contextClient.list(namespace, referring),
      options.claimClient.list(namespace, referring),
      options.subnetClient.list(namespace, referring),
      options.bindingClient.list(namespace, referring),
      options.addressClient.list(namespace, { signal }),
    ]);
    return {
      contexts: contexts.items,
      claims: claims.items,
      subnets: subnets.items,
      bindings: bindings.items,
      addresses: addresses.items.filter((address) => address.spec.networkRef.name === name),
    };
  };

  /** Deletes each object not being deleted yet; counts those never asked before, for the Event. */
  const deleteEach = async <T extends KubeObject>(
    seen: Set<string>,
    client: ResourceClient<T>,
    objects: readonly T[],
    signal: AbortSignal,
  ): Promise<number> => {
    let first = 0;
    for (const object of undeleted(objects)) {
      await remove(client, object, signal);
      const uid = object.metadata.uid ?? '';
      if (!seen.has(uid)) first++;
      seen.add(uid);
    }
    return first;
  };

  const cascade = async (
    key: string,
    network: NetworkObject,
    dependents: NetworkDependents,
    signal: AbortSignal,
  ) => {
    const uid = network.metadata.uid ?? '';
    const previous = asked.get(key);
    const seen = previous?.network === uid ? previous.uids : new Set<string>();
    asked.set(key, { network: uid, uids: seen });
    const counts: DependentCounts = {
      contexts: await deleteEach(seen, options.contextClient, dependents.contexts, signal),
      claims: await deleteEach(seen, options.claimClient, dependents.claims, signal),
      subnets: await deleteEach(seen, options.subnetClient, dependents.subnets, signal),
      bindings: await deleteEach(seen, options.bindingClient, dependents.bindings, signal),
    };
    const message = deletingMessage(counts);
    if (message !== undefined) void recorder?.record(network, 'Normal', 'Deleting', message);
  };

  const release = async (
    key: string,
    network: NetworkObject,
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    try {
      await options.networkClient.update(NETWORK_CLEANUP_FINALIZER.removed(network), { signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (isConflict(error)) return { requeue: true };
      throw error;
    }
    asked.delete(key);
    void recorder?.record(
      network,
      'Normal',
      'CleanedUp',
      'every claim, subnet, binding, address and context of the network is gone',
    );
    return undefined;
  };

  const finalize = async (network: NetworkObject, key: string, signal: AbortSignal) => {
    if (!NETWORK_CLEANUP_FINALIZER.on(network)) return undefined;
    const known = cached(key);
    await cascade(key, network, known, signal);
    // Their deletions re-queue the network; until then there is nothing to do.
    if (holdersLeft(known) > 0) return undefined;
    const now = await fresh(network, signal);
    if (holdersLeft(now) > 0) {
      await cascade(key, network, now, signal);
      return { requeue: true };
    }
    if (now.addresses.length > 0) {
      // Every binding is gone, so these have no holder left to free them.
      for (const address of undeleted(orphanAddresses(now)))
        await remove(options.addressClient, address, signal);
      return { requeue: true };
    }
    return release(key, network, signal);
  };

  const controller = new Controller({
    name: 'network-cleanup',
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const network = networks.get(namespace, name);
      if (network === undefined) {
        asked.delete(key);
        return undefined;
      }
      if (network.metadata.deletionTimestamp !== undefined) return finalize(network, key, signal);
      if (!NETWORK_CLEANUP_FINALIZER.on(network)) {
        await NETWORK_CLEANUP_FINALIZER.add(options.networkClient, network, signal);
      }
      return undefined;
    },
  });
  controller.watch(informerSource(networks));
  // Only while the network is being deleted does a dependent's change matter here.
  const deletingNetwork = (object: Referrer): string[] => {
    const network = networks.get(object.metadata.namespace, object.spec.networkRef.name);
    return network?.metadata.deletionTimestamp === undefined ? [] : [referrerKey(object)];
  };
  const follow = <T extends Referrer>(informer: Informer<T>): void => {
    ensureIndex(informer, BY_NETWORK, (object) => [referrerKey(object)]);
    controller.watch(informerSource(informer), deletingNetwork);
  };
  follow(options.contexts);
  follow(options.claims);
  follow(options.subnets);
  follow(options.bindings);
  follow(options.addresses);
  return controller;
}

async function remove<T extends KubeObject>(client: ResourceClient<T>, object: T, signal: AbortSignal) {
  try {
    await client.delete(object.metadata.namespace, object.metadata.name ?? '', {
      preconditions: { uid: object.metadata.uid ?? '' },
      signal,
    });
  } catch (error) {
    // Gone already, or a newer object of that name that this pass did not see: its own event brings it here.
    if (!isNotFound(error) && !isConflict(error)) throw error;
  }
}

function referrerKey(object: Referrer): string {
  return keyOf(object.metadata.namespace, object.spec.networkRef.name);
}
