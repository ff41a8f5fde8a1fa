import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import type { AddressObject, BindingObject } from '../network-binding/indexes.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { EventRecorder, EventType } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import {
  type ClaimObject,
  claimUidsOf,
  type NetworkObject,
  type RecordObject,
  type SubnetObject,
} from '../subnet-claim/indexes.ts';
import { readFresh } from '../subnet-claim/read-fresh.ts';
import { allocationSpec, recordEntries } from '../subnet-claim/record-entries.ts';
import { subnetNameFor } from '../subnet-claim/subnet-name.ts';
import {
  type AuditAddress,
  type AuditInput,
  auditNetwork,
  describeEntry,
  type Finding,
  type NetworkAudit,
  type Orphan,
} from './allocation-audit.ts';
import { addNetworkIndex, BY_NETWORK } from './indexes.ts';
import { Sightings } from './sightings.ts';

export interface RepairControllerOptions {
  readonly networks: Informer<NetworkObject>;
  readonly allocations: Informer<RecordObject>;
  readonly claims: Informer<ClaimObject>;
  readonly subnets: Informer<SubnetObject>;
  readonly bindings: Informer<BindingObject>;
  readonly addresses: Informer<AddressObject>;
  readonly allocationClient: ResourceClient<RecordObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly subnetClient: ResourceClient<SubnetObject>;
  readonly bindingClient: ResourceClient<BindingObject>;
  readonly addressClient: ResourceClient<AddressObject>;
  readonly recorder?: EventRecorder;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Time between two passes over every network; 30 s unless given. */
  readonly intervalMs?: number;
  /** Time from creating the controller to its first pass; 1 s unless given. */
  readonly firstPassAfterMs?: number;
  /** Passes in a row an orphan must be seen in before it is freed; 3 unless given. */
  readonly sightings?: number;
}

export const REPAIR_REASONS = ['DuplicateAllocation', 'AllocationOutOfRange', 'OrphanReleased'] as const;
export type RepairReason = (typeof REPAIR_REASONS)[number];

/** The one key of the repair controller's queue: every pass covers every network. */
const PASS = 'allocation-repair';

interface NetworkPass {
  readonly network: NetworkObject;
  readonly key: string;
  readonly audit: NetworkAudit;
}

/**
 * Kubernetes' ClusterIP repair loop for subnets and addresses: every interval it audits each network from the
 * caches, reports blocks and addresses held twice or outside the network as Warning events, and frees what
 * is held for an object that no longer exists once it has been seen so for `sightings` passes in a row and
 * the API server confirms the holder is gone. A record entry is removed by an update at the resourceVersion
 * read, a NetworkAddress is deleted with a uid precondition; a lost race waits for the next pass.
 */
