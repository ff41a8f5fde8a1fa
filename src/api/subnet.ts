import { type Static, Type } from 'typebox';
import { Conditions, IPFamily, LocalReference, Location, ObservedGeneration } from './common.ts';
import { CidrBlock } from './ip-fields.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { BigCount, Immutable, rules, StringConstant, StringEnum } from './structural.ts';

export const SUBNET_PHASES = ['Pending', 'Ready', 'Failed'] as const;
export const SUBNET_CONDITIONS = ['Ready'] as const;
export const SUBNET_REASONS = [
  'Ready',
  'Pending',
  'NetworkNotFound',
  'OutsideNetwork',
  'Overlaps',
  'FamilyNotInNetwork',
  'InvalidCIDR',
  'AddressConflict',
  'Deleting',
] as const;
export type SubnetReason = (typeof SUBNET_REASONS)[number];

export const SubnetSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    cidrBlock: CidrBlock(
      "The block of the subnet, inside one of the network's blocks, e.g. 10.0.1.0/24.",
      undefined,
      Immutable('cidrBlock'),
    ),
    ipFamily: Type.Optional(IPFamily),
    location: Type.Optional(Location),
  },
  {
    description: "A block of a network's address space, created for a SubnetClaim or written directly.",
    ...rules({
      rule: "!isCIDR(self.cidrBlock) || cidr(self.cidrBlock).ip().family() == (self.ipFamily == 'IPv6' ? 6 : 4)",
      messageExpression:
        "'cidrBlock ' + self.cidrBlock + ' is not an ' + self.ipFamily + ' block (ipFamily is ' + self.ipFamily + ')'",
      fieldPath: '.cidrBlock',
    }),
  },
);

export const SubnetStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    phase: Type.Optional(StringEnum(SUBNET_PHASES, { description: 'Pending, Ready or Failed.' })),
    gateway: Type.Optional(Type.String({ description: 'The gateway address: the first usable address.' })),
    reservedIPs: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Addresses no binding can have (network, gateway, broadcast…).',
      }),
    ),
    allocatedIPs: Type.Optional(BigCount('Addresses in use: the reserved ones plus those bound.')),
    availableIPs: Type.Optional(BigCount('Addresses free to bind.')),
  },
  { description: 'The observed state of a Subnet.' },
);

export const Subnet = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('Subnet', 'Subnet'),
  metadata: ObjectMeta,
  spec: SubnetSpec,
  status: Type.Optional(SubnetStatus),
});
export type Subnet = Static<typeof Subnet>;

export const SubnetKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'Subnet',
  plural: 'subnets',
  singular: 'subnet',
  shortNames: ['sn'],
  categories: CATEGORIES,
  description:
    "A block of a network's address space from which workloads get addresses. Created by the operator for a SubnetClaim, or written directly with an explicit cidrBlock.",
  schema: Subnet,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    { name: 'CIDR', type: 'string', jsonPath: '.spec.cidrBlock', description: 'The block.' },
    { name: 'Region', type: 'string', jsonPath: '.spec.location.region', description: 'The region.' },
    { name: 'Zone', type: 'string', jsonPath: '.spec.location.zone', description: 'The zone.' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Pending, Ready or Failed.' },
    { name: 'Allocated', type: 'string', jsonPath: '.status.allocatedIPs', description: 'Addresses in use.' },
    { name: 'Available', type: 'string', jsonPath: '.status.availableIPs', description: 'Addresses free.' },
    {
      name: 'Gateway',
      type: 'string',
      jsonPath: '.status.gateway',
      description: 'The gateway.',
      priority: 1,
    },
    ageColumn,
  ],
  selectableFields: ['.spec.networkRef.name', '.status.phase'],
};
