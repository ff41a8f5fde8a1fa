import { type Static, Type } from 'typebox';
import {
  Conditions,
  IPFamily,
  LocalReference,
  Location,
  ObservedGeneration,
  PrefixLength,
  prefixLengthRule,
} from './common.ts';
import { CidrBlock } from './ip-fields.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant, StringEnum } from './structural.ts';

export const SUBNET_CLAIM_PHASES = ['Pending', 'Bound', 'Failed'] as const;
export const SUBNET_CLAIM_CONDITIONS = ['Allocated', 'Ready'] as const;
export const SUBNET_CLAIM_REASONS = [
  'Allocated',
  'Pending',
  'NetworkNotFound',
  'InsufficientCapacity',
  'PrefixLengthOutOfRange',
  'FamilyNotInNetwork',
  'Overlaps',
  'OutsideNetwork',
  'SubnetReady',
  'Deleting',
] as const;
export type SubnetClaimReason = (typeof SUBNET_CLAIM_REASONS)[number];

export const SubnetClaimSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    prefixLength: PrefixLength,
    ipFamily: Type.Optional(IPFamily),
    location: Type.Optional(Location),
    cidrBlock: Type.Optional(
      CidrBlock('A specific block to claim, e.g. 10.0.5.0/24; its prefix length must equal prefixLength.'),
    ),
  },
  {
    description: 'A request for a subnet of a given size from a network.',
    ...rules(
      prefixLengthRule,
      {
        rule: '!has(self.cidrBlock) || !isCIDR(self.cidrBlock) || cidr(self.cidrBlock).prefixLength() == self.prefixLength',
        messageExpression:
          "'cidrBlock ' + self.cidrBlock + ' is a /' + string(cidr(self.cidrBlock).prefixLength()) + ' but prefixLength is ' + string(self.prefixLength)",
        fieldPath: '.cidrBlock',
      },
      {
        rule: "!has(self.cidrBlock) || !isCIDR(self.cidrBlock) || cidr(self.cidrBlock).ip().family() == (self.ipFamily == 'IPv6' ? 6 : 4)",
        messageExpression:
          "'cidrBlock ' + self.cidrBlock + ' is not an ' + self.ipFamily + ' block (ipFamily is ' + self.ipFamily + ')'",
        fieldPath: '.cidrBlock',
      },
      {
        rule: 'has(self.cidrBlock) == has(oldSelf.cidrBlock) && (!has(self.cidrBlock) || self.cidrBlock == oldSelf.cidrBlock)',
        message: 'cidrBlock is immutable; delete and re-create the claim to change it',
        fieldPath: '.cidrBlock',
      },
      {
        rule: 'self.prefixLength == oldSelf.prefixLength && self.ipFamily == oldSelf.ipFamily',
        message: 'prefixLength and ipFamily are immutable; delete and re-create the claim to change them',
      },
    ),
  },
);

export const SubnetClaimStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    phase: Type.Optional(StringEnum(SUBNET_CLAIM_PHASES, { description: 'Pending, Bound or Failed.' })),
    subnetRef: Type.Optional(LocalReference('Subnet')),
    cidrBlock: Type.Optional(Type.String({ description: 'The block allocated to the claim.' })),
  },
  { description: 'The observed state of a SubnetClaim.' },
);

export const SubnetClaim = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('SubnetClaim', 'SubnetClaim'),
  metadata: ObjectMeta,
  spec: SubnetClaimSpec,
  status: Type.Optional(SubnetClaimStatus),
});
export type SubnetClaim = Static<typeof SubnetClaim>;

export const SubnetClaimKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'SubnetClaim',
  plural: 'subnetclaims',
  singular: 'subnetclaim',
  shortNames: ['snc'],
  categories: CATEGORIES,
  description:
    'A request for a subnet of a given size from a network. The operator allocates a block and creates a Subnet for it.',
  schema: SubnetClaim,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    {
      name: 'Prefix',
      type: 'integer',
      jsonPath: '.spec.prefixLength',
      description: 'The requested prefix length.',
    },
    {
      name: 'Family',
      type: 'string',
      jsonPath: '.spec.ipFamily',
      description: 'The address family.',
      priority: 1,
    },
    { name: 'CIDR', type: 'string', jsonPath: '.status.cidrBlock', description: 'The allocated block.' },
    {
      name: 'Subnet',
      type: 'string',
      jsonPath: '.status.subnetRef.name',
      description: 'The Subnet created.',
    },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Pending, Bound or Failed.' },
    ageColumn,
  ],
  selectableFields: ['.spec.networkRef.name', '.status.phase'],
};
