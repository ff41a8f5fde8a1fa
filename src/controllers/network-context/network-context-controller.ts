import { isDeepStrictEqual } from 'node:util';
import type { Network } from '../../api/network.ts';
import type { NetworkContext } from '../../api/network-context.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import { type KubeObject, keyOf } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import type { Provider, ProviderContext, ProviderNetwork } from '../../providers/provider.ts';
import { ensureIndex, informerSource } from '../runtime/client-adapters.ts';
import { type Clock, systemClock } from '../runtime/clock.ts';
import { Controller, type Result } from '../runtime/controller.ts';
import type { EventRecorder } from '../runtime/event-recorder.ts';
import { Finalizer } from '../runtime/finalizer.ts';
import type { OperatorMetrics } from '../runtime/metrics.ts';
import { splitKey } from '../runtime/object-key.ts';
import {
  networkContextStatus,
  outcomeMessage,
  outcomeReason,
  type ProgrammingOutcome,
} from './network-context-status.ts';

export type NetworkContextObject = NetworkContext & KubeObject;
export type NetworkObject = Network & KubeObject;

/** Held while a provider may have resources for the context, so they are deleted before it goes. */
export const PROVIDER_FINALIZER = new Finalizer('networking.datumapis.com/provider-resources');

/** Contexts by `namespace/network` of the network they reference. */
const CONTEXTS_BY_NETWORK = 'network-context/by-network';

export interface NetworkContextOptions {
  readonly contexts: Informer<NetworkContextObject>;
  readonly networks: Informer<NetworkObject>;
  readonly client: ResourceClient<NetworkContextObject>;
  /** Providers by the providerConfig key that selects them. */
  readonly providers: ReadonlyMap<string, Provider>;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: OperatorMetrics;
  readonly clock?: Clock;
}

/**
 * Realises each NetworkContext through the provider its providerConfig names: ensureNetwork with the
 * referenced Network while it exists, deleteNetwork (behind a finalizer) when the context is deleted or its
 * providerConfig switches to another provider.
 * Programmed and Ready say how it went — NetworkNotFound, UnknownProvider naming the known providers,
 * ProviderFailed with the provider's message — and every change of reason is an Event. A network change
 * re-queues the contexts that reference it.
 */