export function repairController(options: RepairControllerOptions): Controller {
  const { networks, allocations, claims, subnets, bindings, addresses, recorder, metrics, logger } = options;
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 30_000;
  const threshold = options.sightings ?? 3;
  const sightings = new Sightings();
  addNetworkIndex(claims);
  addNetworkIndex(subnets);
  addNetworkIndex(bindings);
  addNetworkIndex(addresses);
  const log = logger?.child({ controller: 'allocation-repair' });
  const emit = (network: NetworkObject, type: EventType, reason: RepairReason, message: string): void => {
    void recorder?.record(network, type, reason, message);
  };

  const inputOf = (network: NetworkObject, key: string): AuditInput => {
    const name = network.metadata.name ?? '';
    const holder = (object: ClaimObject | BindingObject) => ({
      name: object.metadata.name ?? '',
      uid: object.metadata.uid ?? '',
    });
    return {
      network: name,
      blocks: [...(network.spec.ipv4Blocks ?? []), ...(network.spec.ipv6Blocks ?? [])],
      entries: recordEntries(allocations.get(network.metadata.namespace, name)),
      subnets: subnets.byIndex(BY_NETWORK, key).map((subnet) => ({
        name: subnet.metadata.name ?? '',
        uid: subnet.metadata.uid ?? '',
        cidrBlock: subnet.spec.cidrBlock,
        claimUids: claimUidsOf(subnet),
      })),
      claims: claims.byIndex(BY_NETWORK, key).map(holder),
      addresses: addresses.byIndex(BY_NETWORK, key).map((address) => ({
        name: address.metadata.name ?? '',
        uid: address.metadata.uid ?? '',
        address: address.spec.address,
        holder: { name: address.spec.holder.name, uid: address.spec.holder.uid },
      })),
      bindings: bindings.byIndex(BY_NETWORK, key).map(holder),
    };
  };

  const report = ({ network, key, audit }: NetworkPass): void => {
    const findings: [RepairReason, Finding<string>][] = [
      ...audit.duplicates.map((finding): [RepairReason, Finding<string>] => ['DuplicateAllocation', finding]),
      ...audit.outOfRange.map((finding): [RepairReason, Finding<string>] => [
        'AllocationOutOfRange',
        finding,
      ]),
    ];
    for (const [reason, finding] of findings) {
      log?.warn(finding.message, { network: key, reason, problem: finding.kind });
      emit(network, 'Warning', reason, finding.message);
    }
  };

  /** Whether the API server has neither the entry's holder nor, for a claim, the Subnet made for it. */
  const holderGone = async (
    namespace: string | undefined,
    entry: NetworkAllocationEntry,
    signal: AbortSignal,
  ): Promise<boolean> => {
    if (entry.kind === 'Subnet') {
      const subnet = await readFresh(options.subnetClient, namespace, entry.name, signal);
      return subnet?.metadata.uid !== entry.uid;
    }
    const claim = await readFresh(options.claimClient, namespace, entry.name, signal);
    if (claim?.metadata.uid === entry.uid) return false;
    const subnet = await readFresh(options.subnetClient, namespace, subnetNameFor(entry.name), signal);
    return subnet === undefined || !claimUidsOf(subnet).includes(entry.uid);
  };

  const releaseEntries = async (
    { network, key }: NetworkPass,
    orphans: readonly NetworkAllocationEntry[],
    signal: AbortSignal,
  ): Promise<void> => {
    const { namespace, name = '' } = network.metadata;
    const gone: NetworkAllocationEntry[] = [];
    for (const entry of orphans) {
      if (await holderGone(namespace, entry, signal)) gone.push(entry);
      else sightings.forget(entryKey(key, entry));
    }
    if (gone.length === 0) return;
    const record = await readFresh(options.allocationClient, namespace, name, signal);
    if (record === undefined) return;
    const freed = new Set(gone.map((entry) => entryKey(key, entry)));
    const entries = recordEntries(record);
    const kept = entries.filter((entry) => !freed.has(entryKey(key, entry)));
    const released = entries.filter((entry) => freed.has(entryKey(key, entry)));
    if (released.length > 0) {
      try {
        await options.allocationClient.update(
          { ...record, spec: allocationSpec(record.spec.networkRef.name, kept) },
          { signal },
        );
      } catch (error) {
        if (!isConflict(error) && !isNotFound(error)) throw error;
        metrics?.allocation('subnet', 'conflict');
        log?.info('allocation record changed while freeing orphans; trying again next pass', {
          network: key,
        });
        return;
      }
      metrics?.allocation('subnet', 'released', released.length);
    }
    for (const entry of gone) sightings.forget(entryKey(key, entry));
    for (const entry of released) {
      const message = `freed ${entry.cidr} of ${describeEntry(entry)} (uid ${entry.uid}): it was gone for ${threshold} passes in a row`;
      log?.info(message, { network: key, reason: 'OrphanReleased' });
      emit(network, 'Normal', 'OrphanReleased', message);
    }
  };

  const releaseAddress = async (
    { network, key }: NetworkPass,
    address: AuditAddress,
    signal: AbortSignal,
  ): Promise<void> => {
    const { namespace } = network.metadata;
    const sighting = addressKey(key, address);
    const binding = await readFresh(options.bindingClient, namespace, address.holder.name, signal);
    if (binding?.metadata.uid === address.holder.uid) {
      sightings.forget(sighting);
      return;
    }
    try {
      await options.addressClient.delete(namespace, address.name, {
        preconditions: { uid: address.uid },
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) {
        sightings.forget(sighting);
        return;
      }
      if (!isConflict(error)) throw error;
      metrics?.allocation('address', 'conflict');
      return;
    }
    sightings.forget(sighting);
    metrics?.allocation('address', 'released');
    const message = `freed ${address.address}: deleted NetworkAddress ${address.name}, whose NetworkBinding ${address.holder.name} (uid ${address.holder.uid}) was gone for ${threshold} passes in a row`;
    log?.info(message, { network: key, reason: 'OrphanReleased' });
    emit(network, 'Normal', 'OrphanReleased', message);
  };

  const repair = async (each: NetworkPass, counts: ReadonlyMap<string, number>, signal: AbortSignal) => {
    const due = (orphan: Orphan) => (counts.get(orphanKey(each.key, orphan)) ?? 0) >= threshold;
    for (const orphan of each.audit.orphans) {
      if (!due(orphan)) {
        const count = counts.get(orphanKey(each.key, orphan)) ?? 0;
        log?.info('orphan seen', { network: each.key, orphan: describeOrphan(orphan), passes: count });
      }
    }
    const entries = each.audit.orphans.flatMap((o) => (o.kind === 'Entry' && due(o) ? [o.entry] : []));
    if (entries.length > 0) await releaseEntries(each, entries, signal);
    for (const orphan of each.audit.orphans) {
      if (orphan.kind === 'Address' && due(orphan)) await releaseAddress(each, orphan.address, signal);
    }
  };

  const pass = async (signal: AbortSignal): Promise<void> => {
    const audited: NetworkPass[] = networks
      .list()
      .filter((network) => network.metadata.deletionTimestamp === undefined)
      .map((network) => {
        const key = keyOf(network.metadata.namespace, network.metadata.name ?? '');
        return { network, key, audit: auditNetwork(inputOf(network, key)) };
      });
    const counts = sightings.pass(
      audited.flatMap(({ key, audit }) => audit.orphans.map((orphan) => orphanKey(key, orphan))),
    );
    for (const each of audited) {
      report(each);
      try {
        await repair(each, counts, signal);
      } catch (error) {
        if (signal.aborted) return;
        // One network's failure must not hold back the others; its orphans are seen again next pass.
        log?.error('could not free orphans; trying again next pass', { network: each.key, error });
      }
    }
  };

  const controller = new Controller({
    name: 'allocation-repair',
    clock,
    ...(metrics === undefined ? {} : { metrics }),
    ...(logger === undefined ? {} : { logger }),
    reconcile: async (_key, signal) => {
      const informers = [networks, allocations, claims, subnets, bindings, addresses];
      if (informers.every((informer) => informer.hasSynced())) await pass(signal);
      return { requeueAfter: intervalMs };
    },
  });
  controller.queue.addAfter(PASS, options.firstPassAfterMs ?? 1_000);
  return controller;
}

function entryKey(network: string, entry: NetworkAllocationEntry): string {
  return JSON.stringify([network, 'entry', entry.uid, entry.cidr]);
}

function addressKey(network: string, address: AuditAddress): string {
  return JSON.stringify([network, 'address', address.holder.uid, address.address]);
}

function orphanKey(network: string, orphan: Orphan): string {
  return orphan.kind === 'Entry' ? entryKey(network, orphan.entry) : addressKey(network, orphan.address);
}

function describeOrphan(orphan: Orphan): string {
  return orphan.kind === 'Entry'
    ? `${orphan.entry.cidr} of ${describeEntry(orphan.entry)} (uid ${orphan.entry.uid})`
    : `${orphan.address.address} of NetworkBinding ${orphan.address.holder.name} (uid ${orphan.address.holder.uid})`;
}
