import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Workload } from '../../api/workload.ts';
import type { DesiredBinding } from './desired-bindings.ts';

type WorkloadStatus = NonNullable<Workload['status']>;
type StatusCondition = NonNullable<WorkloadStatus['conditions']>[number];

/**
 * Each interface's binding as found: absent, someone else's, the workload's own, or not made because its
 * network is being deleted (a binding would only hold that deletion up).
 */
export type InterfaceBinding =
  | { readonly kind: 'Missing' }
  | { readonly kind: 'Foreign' }
  | { readonly kind: 'Owned'; readonly binding: NetworkBinding }
  | { readonly kind: 'NetworkDeleting' };

/**
 * The workload's status: one entry per interface with its binding's subnet and address, and Ready when every
 * interface is bound; BindingFailed names the first interface that cannot be.
 */
export function workloadStatus(
  workload: Workload,
  interfaces: readonly { readonly desired: DesiredBinding; readonly found: InterfaceBinding }[],
  now: string,
): WorkloadStatus {
  const generation = workload.metadata.generation;
  const at = generation === undefined ? {} : { observedGeneration: generation };
  const failure = interfaces.find(
    ({ found }) =>
      found.kind === 'Foreign' ||
      found.kind === 'NetworkDeleting' ||
      (found.kind === 'Owned' && found.binding.status?.phase === 'Failed'),
  );
  const pending = interfaces.find(
    ({ found }) => found.kind !== 'Owned' || found.binding.status?.phase !== 'Bound',
  );
  const verdict =
    failure !== undefined
      ? {
          status: 'False' as const,
          reason: 'BindingFailed' as const,
          message: failureMessage(failure.desired, failure.found),
        }
      : pending !== undefined
        ? {
            status: 'False' as const,
            reason: 'Pending' as const,
            message: `waiting for NetworkBinding ${pending.desired.name}`,
          }
        : {
            status: 'True' as const,
            reason: 'Ready' as const,
            message: `${interfaces.length} interface(s) bound`,
          };
  const previous = workload.status?.conditions?.find((c) => c.type === 'Ready');
  const ready: StatusCondition = {
    type: 'Ready',
    ...verdict,
    lastTransitionTime: previous?.status === verdict.status ? previous.lastTransitionTime : now,
    ...at,
  };
  return {
    ...at,
    conditions: [ready],
    interfaces: interfaces.map(({ desired, found }) => {
      const status = found.kind === 'Owned' ? found.binding.status : undefined;
      return {
        network: desired.network,
        binding: desired.name,
        ...(status?.subnetRef === undefined ? {} : { subnet: status.subnetRef.name }),
        ...(status?.ipAddress === undefined ? {} : { ipAddress: status.ipAddress }),
      };
    }),
  };
}

function failureMessage(desired: DesiredBinding, found: InterfaceBinding): string {
  switch (found.kind) {
    case 'Owned':
      return `NetworkBinding ${desired.name}: ${found.binding.status?.conditions?.find((c) => c.type === 'Bound')?.message ?? 'failed'}`;
    case 'Foreign':
      return `NetworkBinding ${desired.name} exists and does not belong to this workload`;
    case 'NetworkDeleting':
      return `network ${desired.network} is being deleted: no NetworkBinding for its interface until it is gone`;
    case 'Missing':
      return `waiting for NetworkBinding ${desired.name}`;
  }
}
