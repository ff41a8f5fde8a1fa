import { type Static, Type } from 'typebox';
import { Conditions, LabelSelector, ObservedGeneration } from './common.ts';
import { CidrBlock, celContains } from './ip-fields.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { IntOrString, rules, StringConstant, StringEnum } from './structural.ts';

export const POLICY_TYPES = ['Ingress', 'Egress'] as const;
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export const NETWORK_POLICY_CONDITIONS = ['Accepted'] as const;
export const NETWORK_POLICY_REASONS = ['Accepted', 'Pending'] as const;
export type NetworkPolicyReason = (typeof NETWORK_POLICY_REASONS)[number];

/** A port number (1-65535) or an IANA service name (at most 15 lowercase letters, digits and '-'). */
const PORT_RULE = {
  rule: "type(self) == int ? (self >= 1 && self <= 65535) : (self.size() <= 15 && self.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && self.matches('[a-z]') && !self.contains('--'))",
  messageExpression:
    "type(self) == int ? 'port ' + string(self) + ' is out of range: use 1 to 65535' : 'port \"' + self + '\" is not a valid port name: at most 15 lowercase letters, digits and \\'-\\', with at least one letter'",
};

export const NetworkPolicyPort = Type.Object(
  {
    protocol: Type.Optional(
      StringEnum(PROTOCOLS, { description: 'The protocol: TCP, UDP or SCTP.', default: 'TCP' }),
    ),
    port: Type.Optional(
      IntOrString({
        description: 'A port number or a named port of the workload; all ports when omitted.',
        'x-kubernetes-validations': [PORT_RULE],
      }),
    ),
    endPort: Type.Optional(
      Type.Integer({
        description: 'With a numeric port: the last port of a range.',
        minimum: 1,
        maximum: 65535,
      }),
    ),
  },
  {
    description: 'A port or range of ports.',
    ...rules({
      rule: '!has(self.endPort) || (has(self.port) && type(self.port) == int && self.endPort >= self.port)',
      messageExpression:
        "!has(self.port) || type(self.port) != int ? 'endPort requires a numeric port' : 'endPort ' + string(self.endPort) + ' must be greater than or equal to port ' + string(self.port)",
      fieldPath: '.endPort',
    }),
  },
);

const STRICTLY_INSIDE = `${celContains('self.cidr', 'e')} && cidr(e).prefixLength() > cidr(self.cidr).prefixLength()`;

export const IPBlock = Type.Object(
  {
    cidr: CidrBlock('A CIDR block, e.g. 10.0.0.0/16.'),
    except: Type.Optional(
      Type.Array(CidrBlock('A block inside cidr to leave out.'), {
        description: 'Blocks inside cidr to leave out.',
        maxItems: 64,
      }),
    ),
  },
  {
    description: 'Addresses by CIDR block.',
    ...rules({
      rule: `!has(self.except) || self.except.all(e, !isCIDR(e) || !isCIDR(self.cidr) || (${STRICTLY_INSIDE}))`,
      messageExpression: `'every except block must lie strictly inside ' + self.cidr + '; ' + self.except.filter(e, isCIDR(e) && isCIDR(self.cidr) && !(${STRICTLY_INSIDE})).join(', ') + ' does not'`,
      fieldPath: '.except',
    }),
  },
);

export const NetworkPolicyPeer = Type.Object(
  {
    podSelector: Type.Optional(LabelSelector),
    namespaceSelector: Type.Optional(LabelSelector),
    ipBlock: Type.Optional(IPBlock),
  },
  {
    description:
      'Who traffic may come from or go to. podSelector and namespaceSelector in one peer must both match (AND); separate peers are alternatives (OR).',
    ...rules(
      {
        rule: 'has(self.podSelector) || has(self.namespaceSelector) || has(self.ipBlock)',
        message: 'a peer needs podSelector, namespaceSelector or ipBlock',
      },
      {
        rule: '!has(self.ipBlock) || (!has(self.podSelector) && !has(self.namespaceSelector))',
        message: 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer',
      },
    ),
  },
);

const Ports = Type.Optional(
  Type.Array(NetworkPolicyPort, {
    description: 'Ports the rule allows; every port when omitted.',
    maxItems: 64,
  }),
);

export const NetworkPolicyIngressRule = Type.Object(
  {
    from: Type.Optional(
      Type.Array(NetworkPolicyPeer, {
        description: 'Sources the rule allows; every source when omitted.',
        maxItems: 64,
      }),
    ),
    ports: Ports,
  },
  { description: 'Traffic a selected workload may receive.' },
);

export const NetworkPolicyEgressRule = Type.Object(
  {
    to: Type.Optional(
      Type.Array(NetworkPolicyPeer, {
        description: 'Destinations the rule allows; every destination when omitted.',
        maxItems: 64,
      }),
    ),
    ports: Ports,
  },
  { description: 'Traffic a selected workload may send.' },
);

export const NetworkPolicySpec = Type.Object(
  {
    podSelector: {
      ...LabelSelector,
      description: 'The workloads of this namespace the policy selects; {} selects all.',
    },
    policyTypes: Type.Optional(
      Type.Array(StringEnum(POLICY_TYPES), {
        description:
          'The directions the policy isolates. Defaults to Ingress, plus Egress when egress rules are present.',
        maxItems: 2,
        'x-kubernetes-list-type': 'set',
      }),
    ),
    ingress: Type.Optional(
      Type.Array(NetworkPolicyIngressRule, {
        description: 'Allowed incoming traffic (additive).',
        maxItems: 64,
      }),
    ),
    egress: Type.Optional(
      Type.Array(NetworkPolicyEgressRule, {
        description: 'Allowed outgoing traffic (additive).',
        maxItems: 64,
      }),
    ),
  },
  {
    description:
      'Which traffic selected workloads may send and receive, with Kubernetes NetworkPolicy semantics.',
  },
);

export const NetworkPolicyStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    selectedWorkloads: Type.Optional(
      Type.Integer({ description: 'How many workloads the policy selects.', minimum: 0 }),
    ),
    selectedNames: Type.Optional(
      Type.Array(Type.String(), { description: 'Up to 20 of the selected workloads.', maxItems: 20 }),
    ),
    policyTypes: Type.Optional(
      Type.Array(StringEnum(POLICY_TYPES), { description: 'The policy types in effect, after defaulting.' }),
    ),
    warnings: Type.Optional(
      Type.Array(Type.String(), { description: 'Things that are valid but probably not what was meant.' }),
    ),
  },
  { description: 'The observed state of a NetworkPolicy.' },
);

export const NetworkPolicy = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkPolicy', 'NetworkPolicy'),
  metadata: ObjectMeta,
  spec: NetworkPolicySpec,
  status: Type.Optional(NetworkPolicyStatus),
});
export type NetworkPolicy = Static<typeof NetworkPolicy>;

export const NetworkPolicyKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  shortNames: ['dnetpol'],
  categories: CATEGORIES,
  description: 'Controls traffic between workloads, with the semantics of Kubernetes NetworkPolicy.',
  schema: NetworkPolicy,
  printerColumns: [
    {
      name: 'Selected',
      type: 'integer',
      jsonPath: '.status.selectedWorkloads',
      description: 'Workloads selected.',
    },
    {
      name: 'Policy-Types',
      type: 'string',
      jsonPath: '.status.policyTypes',
      description: 'Directions isolated.',
    },
    {
      name: 'Pod-Selector',
      type: 'string',
      jsonPath: '.spec.podSelector.matchLabels',
      description: 'The labels selected.',
      priority: 1,
    },
    ageColumn,
  ],
  selectableFields: [],
};
