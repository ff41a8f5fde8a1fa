import type { NetworkBinding } from '../../api/network-binding.ts';
import type { Workload } from '../../api/workload.ts';
import type { DesiredBinding } from './desired-bindings.ts';

type WorkloadStatus = NonNullable<Workload['status']>;
type StatusCondition = NonNullable<WorkloadStatus['conditions']>[number];

/** Each interface's binding as found: absent, someone else's, or the workload's own. */
export type InterfaceBinding =
  | { readonly kind: 'Missing' }
  | { readonly kind: 'Foreign' }
  | { readonly kind: 'Owned'; readonly binding: NetworkBinding };

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
      found.kind === 'Foreign' || (found.kind === 'Owned' && found.binding.status?.phase === 'Failed'),
  );
  const pending = interfaces.find(
    ({ found }) => found.kind !== 'Owned' || found.binding.status?.phase !== 'Bound',
  );
  const verdict =
    failure !== undefined
      ? {
          status: 'False' as const,
          reason: 'BindingFailed' as const,
          message:
            failure.found.kind === 'Owned'
              ? `NetworkBinding ${failure.desired.name}: ${failure.found.binding.status?.conditions?.find((c) => c.type === 'Bound')?.message ?? 'failed'}`
              : `NetworkBinding ${failure.desired.name} exists and does not belong to this workload`,
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
