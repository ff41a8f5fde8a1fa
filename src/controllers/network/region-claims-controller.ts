import { isDeepStrictEqual } from 'node:util';
import type { Network } from '../../api/network.ts';
import type { SubnetClaim } from '../../api/subnet-claim.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import type { Clock } from '../runtime/clock.ts';
import { Controller } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import { controllerReference } from '../runtime/object-versions.ts';
import { type DesiredClaim, regionClaims } from './region-claims.ts';

type NetworkObject = Network & KubeObject;
type ClaimObject = SubnetClaim & KubeObject;

/** Claims by the uid of the Network that controls them. */
const CLAIM_BY_NETWORK_UID = 'network/region-claim-by-owner-uid';

export interface RegionClaimsOptions {
  readonly networks: Informer<NetworkObject>;
  readonly claims: Informer<ClaimObject>;
  readonly claimClient: ResourceClient<ClaimObject>;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Network spec.regions → one SubnetClaim per region claim, controlled by the network (so deleting the network
 * deletes them, and the claims' finalizers free their blocks), kept equal to the spec: a claim whose size or
 * family changed is deleted and made again, one for a removed region is deleted. The SubnetClaim controllers
 * allocate them. A claim of that name the network does not control is left alone, with a Warning Event.
 */
export function regionClaimsController(options: RegionClaimsOptions): Controller {
  const { networks, claims, claimClient, recorder } = options;
  ensureIndex(claims, CLAIM_BY_NETWORK_UID, (claim) => {
    const owner = controllerOf(claim);
    return owner === undefined ? [] : [owner];
  });

  const ensureClaim = async (network: NetworkObject, desired: DesiredClaim, signal: AbortSignal) => {
    const namespace = network.metadata.namespace;
    const existing = claims.get(namespace, desired.name);
    if (existing !== undefined) {
      if (existing.metadata.deletionTimestamp !== undefined) return;
      if (controllerOf(existing) !== network.metadata.uid) {
        void recorder?.record(
          network,
          'Warning',
          'ClaimNameTaken',
          `SubnetClaim ${desired.name} exists and is not owned by this network; region claim skipped`,
        );
        return;
      }
      if (isDeepStrictEqual(specOf(existing), desired.spec)) return;
      // Size and family are immutable: a changed claim is deleted, and its deletion re-queues the network.
      if (
        existing.spec.prefixLength !== desired.spec.prefixLength ||
        existing.spec.ipFamily !== desired.spec.ipFamily
      ) {
        await deleteClaim(existing, signal);
        return;
      }
      try {
        await claimClient.update({ ...existing, spec: { ...existing.spec, ...desired.spec } }, { signal });
      } catch (error) {
        // The cache was behind the server: the watch brings the newer claim and re-queues the network.
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
      return;
    }
    try {
      await claimClient.create(
        {
          apiVersion: 'networking.datumapis.com/v1alpha1',
          kind: 'SubnetClaim',
          metadata: {
            name: desired.name,
            ...(namespace === undefined ? {} : { namespace }),
            ownerReferences: [controllerReference(network, 'Network')],
          },
          spec: desired.spec,
        },
        { signal },
      );
      void recorder?.record(network, 'Normal', 'ClaimCreated', `created SubnetClaim ${desired.name}`);
    } catch (error) {
      // Another operator made it a moment ago, or it is someone else's: the watch brings it either way.
      if (!isAlreadyExists(error)) throw error;
    }
  };

  const deleteClaim = async (claim: ClaimObject, signal: AbortSignal) => {
    try {
      await claimClient.delete(claim.metadata.namespace, claim.metadata.name ?? '', {
        preconditions: { uid: claim.metadata.uid ?? '' },
        signal,
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  };

  const controller = new Controller({
    name: 'network-regions',
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const network = networks.get(namespace, name);
      // Deletion is the garbage collector's: the claims are owned.
      if (network === undefined || network.metadata.deletionTimestamp !== undefined) return undefined;
      const desired = regionClaims(network);
      const wanted = new Set(desired.map((claim) => claim.name));
      const stale = claims
        .byIndex(CLAIM_BY_NETWORK_UID, network.metadata.uid ?? '')
        .filter(
          (claim) => !wanted.has(claim.metadata.name ?? '') && claim.metadata.deletionTimestamp === undefined,
        );
      for (const claim of stale) await deleteClaim(claim, signal);
      for (const claim of desired) await ensureClaim(network, claim, signal);
      return undefined;
    },
  });
  controller.watch(informerSource(networks));
  controller.watch(informerSource(claims), (claim) =>
    (claim.metadata.ownerReferences ?? [])
      .filter((ref) => ref.kind === 'Network' && ref.controller === true)
      .map((ref) => keyOf(claim.metadata.namespace, ref.name)),
  );
  return controller;
}

function controllerOf(claim: ClaimObject): string | undefined {
  return claim.metadata.ownerReferences?.find((ref) => ref.kind === 'Network' && ref.controller === true)
    ?.uid;
}

/** The fields a region claim sets, as stored. */
function specOf(claim: ClaimObject): DesiredClaim['spec'] {
  const { networkRef, prefixLength, ipFamily, location } = claim.spec;
  return {
    networkRef,
    prefixLength,
    ...(ipFamily === undefined ? {} : { ipFamily }),
    ...(location === undefined ? {} : { location }),
  };
}
