import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, Location, ObservedGeneration } from './common.ts';
import { IPAddress } from './ip-fields.ts';
import {
  ageColumn,
  CATEGORIES,
  COMPUTE_GROUP,
  conditionColumn,
  type KindDefinition,
  VERSION,
} from './kind.ts';
import { PROTOCOLS } from './network-policy.ts';
import { ObjectMeta } from './object-meta.ts';
import { rules, StringConstant, StringEnum } from './structural.ts';

export const WORKLOAD_CONDITIONS = ['Ready'] as const;
export const WORKLOAD_REASONS = ['Ready', 'Pending', 'BindingFailed'] as const;
export type WorkloadReason = (typeof WORKLOAD_REASONS)[number];

export const WorkloadPort = Type.Object(
  {
    name: Type.String({
      description: 'The port name NetworkPolicies can refer to (an IANA service name).',
      minLength: 1,
      maxLength: 15,
      pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
    }),
    port: Type.Integer({ description: 'The port number.', minimum: 1, maximum: 65535 }),
    protocol: Type.Optional(StringEnum(PROTOCOLS, { description: 'TCP, UDP or SCTP.', default: 'TCP' })),
  },
  { description: 'A named port the workload serves.' },
);

export const NetworkInterface = Type.Object(
  {
    network: LocalReference('Network'),
    subnet: Type.Optional(LocalReference('Subnet')),
    ipAddress: Type.Optional(
      IPAddress('A specific address for this interface; a Static binding is made for it.'),
    ),
  },
  {
    description:
      'An interface attaching the workload to a network; the operator creates a NetworkBinding for it.',
  },
);

export const InterfaceStatus = Type.Object({
  network: Type.String({ description: 'The network.' }),
  subnet: Type.Optional(Type.String({ description: 'The subnet.' })),
  ipAddress: Type.Optional(Type.String({ description: 'The address.' })),
  binding: Type.Optional(Type.String({ description: 'The NetworkBinding made for the interface.' })),
});

export const WorkloadSpec = Type.Object(
  {
    location: Type.Optional(Location),
    ports: Type.Optional(
      Type.Array(WorkloadPort, {
        description: 'Ports the workload serves.',
        maxItems: 64,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
    networkInterfaces: Type.Optional(
      Type.Array(NetworkInterface, {
        description: 'Networks the workload attaches to, one interface each.',
        maxItems: 8,
        ...rules({
          rule: 'self.all(i, self.exists_one(j, j.network.name == i.network.name))',
          message: 'a workload may attach to each network once',
        }),
      }),
    ),
  },
  { description: 'What networking needs to know about a workload.' },
);

export const WorkloadStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    interfaces: Type.Optional(Type.Array(InterfaceStatus, { description: 'The address of each interface.' })),
  },
  { description: 'The observed state of a Workload.' },
);

export const Workload = Type.Object({
  apiVersion: StringConstant('compute.datumapis.com/v1alpha1', 'compute.datumapis.com/v1alpha1'),
  kind: StringConstant('Workload', 'Workload'),
  metadata: ObjectMeta,
  spec: WorkloadSpec,
  status: Type.Optional(WorkloadStatus),
});
export type Workload = Static<typeof Workload>;

export const WorkloadKind: KindDefinition = {
  group: COMPUTE_GROUP,
  version: VERSION,
  kind: 'Workload',
  plural: 'workloads',
  singular: 'workload',
  shortNames: ['wl'],
  categories: CATEGORIES,
  description:
    'A compute workload, as far as networking needs: labels, location, named ports and network interfaces.',
  schema: Workload,
  printerColumns: [
    {
      name: 'Addresses',
      type: 'string',
      jsonPath: '.status.interfaces[*].ipAddress',
      description: 'Its addresses.',
    },
    conditionColumn('Ready'),
    ageColumn,
  ],
  selectableFields: [],
};
