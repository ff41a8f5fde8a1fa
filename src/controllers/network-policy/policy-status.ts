import type { NetworkPolicy } from '../../api/network-policy.ts';
import type { PolicyReport } from '../../policy/index.ts';

export type NetworkPolicyStatus = NonNullable<NetworkPolicy['status']>;
type StatusCondition = NonNullable<NetworkPolicyStatus['conditions']>[number];

/**
 * The status the controller writes for one policy: what it selects, the policy types in effect, warnings
 * (each `field: message`, as kubectl prints field errors) and condition Accepted. A condition whose status
 * did not change keeps its lastTransitionTime.
 */
export function policyStatus(policy: NetworkPolicy, report: PolicyReport, now: string): NetworkPolicyStatus {
  const generation = policy.metadata.generation;
  const count = report.selectedCount;
  const warnings = report.warnings.map((warning) => `${warning.field}: ${warning.message}`);
  const accepted: StatusCondition = {
    type: 'Accepted',
    status: 'True',
    reason: warnings.length === 0 ? 'Accepted' : 'AcceptedWithWarnings',
    message:
      `selects ${count} workload${count === 1 ? '' : 's'}` +
      (warnings.length === 0 ? '' : `; ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`),
    lastTransitionTime: now,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  const previous = policy.status?.conditions?.find((condition) => condition.type === 'Accepted');
  const conditions = [
    previous !== undefined && previous.status === accepted.status
      ? { ...accepted, lastTransitionTime: previous.lastTransitionTime }
      : accepted,
  ];
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions,
    selectedWorkloads: count,
    selectedNames: [...report.selectedNames],
    policyTypes: [...report.policyTypes],
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}
