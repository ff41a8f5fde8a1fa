import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, Name, ObservedGeneration } from './common.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant, StringEnum } from './structural.ts';

/** What may hold a block of a network: a claim the operator allocated for, or a Subnet written with its own cidrBlock. */
export const ALLOCATION_HOLDER_KINDS = ['SubnetClaim', 'Subnet'] as const;
export type AllocationHolderKind = (typeof ALLOCATION_HOLDER_KINDS)[number];

/** A network holds at most this many blocks: the record is one object, and objects stay under 3 MiB. */
export const MAX_NETWORK_ALLOCATIONS = 20_000;

export const NetworkAllocationEntry = Type.Object(
  {
    cidr: Type.String({
      description: 'The block, in canonical form, e.g. 10.100.0.0/24.',
      format: 'cidr',
      maxLength: 49,
    }),
    kind: StringEnum(ALLOCATION_HOLDER_KINDS, {
      description: 'The kind of the holder: SubnetClaim or Subnet.',
    }),
    name: Name('The name of the holder, in the same namespace.'),
    uid: Type.String({
      description:
        "The holder's metadata.uid: the block belongs to that object only, never to a later one of the same name.",
      minLength: 1,
      maxLength: 128,
    }),
  },
  { description: 'One block of the network and the object that holds it.' },
);
export type NetworkAllocationEntry = Static<typeof NetworkAllocationEntry>;

export const NetworkAllocationSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    allocations: Type.Array(NetworkAllocationEntry, {
      description: 'Every block allocated in the network, in address order; no two overlap.',
      maxItems: MAX_NETWORK_ALLOCATIONS,
      'x-kubernetes-list-type': 'atomic',
    }),
    count: Type.Integer({
      description: 'The number of allocations, kept with them so that kubectl can show it.',
      minimum: 0,
      maximum: MAX_NETWORK_ALLOCATIONS,
    }),
  },
  {
    description: "The committed allocations of one network's address space.",
    ...rules({
      rule: 'size(self.allocations) == self.count',
      messageExpression:
        "'count is ' + string(self.count) + ' but there are ' + string(size(self.allocations)) + ' allocations'",
      fieldPath: '.count',
    }),
  },
);
export type NetworkAllocationSpec = Static<typeof NetworkAllocationSpec>;

export const NetworkAllocationStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
  },
  { description: 'The observed state of a NetworkAllocation.' },
);

export const NetworkAllocation = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkAllocation', 'NetworkAllocation'),
  metadata: ObjectMeta,
  spec: NetworkAllocationSpec,
  status: Type.Optional(NetworkAllocationStatus),
});
export type NetworkAllocation = Static<typeof NetworkAllocation>;

export const NetworkAllocationKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkAllocation',
  plural: 'networkallocations',
  singular: 'networkallocation',
  shortNames: ['netalloc'],
  categories: CATEGORIES,
  description:
    "The operator's record of which blocks of a network are allocated and to whom: one per Network, named like it and owned by it. Every allocation is committed by updating this object at its resourceVersion, so the API server decides between racing operators. Written by the operator, not by hand.",
  schema: NetworkAllocation,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    { name: 'Allocations', type: 'integer', jsonPath: '.spec.count', description: 'Blocks allocated.' },
    ageColumn,
  ],
  selectableFields: [],
};
