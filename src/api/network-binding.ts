import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, ObservedGeneration } from './common.ts';
import { IPAddress } from './ip-fields.ts';
import { ageColumn, CATEGORIES, type KindDefinition, NETWORKING_GROUP, VERSION } from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant, StringEnum } from './structural.ts';

export const ALLOCATION_TYPES = ['Dynamic', 'Static'] as const;
export const NETWORK_BINDING_PHASES = ['Pending', 'Bound', 'Failed'] as const;
export const NETWORK_BINDING_CONDITIONS = ['Bound', 'Ready'] as const;
export const NETWORK_BINDING_REASONS = [
  'Bound',
  'Pending',
  'AddressInUse',
  'AddressReserved',
  'AddressOutOfRange',
  'SubnetExhausted',
  'SubnetNotFound',
  'NetworkNotFound',
  'NoSubnet',
  'Deleting',
] as const;
export type NetworkBindingReason = (typeof NETWORK_BINDING_REASONS)[number];

export const IPAddressAllocation = Type.Object(
  {
    type: StringEnum(ALLOCATION_TYPES, {
      description: 'Dynamic takes the lowest free address of the subnet; Static asks for specificIP.',
      default: 'Dynamic',
    }),
    specificIP: Type.Optional(IPAddress('The address to bind when type is Static, e.g. 10.0.1.10.')),
  },
  {
    description: 'How the binding gets its address.',
    default: { type: 'Dynamic' },
    ...rules(
      {
        rule: "self.type != 'Static' || has(self.specificIP)",
        message: 'specificIP is required when type is Static',
        reason: 'FieldValueRequired',
        fieldPath: '.specificIP',
      },
      {
        rule: "self.type == 'Static' || !has(self.specificIP)",
        message: 'specificIP may only be set when type is Static',
        reason: 'FieldValueForbidden',
        fieldPath: '.specificIP',
      },
    ),
  },
);

export const WorkloadReference = Type.Object(
  {
    name: Type.String({
      description: 'The name of the workload, in the same namespace.',
      minLength: 1,
      maxLength: 253,
    }),
    kind: Type.String({ description: 'The kind of the workload.', default: 'Workload', maxLength: 63 }),
  },
  { description: 'The workload to bind.' },
);

export const NetworkBindingSpec = Type.Object(
  {
    workloadRef: WorkloadReference,
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    subnetRef: Type.Optional(LocalReference('Subnet')),
    ipAddressAllocation: Type.Optional(IPAddressAllocation),
  },
  { description: 'Connects a workload to a network.' },
);

export const NetworkBindingStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    phase: Type.Optional(StringEnum(NETWORK_BINDING_PHASES, { description: 'Pending, Bound or Failed.' })),
    ipAddress: Type.Optional(Type.String({ description: 'The address bound.' })),
    subnetRef: Type.Optional(LocalReference('Subnet')),
    gateway: Type.Optional(Type.String({ description: "The subnet's gateway." })),
  },
  { description: 'The observed state of a NetworkBinding.' },
);

export const NetworkBinding = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkBinding', 'NetworkBinding'),
  metadata: ObjectMeta,
  spec: NetworkBindingSpec,
  status: Type.Optional(NetworkBindingStatus),
});
export type NetworkBinding = Static<typeof NetworkBinding>;

export const NetworkBindingKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkBinding',
  plural: 'networkbindings',
  singular: 'networkbinding',
  shortNames: ['nb'],
  categories: CATEGORIES,
  description:
    'Connects a workload to a network and gives it an address. Workloads with networkInterfaces get their bindings automatically.',
  schema: NetworkBinding,
  printerColumns: [
    { name: 'Workload', type: 'string', jsonPath: '.spec.workloadRef.name', description: 'The workload.' },
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    { name: 'Subnet', type: 'string', jsonPath: '.status.subnetRef.name', description: 'The subnet.' },
    { name: 'IP', type: 'string', jsonPath: '.status.ipAddress', description: 'The address.' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Pending, Bound or Failed.' },
    {
      name: 'Allocation',
      type: 'string',
      jsonPath: '.spec.ipAddressAllocation.type',
      description: 'Dynamic or Static.',
      priority: 1,
    },
    ageColumn,
  ],
  selectableFields: ['.spec.networkRef.name', '.spec.workloadRef.name', '.status.phase'],
};
