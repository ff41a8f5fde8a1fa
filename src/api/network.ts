import { type Static, Type } from 'typebox';
import {
  Conditions,
  IPFamily,
  NetworkReference,
  ObservedGeneration,
  PrefixLength,
  prefixLengthRule,
} from './common.ts';
import { NetworkBlock, noOverlapRule } from './ip-fields.ts';
import {
  ageColumn,
  CATEGORIES,
  conditionColumn,
  type KindDefinition,
  NETWORKING_GROUP,
  VERSION,
} from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { BigCount, rules, StringConstant, StringEnum } from './structural.ts';

export const NETWORK_CONDITIONS = ['Ready'] as const;
export const NETWORK_REASONS = [
  'Ready',
  'InvalidBlocks',
  'BlockInUse',
  'ProviderFailed',
  'Deleting',
] as const;
export type NetworkReason = (typeof NETWORK_REASONS)[number];

export const PEERING_STATES = ['Active', 'Pending', 'Conflict'] as const;

const blocks = (family: 4 | 6) =>
  Type.Optional(
    Type.Array(NetworkBlock(family), {
      description: `The network's IPv${family} address space: CIDR blocks that do not overlap one another.`,
      maxItems: 16,
      'x-kubernetes-list-type': 'set',
      ...rules(noOverlapRule(`ipv${family}Blocks`)),
    }),
  );

export const RegionSubnetClaim = Type.Object(
  {
    prefixLength: PrefixLength,
    ipFamily: Type.Optional(IPFamily),
    zone: Type.Optional(Type.String({ description: 'The zone within the region.', maxLength: 63 })),
  },
  {
    description:
      'A subnet the network claims in its region: the operator creates an owned SubnetClaim for it.',
    ...rules(prefixLengthRule),
  },
);

export const NetworkRegion = Type.Object(
  {
    name: Type.String({ description: 'The region, e.g. us-central1.', minLength: 1, maxLength: 63 }),
    subnetClaims: Type.Optional(
      Type.Array(RegionSubnetClaim, { description: 'Subnets to claim in this region.', maxItems: 64 }),
    ),
  },
  { description: 'A region the network spans.' },
);

export const NetworkPeering = Type.Object(
  { networkRef: NetworkReference },
  {
    description:
      'A peering with another network. Inside one namespace, declaring it on one side suffices; across namespaces both must declare it. Peering is not transitive.',
  },
);

export const FamilyUsage = Type.Object(
  {
    size: BigCount('Addresses in the blocks of this family.'),
    allocated: BigCount('Addresses allocated to subnets.'),
    available: BigCount('Addresses not allocated to any subnet.'),
    largestFreePrefix: Type.Optional(
      Type.Integer({
        description: 'The prefix length of the largest free block; absent when full.',
        minimum: 0,
      }),
    ),
  },
  { description: "How much of one family's address space is in use." },
);

export const PeeringStatus = Type.Object({
  networkRef: NetworkReference,
  state: StringEnum(PEERING_STATES, {
    description: 'Active, Pending (the other side has not declared it) or Conflict.',
  }),
  message: Type.Optional(Type.String({ description: 'Why the peering is in this state.', maxLength: 1024 })),
});

export const NetworkSpec = Type.Object(
  {
    ipv4Blocks: blocks(4),
    ipv6Blocks: blocks(6),
    peering: Type.Optional(
      Type.Array(NetworkPeering, {
        description: 'Networks to peer with.',
        maxItems: 64,
        ...rules({
          rule: 'self.all(p, self.exists_one(q, q.networkRef == p.networkRef))',
          message: 'each network may be peered only once',
        }),
      }),
    ),
    regions: Type.Optional(
      Type.Array(NetworkRegion, {
        description: 'Regions the network spans, each with the subnets it claims there.',
        maxItems: 64,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
    mtu: Type.Optional(
      Type.Integer({
        description: 'The maximum transmission unit of the network.',
        minimum: 1280,
        maximum: 8896,
        default: 1460,
      }),
    ),
  },
  {
    description: 'The desired state of a Network.',
    ...rules({
      rule: '(has(self.ipv4Blocks) && size(self.ipv4Blocks) > 0) || (has(self.ipv6Blocks) && size(self.ipv6Blocks) > 0)',
      message: 'a network needs at least one CIDR block in ipv4Blocks or ipv6Blocks',
    }),
  },
);

export const NetworkStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    ipv4: Type.Optional(FamilyUsage),
    ipv6: Type.Optional(FamilyUsage),
    peerings: Type.Optional(
      Type.Array(PeeringStatus, { description: 'The state of each declared peering.' }),
    ),
  },
  { description: 'The observed state of a Network.' },
);

export const Network = Type.Object(
  {
    apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
    kind: StringConstant('Network', 'Network'),
    metadata: ObjectMeta,
    spec: NetworkSpec,
    status: Type.Optional(NetworkStatus),
  },
  {
    ...rules({
      rule: '!has(self.spec.peering) || self.spec.peering.all(p, p.networkRef.name != self.metadata.name || has(p.networkRef.namespace))',
      message: 'a network cannot peer with itself',
      fieldPath: '.spec.peering',
    }),
  },
);
export type Network = Static<typeof Network>;
export type NetworkSpec = Static<typeof NetworkSpec>;
export type NetworkStatus = Static<typeof NetworkStatus>;

export const NetworkKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'Network',
  plural: 'networks',
  singular: 'network',
  shortNames: ['net'],
  categories: CATEGORIES,
  description:
    'An isolated virtual network with its own IPv4 and/or IPv6 address space, like a cloud VPC but provider-agnostic.',
  schema: Network,
  printerColumns: [
    { name: 'IPv4', type: 'string', jsonPath: '.spec.ipv4Blocks', description: 'The IPv4 blocks.' },
    { name: 'IPv6', type: 'string', jsonPath: '.spec.ipv6Blocks', description: 'The IPv6 blocks.' },
    { name: 'MTU', type: 'integer', jsonPath: '.spec.mtu', description: 'The MTU.', priority: 1 },
    conditionColumn('Ready'),
    ageColumn,
  ],
  selectableFields: [],
};
