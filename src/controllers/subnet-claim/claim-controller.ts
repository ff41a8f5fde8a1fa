import { isDeepStrictEqual } from 'node:util';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf, objectKey } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { changedKeys } from '../runtime/changed-keys.ts';
import { informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller, type Result } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import { controllerReference } from '../runtime/object-versions.ts';
import { SUBNET_CLAIM_FINALIZER } from './claim-finalizer.ts';
import type { ClaimOutcomes } from './claim-outcomes.ts';
import { type ClaimState, claimStatus, type SubnetClaimStatus, type SubnetState } from './claim-status.ts';
import {
  BY_NETWORK,
  type ClaimObject,
  claimUidsOf,
  type NetworkObject,
  type RecordObject,
  SUBNET_BY_CLAIM_UID,
  type SubnetObject,
} from './indexes.ts';
import { readFresh } from './read-fresh.ts';
import { changedClaimKeys, entryOf } from './record-entries.ts';
import { claimNamesFor, subnetNameFor } from './subnet-name.ts';

export interface SubnetClaimControllerOptions {
  readonly claims: Informer<ClaimObject>;
  readonly networks: Informer<NetworkObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly records: Informer<RecordObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly subnetClient: ResourceClient<SubnetObject>;
  readonly recordClient: ResourceClient<RecordObject>;
  readonly outcomes: ClaimOutcomes;
  /** Asks the allocator to look at a network (`namespace/name`) again. */
  readonly requestAllocation: (networkKey: string) => void;
  readonly recorder?: EventRecorder;
  readonly workers?: number;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/**
 * Everything about one claim but choosing its block: the finalizer, the Subnet for the block the network's
 * record holds for the claim's uid (created, or adopted when it already exists for this claim), the status and
 * its Events, and on delete the Subnet's removal, then the finalizer's once the allocator has freed the block.
 */
export function subnetClaimController(options: SubnetClaimControllerOptions): Controller {
  const { claims, networks, subnets, records, outcomes, recorder } = options;
  const clock = options.clock ?? systemClock;

  /** The claim's entry; where the cache lacks one the claim's status says it had, the API server decides. */
  const entryFor = async (claim: ClaimObject, signal: AbortSignal) => {
    const { namespace } = claim.metadata;
    const network = claim.spec.networkRef.name;
    const uid = claim.metadata.uid ?? '';
    const cached = entryOf(records.get(namespace, network), uid);
    if (cached !== undefined || claim.status?.cidrBlock === undefined) return cached;
    return entryOf(await readFresh(options.recordClient, namespace, network, signal), uid);
  };

  const observe = async (claim: ClaimObject, signal: AbortSignal): Promise<ClaimState> => {
    const { namespace } = claim.metadata;
    const name = claim.spec.networkRef.name;
    const network = networks.get(namespace, name);
    if (network === undefined || network.metadata.deletionTimestamp !== undefined) {
      const why = network === undefined ? `does not exist in namespace ${namespace}` : 'is being deleted';
      return { kind: 'NetworkNotFound', message: `network ${name} ${why}` };
    }
    const entry = await entryFor(claim, signal);
    if (entry !== undefined) {
      return {
        kind: 'Allocated',
        network: name,
        cidr: entry.cidr,
        subnet: await ensureSubnet(claim, entry.cidr, signal),
      };
    }
    const failure = outcomes.get(claim.metadata.uid ?? '');
    if (failure !== undefined) return { kind: 'Failed', failure };
    options.requestAllocation(keyOf(namespace, name));
    return { kind: 'Waiting', network: name };
  };

  const ensureSubnet = async (
    claim: ClaimObject,
    cidr: string,
    signal: AbortSignal,
  ): Promise<SubnetState> => {
    const { namespace } = claim.metadata;
    const name = subnetNameFor(claim.metadata.name ?? '');
    const subnet = subnets.get(namespace, name) ?? (await createSubnet(claim, name, cidr, signal));
    const uid = claim.metadata.uid ?? '';
    if (!claimUidsOf(subnet).includes(uid)) {
      return { kind: 'Blocked', message: `Subnet ${name} already exists and does not belong to this claim` };
    }
    if (subnet.spec.cidrBlock !== cidr) {
      return {
        kind: 'Blocked',
        message: `Subnet ${name} holds ${subnet.spec.cidrBlock}, not the claim's ${cidr}`,
      };
    }
    if (subnet.metadata.deletionTimestamp !== undefined) {
      return { kind: 'NotReady', name, message: 'the Subnet is being deleted' };
    }
    const ready = subnet.status?.conditions?.find((condition) => condition.type === 'Ready');
    if (ready !== undefined && ready.status === 'False')
      return { kind: 'NotReady', name, message: ready.message };
    return { kind: 'Ready', name };
  };

  const createSubnet = async (
    claim: ClaimObject,
    name: string,
    cidr: string,
    signal: AbortSignal,
  ): Promise<SubnetObject> => {
    const { namespace } = claim.metadata;
    const subnet: SubnetObject = {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Subnet',
      metadata: {
        name,
        ...(namespace === undefined ? {} : { namespace }),
        ownerReferences: [controllerReference(claim, 'SubnetClaim')],
      },
      spec: {
        networkRef: { name: claim.spec.networkRef.name },
        cidrBlock: cidr,
        ipFamily: claim.spec.ipFamily ?? 'IPv4',
        ...(claim.spec.location === undefined ? {} : { location: claim.spec.location }),
      },
    };
    try {
      return await options.subnetClient.create(subnet, { signal });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      return options.subnetClient.get(namespace, name, { signal });
    }
  };

  const writeStatus = async (
    claim: ClaimObject,
    state: ClaimState,
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    const status = claimStatus(claim, state, new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
    if (isDeepStrictEqual(status, claim.status ?? {})) return undefined;
    try {
      await options.claimClient.updateStatus({ ...claim, status }, { signal });
    } catch (error) {
      // Our copy is stale: the newer one is on its way through the watch and will enqueue the claim again.
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
    recordTransition(claim, status);
    return undefined;
  };

  const recordTransition = (claim: ClaimObject, status: SubnetClaimStatus): void => {
    const allocated = (s: SubnetClaimStatus | undefined) =>
      s?.conditions?.find((c) => c.type === 'Allocated');
    const before = allocated(claim.status);
    const after = allocated(status);
    if (after === undefined || (before?.status === after.status && before.reason === after.reason)) return;
    if (after.status === 'True') {
      const subnet = status.subnetRef === undefined ? '' : ` for Subnet ${status.subnetRef.name}`;
      void recorder?.record(claim, 'Normal', 'Allocated', `${after.message}${subnet}`);
    } else if (after.reason !== 'Pending') {
      void recorder?.record(claim, 'Warning', after.reason, after.message);
    }
  };

  /** Subnets first, so a block is free only once nothing uses it; then the block; then the finalizer. */
  const finalize = async (claim: ClaimObject, signal: AbortSignal): Promise<Result | undefined> => {
    if (!SUBNET_CLAIM_FINALIZER.on(claim)) return undefined;
    const { namespace } = claim.metadata;
    const uid = claim.metadata.uid ?? '';
    const network = claim.spec.networkRef.name;
    const owned = await ownedSubnets(claim, signal);
    if (owned.length > 0) {
      await Promise.all(
        owned.filter((s) => s.metadata.deletionTimestamp === undefined).map((s) => deleteSubnet(s, signal)),
      );
      return undefined;
    }
    if (entryOf(await readFresh(options.recordClient, namespace, network, signal), uid) !== undefined) {
      options.requestAllocation(keyOf(namespace, network));
      return undefined;
    }
    try {
      await options.claimClient.update(SUBNET_CLAIM_FINALIZER.removed(claim), { signal });
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
    outcomes.delete(uid);
    const cidr = claim.status?.cidrBlock;
    if (cidr !== undefined)
      void recorder?.record(claim, 'Normal', 'Released', `${cidr} released to network ${network}`);
    return undefined;
  };

  const ownedSubnets = async (claim: ClaimObject, signal: AbortSignal): Promise<SubnetObject[]> => {
    const uid = claim.metadata.uid ?? '';
    const found = new Map(
      subnets.byIndex(SUBNET_BY_CLAIM_UID, uid).map((subnet) => [subnet.metadata.name, subnet]),
    );
    const name = subnetNameFor(claim.metadata.name ?? '');
    if (!found.has(name)) {
      // Another operator may have created it a moment ago, unseen by this cache.
      const fresh = await readFresh(options.subnetClient, claim.metadata.namespace, name, signal);
      if (fresh !== undefined && claimUidsOf(fresh).includes(uid)) found.set(name, fresh);
    }
    return [...found.values()];
  };

  const deleteSubnet = async (subnet: SubnetObject, signal: AbortSignal): Promise<void> => {
    try {
      await options.subnetClient.delete(subnet.metadata.namespace, subnet.metadata.name ?? '', {
        preconditions: { uid: subnet.metadata.uid ?? '' },
        signal,
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  };

  const controller = new Controller({
    name: 'subnetclaim',
    // A claim's pass waits on a Subnet create and a status write; with fewer workers, a burst of claims is
    // bounded by round trips, not by the server.
    workers: options.workers ?? 32,
    clock,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const claim = claims.get(namespace, name);
      if (claim === undefined) return undefined;
      if (claim.metadata.deletionTimestamp !== undefined) return finalize(claim, signal);
      if (!SUBNET_CLAIM_FINALIZER.on(claim)) {
        await SUBNET_CLAIM_FINALIZER.add(options.claimClient, claim, signal);
        return undefined;
      }
      const state = await observe(claim, signal);
      // Until the allocator has a word on it, a claim keeps what it shows (another operator's, say).
      if (state.kind === 'Waiting' && !reportsNetworkNotFound(claim)) return undefined;
      return writeStatus(claim, state, signal);
    },
  });

  controller.watch(informerSource(claims));
  controller.watch(
    changedKeys(subnets, (before, after) => {
      const subnet = (after ?? before)!;
      const { namespace } = subnet.metadata;
      // Its owners, and the claims it is named for: a claim blocked by a Subnet of its name waits on it.
      const owners = [before, after].flatMap((version) =>
        (version?.metadata.ownerReferences ?? [])
          .filter((ref) => ref.kind === 'SubnetClaim')
          .map((ref) => ref.name),
      );
      const named = claimNamesFor(subnet.metadata.name ?? '').filter((claim) => claims.get(namespace, claim));
      return new Set([...owners, ...named].map((claim) => keyOf(namespace, claim)));
    }),
    (keys) => keys,
  );
  controller.watch(changedKeys(records, changedClaimKeys), (keys) => keys);
  controller.watch(
    changedKeys(networks, (before, after) => {
      if (
        before !== undefined &&
        after !== undefined &&
        before.metadata.generation === after.metadata.generation
      ) {
        if (before.metadata.deletionTimestamp === after.metadata.deletionTimestamp) return [];
      }
      const network = (after ?? before)!;
      return claims
        .byIndex(BY_NETWORK, keyOf(network.metadata.namespace, network.metadata.name ?? ''))
        .map(objectKey);
    }),
    (keys) => keys,
  );
  return controller;
}

function reportsNetworkNotFound(claim: ClaimObject): boolean {
  return claim.status?.conditions?.find((c) => c.type === 'Allocated')?.reason === 'NetworkNotFound';
}
