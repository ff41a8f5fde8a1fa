import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { changedKeys } from '../runtime/changed-keys.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import { controllerReference, sameSpecAndLife } from '../runtime/object-versions.ts';
import { type AllocationPlan, type PlanClaim, type PlanSubnet, planAllocations } from './allocation-plan.ts';
import { SUBNET_CLAIM_FINALIZER } from './claim-finalizer.ts';
import type { ClaimOutcomes } from './claim-outcomes.ts';
import {
  BY_NETWORK,
  type ClaimObject,
  claimByUid,
  claimUidsOf,
  type NetworkObject,
  networkKeyOf,
  type RecordObject,
  SUBNET_BY_CLAIM_UID,
  type SubnetObject,
} from './indexes.ts';
import { readFresh } from './read-fresh.ts';
import { allocationSpec, entryOf, recordEntries } from './record-entries.ts';
import { subnetNameFor } from './subnet-name.ts';

export interface NetworkAllocatorOptions {
  readonly networks: Informer<NetworkObject>;
  readonly claims: Informer<ClaimObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly records: Informer<RecordObject>;
  readonly recordClient: ResourceClient<RecordObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly subnetClient: ResourceClient<SubnetObject>;
  readonly outcomes: ClaimOutcomes;
  /** Tells the claim controller that what it would report for a claim changed. */
  readonly notifyClaim: (key: string) => void;
  /** Runs between reading a record and writing it back: tests widen the race window with it. */
  readonly beforeCommit?: (network: string) => Promise<void>;
  readonly workers?: number;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/**
 * The least time between two commits to one network's record. Every commit rewrites the whole record, so
 * under a burst of claims the allocator waits and serves all that arrived meanwhile in one write: 50 ms, plus
 * 0.2 ms per entry the record holds, up to 200 ms. A write costs the API server in proportion to the record's
 * size, so spacing writes in proportion too keeps a large network from crowding out every other request.
 */
export function commitIntervalMs(entries: number): number {
  return Math.min(200, 50 + entries / 5);
}
/** Lost compare-and-swaps in a row before the key goes back to the queue with backoff. */
const MAX_ATTEMPTS = 8;
const NONE: ReadonlySet<string> = new Set();
/** Deleted holders confirmed with the API server at once. */
const CONFIRM_CONCURRENCY = 16;

/**
 * Allocates subnets one network at a time, keyed by `namespace/network`: every claim waiting in the network
 * is served in one round and the round is committed by one update of the network's NetworkAllocation at the
 * resourceVersion it was planned from, so a burst of claims costs one write, and of two operators racing on
 * one network, the API server lets exactly one commit; the other re-reads and plans again. Subnets written by
 * hand are reserved in the record the same way, so a claim can never be committed onto one. Blocks of deleted
 * claims and Subnets are freed in the same write once the API server confirms the holder is gone.
 */
export function networkAllocatorController(options: NetworkAllocatorOptions): Controller {
  const { networks, claims, subnets, records, metrics, logger } = options;
  const clock = options.clock ?? systemClock;
  const nextCommit = new Map<string, number>();
  // The order claims were first seen in, to break ties of creationTimestamp (whole seconds).
  const seen = new Map<string, number>();
  let sequence = 0;

  /**
   * The network's live claims that `record` holds no block for, in the order they are served. Those it
   * holds are passed over here rather than by the plan: a large network has thousands, and sorting them on
   * every round would cost more than the round.
   */
  const pendingClaims = (networkKey: string, record: RecordObject | undefined): PlanClaim[] =>
    claims
      .byIndex(BY_NETWORK, networkKey)
      .filter(
        (claim) =>
          claim.metadata.deletionTimestamp === undefined &&
          SUBNET_CLAIM_FINALIZER.on(claim) &&
          entryOf(record, claim.metadata.uid ?? '') === undefined,
      )
      .sort(inCreationOrder(seen))
      .map(planClaim);

  /** Whether the cache has lost the entry's holder, which the API server is then asked to confirm. */
  const seemsGone = (namespace: string, entry: NetworkAllocationEntry): boolean => {
    switch (entry.kind) {
      case 'SubnetClaim': {
        const claim = claimByUid(claims, entry.uid);
        const leaving = claim === undefined || claim.metadata.deletionTimestamp !== undefined;
        return leaving && subnets.byIndex(SUBNET_BY_CLAIM_UID, entry.uid).length === 0;
      }
      case 'Subnet':
        return subnets.get(namespace, entry.name)?.metadata.uid !== entry.uid;
    }
  };

  /**
   * Holders of `entries` that the API server says are gone: claims along with every Subnet they owned, and
   * Subnets written by hand.
   */
  const releasable = async (
    namespace: string,
    entries: readonly NetworkAllocationEntry[],
    confirmed: Map<string, boolean>,
    signal: AbortSignal,
  ): Promise<Set<string>> => {
    const candidates = entries.filter((entry) => !confirmed.has(entry.uid) && seemsGone(namespace, entry));
    for (let at = 0; at < candidates.length; at += CONFIRM_CONCURRENCY) {
      const batch = candidates.slice(at, at + CONFIRM_CONCURRENCY);
      const gone = await Promise.all(batch.map((entry) => holderGone(namespace, entry, signal)));
      batch.forEach((entry, i) => void confirmed.set(entry.uid, gone[i]!));
    }
    return new Set([...confirmed].filter(([, gone]) => gone).map(([uid]) => uid));
  };

  const holderGone = async (
    namespace: string,
    entry: NetworkAllocationEntry,
    signal: AbortSignal,
  ): Promise<boolean> => {
    if (entry.kind === 'Subnet') {
      const subnet = await readFresh(options.subnetClient, namespace, entry.name, signal);
      return subnet?.metadata.uid !== entry.uid;
    }
    const claim = await readFresh(options.claimClient, namespace, entry.name, signal);
    if (claim?.metadata.uid === entry.uid && claim.metadata.deletionTimestamp === undefined) return false;
    const subnet = await readFresh(options.subnetClient, namespace, subnetNameFor(entry.name), signal);
    return subnet === undefined || !claimUidsOf(subnet).includes(entry.uid);
  };

  // What this allocator last wrote per network, until its own watch shows it: planning from a cache that
  // has not caught up with our last commit would only lose the next compare-and-swap.
  const written = new Map<string, RecordObject>();
  /** Networks where a holder may have gone since the last look at every entry, and those looked at once. */
  const holdersLeft = new Set<string>();
  const scanned = new Set<string>();
  const latestRecord = (key: string, namespace: string, name: string): RecordObject | undefined => {
    const cached = records.get(namespace, name);
    const ours = written.get(key);
    if (ours === undefined) return cached;
    if (cached !== undefined && !olderThan(cached, ours)) {
      written.delete(key);
      return cached;
    }
    return ours;
  };

  const commit = async (
    namespace: string,
    name: string,
    network: NetworkObject | undefined,
    record: RecordObject | undefined,
    plan: AllocationPlan,
    signal: AbortSignal,
  ): Promise<RecordObject> => {
    const spec = allocationSpec(name, plan.entries);
    const ownerReferences =
      network === undefined ? record?.metadata.ownerReferences : [controllerReference(network, 'Network')];
    const metadata = {
      ...(record?.metadata ?? { name, namespace }),
      ...(ownerReferences === undefined ? {} : { ownerReferences }),
    };
    if (record === undefined) {
      return options.recordClient.create(
        {
          apiVersion: 'networking.datumapis.com/v1alpha1',
          kind: 'NetworkAllocation',
          metadata,
          spec,
        },
        { signal },
      );
    }
    return options.recordClient.update({ ...record, metadata, spec }, { signal });
  };

  const publish = (namespace: string, pending: readonly PlanClaim[], plan: AllocationPlan): void => {
    for (const claim of pending) {
      const failure = plan.failures.get(claim.uid);
      if (failure === undefined) {
        options.outcomes.delete(claim.uid);
      } else if (options.outcomes.set(claim.uid, failure)) {
        if (failure.reason === 'InsufficientCapacity') metrics?.allocation('subnet', 'exhausted');
        options.notifyClaim(keyOf(namespace, claim.name));
      }
    }
  };

  /** Plans a round and commits it at the record's resourceVersion, planning again on every lost race. */
  const commitRound = async (
    key: string,
    network: NetworkObject | undefined,
    pending: readonly PlanClaim[],
    signal: AbortSignal,
  ): Promise<AllocationPlan> => {
    const { namespace = '', name } = splitKey(key);
    // Claims' Subnets in any order; those written by hand, which the plan serves in turn, in creation order.
    const claimed: PlanSubnet[] = [];
    const byHand: SubnetObject[] = [];
    for (const subnet of subnets.byIndex(BY_NETWORK, key)) {
      const planned = planSubnet(subnet);
      if (planned.claimUids.length > 0) claimed.push(planned);
      else if (subnet.metadata.deletionTimestamp === undefined) byHand.push(subnet);
    }
    const subnetsOfNetwork = [...claimed, ...byHand.sort(inCreationOrder(seen)).map(planSubnet)];
    const confirmed = new Map<string, boolean>();
    let record = latestRecord(key, namespace, name);
    // Every entry is checked for a holder gone only when one may have gone: a large network holds thousands.
    let scan = holdersLeft.delete(key) || !scanned.has(key);
    for (let attempt = 1; ; attempt++) {
      const entries = recordEntries(record);
      let gone: ReadonlySet<string> = NONE;
      try {
        if (scan) gone = await releasable(namespace, entries, confirmed, signal);
      } catch (error) {
        holdersLeft.add(key);
        throw error;
      }
      if (scan) scanned.add(key);
      const plan = planAllocations({
        network: network === undefined ? undefined : { name, blocks: blocksOf(network) },
        entries,
        pending,
        releasable: gone,
        subnets: subnetsOfNetwork,
      });
      if (plan.problems.length > 0)
        logger?.warn('blocks no pool can hold', { network: key, problems: plan.problems });
      const adopt = network !== undefined && record !== undefined && !ownedBy(record, network);
      const changed = plan.allocated.length + plan.reserved.length + plan.released.length > 0;
      if (!changed && !adopt) return plan;
      await options.beforeCommit?.(key);
      try {
        written.set(key, await commit(namespace, name, network, record, plan, signal));
        nextCommit.set(key, clock.now() + commitIntervalMs(plan.entries.length));
        return plan;
      } catch (error) {
        // Conflict or AlreadyExists: another writer got there first. NotFound: the record went with its network.
        if (!isConflict(error) && !isAlreadyExists(error) && !isNotFound(error)) throw error;
        metrics?.allocation('subnet', 'conflict');
        if (attempt >= MAX_ATTEMPTS) {
          throw new Error(`the allocation record of ${key} changed under ${attempt} attempts in a row`, {
            cause: error,
          });
        }
        record = await readFresh(options.recordClient, namespace, name, signal);
        // Another writer's entries may name holders this allocator saw go before they were written.
        scan = true;
      }
    }
  };

  const report = (key: string, plan: AllocationPlan): void => {
    const { namespace = '', name } = splitKey(key);
    const allocated = plan.allocated.length + plan.reserved.length;
    if (allocated > 0) metrics?.allocation('subnet', 'allocated', allocated);
    if (plan.released.length > 0) metrics?.allocation('subnet', 'released', plan.released.length);
    for (const [family, stats] of plan.usage) {
      const ratio = stats.size === 0n ? 0 : Number(stats.allocated) / Number(stats.size);
      metrics?.utilization(namespace, name, family === 4 ? 'IPv4' : 'IPv6', ratio);
    }
  };

  const controller = new Controller({
    name: 'subnetclaim-allocator',
    workers: options.workers ?? 8,
    ...(metrics === undefined ? {} : { metrics }),
    ...(logger === undefined ? {} : { logger }),
    clock,
    reconcile: async (key, signal) => {
      const wait = (nextCommit.get(key) ?? Number.NEGATIVE_INFINITY) - clock.now();
      if (wait > 0) return { requeueAfter: wait };
      const { namespace = '', name } = splitKey(key);
      const found = networks.get(namespace, name);
      const network = found?.metadata.deletionTimestamp === undefined ? found : undefined;
      if (network === undefined) metrics?.forgetNetwork(namespace, name);
      const pending = pendingClaims(key, latestRecord(key, namespace, name));
      const plan = await commitRound(key, network, pending, signal);
      report(key, plan);
      publish(namespace, pending, plan);
      return undefined;
    },
  });

  controller.watch(
    changedKeys(networks, (before, after) => {
      const key = keyOfObject((after ?? before)!);
      if (after === undefined) {
        written.delete(key);
        nextCommit.delete(key);
        scanned.delete(key);
      }
      holdersLeft.add(key);
      return before !== undefined && after !== undefined && sameSpecAndLife(before, after) ? [] : [key];
    }),
    (keys) => keys,
  );
  controller.watch(
    changedKeys(records, (before, after) => {
      const key = keyOfObject((after ?? before)!);
      // Not this allocator's own write: its entries are checked before the next round builds on them.
      const ours = written.get(key);
      if (after === undefined || ours === undefined || olderThan(ours, after)) holdersLeft.add(key);
      return [key];
    }),
    (keys) => keys,
  );
  controller.watch(
    changedKeys(claims, (before, after) => {
      const uid = (after ?? before)?.metadata.uid ?? '';
      if (before === undefined) seen.set(uid, sequence++);
      if (after === undefined) {
        seen.delete(uid);
        options.outcomes.delete(uid);
      }
      if (after === undefined || after.metadata.deletionTimestamp !== undefined) {
        holdersLeft.add(networkKeyOf((after ?? before)!));
      }
      if (before !== undefined && after !== undefined && sameClaimForAllocation(before, after)) return [];
      return [networkKeyOf((after ?? before)!)];
    }),
    (keys) => keys,
  );
  controller.watch(
    changedKeys(subnets, (before, after) => {
      if (after === undefined || after.metadata.deletionTimestamp !== undefined) {
        holdersLeft.add(networkKeyOf((after ?? before)!));
      }
      if (before !== undefined && after !== undefined && sameSubnetForAllocation(before, after)) return [];
      return [networkKeyOf((after ?? before)!)];
    }),
    (keys) => keys,
  );
  return controller;
}

/**
 * Whether `a` is an older version of the object than `b`. Kubernetes resourceVersions are opaque, but every
 * server in use (etcd, nso) makes them increasing integers; anything else counts as not older, which only
 * costs a lost compare-and-swap.
 */
function olderThan(a: RecordObject, b: RecordObject): boolean {
  const [x, y] = [a.metadata.resourceVersion ?? '', b.metadata.resourceVersion ?? ''];
  return /^\d+$/.test(x) && /^\d+$/.test(y) && BigInt(x) < BigInt(y);
}

function keyOfObject(object: NetworkObject | RecordObject): string {
  return keyOf(object.metadata.namespace, object.metadata.name ?? '');
}

function blocksOf(network: NetworkObject): string[] {
  return [...(network.spec.ipv4Blocks ?? []), ...(network.spec.ipv6Blocks ?? [])];
}

function planClaim(claim: ClaimObject): PlanClaim {
  return {
    name: claim.metadata.name ?? '',
    uid: claim.metadata.uid ?? '',
    family: claim.spec.ipFamily === 'IPv6' ? 6 : 4,
    prefixLength: claim.spec.prefixLength,
    cidrBlock: claim.spec.cidrBlock,
    previousCidr: claim.status?.cidrBlock,
  };
}

/** Per cached Subnet object (never changed in place), as every round maps every Subnet of the network. */
const plannedSubnets = new WeakMap<SubnetObject, PlanSubnet>();

function planSubnet(subnet: SubnetObject): PlanSubnet {
  let planned = plannedSubnets.get(subnet);
  if (planned === undefined) {
    planned = {
      name: subnet.metadata.name ?? '',
      uid: subnet.metadata.uid ?? '',
      cidrBlock: subnet.spec.cidrBlock,
      claimUids: claimUidsOf(subnet),
    };
    plannedSubnets.set(subnet, planned);
  }
  return planned;
}

function inCreationOrder(
  seen: ReadonlyMap<string, number>,
): (a: ClaimObject | SubnetObject, b: ClaimObject | SubnetObject) => number {
  const position = (object: ClaimObject | SubnetObject): number =>
    seen.get(object.metadata.uid ?? '') ?? Number.MAX_SAFE_INTEGER;
  const compare = (x = '', y = ''): number => (x < y ? -1 : x > y ? 1 : 0);
  return (a, b) =>
    compare(a.metadata.creationTimestamp, b.metadata.creationTimestamp) ||
    position(a) - position(b) ||
    compare(a.metadata.name, b.metadata.name);
}

function ownedBy(record: RecordObject, network: NetworkObject): boolean {
  return (record.metadata.ownerReferences ?? []).some(
    (ref) => ref.kind === 'Network' && ref.uid === network.metadata.uid && ref.controller === true,
  );
}

function sameClaimForAllocation(a: ClaimObject, b: ClaimObject): boolean {
  return (
    a.metadata.generation === b.metadata.generation &&
    a.metadata.deletionTimestamp === b.metadata.deletionTimestamp &&
    SUBNET_CLAIM_FINALIZER.on(a) === SUBNET_CLAIM_FINALIZER.on(b)
  );
}

function sameSubnetForAllocation(a: SubnetObject, b: SubnetObject): boolean {
  return (
    a.metadata.deletionTimestamp === b.metadata.deletionTimestamp &&
    a.spec.cidrBlock === b.spec.cidrBlock &&
    claimUidsOf(a).join() === claimUidsOf(b).join()
  );
}
