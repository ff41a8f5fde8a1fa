/**
 * What the policy engine reads: the parts of Namespaces, Networks, Workloads and NetworkPolicies it needs,
 * typed structurally so the API kinds (src/api) are accepted as they are without this layer importing them.
 */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const POLICY_TYPES = ['Ingress', 'Egress'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ObjectMetaInput {
  readonly name?: string;
  /** `default` when absent. */
  readonly namespace?: string;
  readonly labels?: Labels;
}

export interface NamespaceInput {
  readonly metadata: { readonly name?: string; readonly labels?: Labels };
}

export interface NetworkReferenceInput {
  readonly name: string;
  readonly namespace?: string;
}

export interface NetworkInput {
  readonly metadata: ObjectMetaInput;
  readonly spec: {
    readonly ipv4Blocks?: readonly string[];
    readonly ipv6Blocks?: readonly string[];
    readonly peering?: readonly { readonly networkRef: NetworkReferenceInput }[];
  };
  readonly status?: {
    readonly peerings?: readonly { readonly networkRef: NetworkReferenceInput; readonly state: string }[];
  };
}

export interface WorkloadPortInput {
  readonly name: string;
  readonly port: number;
  readonly protocol?: Protocol;
}

export interface WorkloadInput {
  readonly metadata: ObjectMetaInput;
  readonly spec: {
    readonly ports?: readonly WorkloadPortInput[];
    readonly networkInterfaces?: readonly {
      readonly network: { readonly name: string };
      readonly ipAddress?: string;
    }[];
  };
  readonly status?: {
    readonly interfaces?: readonly { readonly network: string; readonly ipAddress?: string }[];
  };
}

export interface IPBlockInput {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface PeerInput {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlockInput;
}

export interface PortInput {
  readonly protocol?: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface IngressRuleInput {
  readonly from?: readonly PeerInput[];
  readonly ports?: readonly PortInput[];
}

export interface EgressRuleInput {
  readonly to?: readonly PeerInput[];
  readonly ports?: readonly PortInput[];
}

export interface NetworkPolicyInput {
  readonly metadata: ObjectMetaInput;
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly PolicyType[];
    readonly ingress?: readonly IngressRuleInput[];
    readonly egress?: readonly EgressRuleInput[];
  };
}

/** Namespaces may be omitted: one named by any object exists with only its kubernetes.io/metadata.name label. */
export interface PolicyInputs {
  readonly namespaces?: readonly NamespaceInput[];
  readonly networks: readonly NetworkInput[];
  readonly workloads: readonly WorkloadInput[];
  readonly policies: readonly NetworkPolicyInput[];
}

export const DEFAULT_NAMESPACE = 'default';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
