import type { NetworkContext, NetworkContextReason } from '../../api/network-context.ts';
import type { ProviderResource } from '../../providers/provider.ts';

type ContextStatus = NonNullable<NetworkContext['status']>;
type StatusCondition = NonNullable<ContextStatus['conditions']>[number];

/** What one attempt to program a context came to. */
export type ProgrammingOutcome =
  | { readonly kind: 'NetworkNotFound'; readonly provider: string; readonly network: string }
  | { readonly kind: 'UnknownProvider'; readonly provider: string; readonly known: readonly string[] }
  | { readonly kind: 'ProviderFailed'; readonly provider: string; readonly message: string }
  | {
      readonly kind: 'Programmed';
      readonly provider: string;
      readonly message: string;
      readonly resources: readonly ProviderResource[];
    };

export function outcomeReason(outcome: ProgrammingOutcome): NetworkContextReason {
  switch (outcome.kind) {
    case 'NetworkNotFound':
    case 'UnknownProvider':
    case 'ProviderFailed':
    case 'Programmed':
      return outcome.kind;
  }
}

export function outcomeMessage(outcome: ProgrammingOutcome): string {
  switch (outcome.kind) {
    case 'NetworkNotFound':
      return `network ${outcome.network} not found`;
    case 'UnknownProvider':
      return `unknown provider ${JSON.stringify(outcome.provider)}; known providers: ${outcome.known.join(', ') || 'none'}`;
    case 'ProviderFailed':
      return `provider ${outcome.provider} failed: ${outcome.message}`;
    case 'Programmed':
      return outcome.message;
  }
}

/**
 * The status a context has after `outcome`: Programmed and Ready carry the same verdict, conditions of other
 * types are kept, and a condition whose status did not change keeps its lastTransitionTime.
 */
export function networkContextStatus(
  context: NetworkContext,
  outcome: ProgrammingOutcome,
  now: string,
): ContextStatus {
  const generation = context.metadata.generation;
  const ok = outcome.kind === 'Programmed';
  const condition = (type: 'Programmed' | 'Ready'): StatusCondition => ({
    type,
    status: ok ? 'True' : 'False',
    reason: outcomeReason(outcome),
    message: outcomeMessage(outcome),
    lastTransitionTime: now,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  });
  const previous = context.status?.conditions ?? [];
  const next = [condition('Programmed'), condition('Ready')].map((each) => {
    const before = previous.find((c) => c.type === each.type);
    return before?.status === each.status ? { ...each, lastTransitionTime: before.lastTransitionTime } : each;
  });
  const kept = previous.filter((c) => c.type !== 'Programmed' && c.type !== 'Ready');
  const resources = ok ? outcome.resources.map((r) => ({ ...r })) : (context.status?.resources ?? []);
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions: [...kept, ...next],
    provider: outcome.provider,
    ...(resources.length === 0 ? {} : { resources }),
  };
}
