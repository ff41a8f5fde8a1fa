import { type NetworkPolicyInput, POLICY_TYPES, type PolicyType } from './inputs.ts';

/** Kubernetes defaulting: the listed types, or when none are listed Ingress, plus Egress if egress rules exist. */
export function effectivePolicyTypes(spec: NetworkPolicyInput['spec']): readonly PolicyType[] {
  const listed = spec.policyTypes ?? [];
  if (listed.length > 0) return POLICY_TYPES.filter((type) => listed.includes(type));
  return (spec.egress ?? []).length > 0 ? POLICY_TYPES : ['Ingress'];
}