export function networkContextController(options: NetworkContextOptions): Controller {
  const { contexts, networks, providers, recorder } = options;
  const clock = options.clock ?? systemClock;
  ensureIndex(contexts, CONTEXTS_BY_NETWORK, (context) => [networkKeyOf(context)]);

  const program = async (
    context: NetworkContextObject,
    provider: Provider,
    signal: AbortSignal,
  ): Promise<ProgrammingOutcome> => {
    const ref = context.spec.networkRef.name;
    const network = networks.get(context.metadata.namespace, ref);
    if (network === undefined || network.metadata.deletionTimestamp !== undefined) {
      return { kind: 'NetworkNotFound', provider: provider.name, network: ref };
    }
    try {
      const result = await provider.ensureNetwork(
        providerContext(context, provider),
        providerNetwork(network),
        signal,
      );
      return result.ok
        ? {
            kind: 'Programmed',
            provider: provider.name,
            message: result.message,
            resources: result.resources,
          }
        : { kind: 'ProviderFailed', provider: provider.name, message: result.message };
    } catch (error) {
      return { kind: 'ProviderFailed', provider: provider.name, message: String(error) };
    }
  };

  /** deleteNetwork at each of these providers nso knows; a failure is retried. */
  const release = async (
    context: NetworkContextObject,
    names: readonly (string | undefined)[],
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    for (const name of new Set(names)) {
      const provider = name === undefined ? undefined : providers.get(name);
      if (provider === undefined) continue;
      const result = await provider.deleteNetwork(providerContext(context, provider), signal);
      if (!result.ok) {
        void recorder?.record(context, 'Warning', 'ProviderFailed', result.message);
        return { requeue: true };
      }
    }
    return undefined;
  };

  const finalize = async (
    context: NetworkContextObject,
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    if (!PROVIDER_FINALIZER.on(context)) return undefined;
    const failed = await release(context, [providerNameOf(context), context.status?.provider], signal);
    if (failed !== undefined) return failed;
    return write(() => options.client.update(PROVIDER_FINALIZER.removed(context), { signal }));
  };

  const writeStatus = async (
    context: NetworkContextObject,
    outcome: ProgrammingOutcome,
    signal: AbortSignal,
  ): Promise<Result | undefined> => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const status = networkContextStatus(context, outcome, now);
    if (isDeepStrictEqual(status, context.status ?? {})) return undefined;
    const written = await write(() => options.client.updateStatus({ ...context, status }, { signal }));
    if (written !== undefined) return written;
    const before = context.status?.conditions?.find((c) => c.type === 'Ready')?.reason;
    const reason = outcomeReason(outcome);
    if (before !== reason) {
      void recorder?.record(
        context,
        reason === 'Programmed' ? 'Normal' : 'Warning',
        reason,
        outcomeMessage(outcome),
      );
    }
    return undefined;
  };

  const controller = new Controller({
    name: 'network-context',
    clock,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    reconcile: async (key, signal) => {
      const { namespace, name } = splitKey(key);
      const context = contexts.get(namespace, name);
      if (context === undefined) return undefined;
      if (context.metadata.deletionTimestamp !== undefined) return finalize(context, signal);
      const providerName = providerNameOf(context);
      const previous = context.status?.provider;
      if (previous !== providerName && PROVIDER_FINALIZER.on(context)) {
        // providerConfig now names another provider: what the previous one created goes first.
        const failed = await release(context, [previous], signal);
        if (failed !== undefined) return failed;
      }
      const provider = providers.get(providerName);
      if (provider === undefined) {
        const known = [...providers.keys()].sort();
        return writeStatus(context, { kind: 'UnknownProvider', provider: providerName, known }, signal);
      }
      if (!PROVIDER_FINALIZER.on(context)) {
        // The update's watch event brings the context back with its finalizer.
        return write(() => options.client.update(PROVIDER_FINALIZER.added(context), { signal }));
      }
      const outcome = await program(context, provider, signal);
      const written = await writeStatus(context, outcome, signal);
      return outcome.kind === 'ProviderFailed' ? { requeue: true } : written;
    },
  });
  controller.watch(informerSource(contexts));
  controller.watch(informerSource(networks), (network) =>
    contexts
      .byIndex(CONTEXTS_BY_NETWORK, keyOf(network.metadata.namespace, network.metadata.name ?? ''))
      .map((context) => keyOf(context.metadata.namespace, context.metadata.name ?? '')),
  );
  return controller;
}

/** A write that lost to a newer object or to deletion: the watch brings the next state. */
async function write(run: () => Promise<unknown>): Promise<Result | undefined> {
  try {
    await run();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if (isConflict(error)) return { requeue: true };
    throw error;
  }
  return undefined;
}

/** The providerConfig key; the API admits exactly one. */
function providerNameOf(context: NetworkContextObject): string {
  const names = Object.keys(context.spec.providerConfig);
  return names.length === 1 ? (names[0] ?? '') : names.join('+');
}

function providerContext(context: NetworkContextObject, provider: Provider): ProviderContext {
  const config = (context.spec.providerConfig as Record<string, unknown>)[provider.name];
  return {
    namespace: context.metadata.namespace ?? '',
    name: context.metadata.name ?? '',
    uid: context.metadata.uid ?? '',
    config: typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {},
  };
}

function providerNetwork(network: NetworkObject): ProviderNetwork {
  return {
    namespace: network.metadata.namespace ?? '',
    name: network.metadata.name ?? '',
    uid: network.metadata.uid ?? '',
    ipv4Blocks: network.spec.ipv4Blocks ?? [],
    ipv6Blocks: network.spec.ipv6Blocks ?? [],
    ...(network.spec.mtu === undefined ? {} : { mtu: network.spec.mtu }),
  };
}

function networkKeyOf(context: NetworkContextObject): string {
  return keyOf(context.metadata.namespace, context.spec.networkRef.name);
}
