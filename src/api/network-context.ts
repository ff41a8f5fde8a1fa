import { type Static, Type } from 'typebox';
import { Conditions, LocalReference, ObservedGeneration } from './common.ts';
import {
  ageColumn,
  CATEGORIES,
  conditionColumn,
  type KindDefinition,
  NETWORKING_GROUP,
  VERSION,
} from './kind.ts';
import { ObjectMeta } from './object-meta.ts';
import { Immutable, rules, StringConstant } from './structural.ts';

export const NETWORK_CONTEXT_CONDITIONS = ['Ready', 'Programmed'] as const;
export const NETWORK_CONTEXT_REASONS = [
  'Programmed',
  'Programming',
  'NetworkNotFound',
  'UnknownProvider',
  'ProviderFailed',
  'Deleting',
] as const;
export type NetworkContextReason = (typeof NETWORK_CONTEXT_REASONS)[number];

export const GcpProviderConfig = Type.Object(
  {
    region: Type.Optional(Type.String({ description: 'The GCP region, e.g. us-central1.', maxLength: 63 })),
    autoCreateSubnets: Type.Optional(
      Type.Boolean({
        description: 'Whether GCP creates a subnet in every region (auto mode VPC).',
        default: false,
      }),
    ),
  },
  { description: 'Configuration for the Google Cloud provider.' },
);

export const LinuxProviderConfig = Type.Object(
  {
    namespacePrefix: Type.Optional(
      Type.String({
        description: 'The prefix of the network namespaces the provider creates.',
        maxLength: 16,
        pattern: '^[a-z][a-z0-9-]*$',
      }),
    ),
  },
  { description: 'Configuration for the Linux provider (network namespaces, routes and nftables).' },
);

export const NetworkContextSpec = Type.Object(
  {
    networkRef: { ...LocalReference('Network'), ...rules(Immutable('networkRef')) },
    providerConfig: Type.Object(
      {
        gcp: Type.Optional(GcpProviderConfig),
        linux: Type.Optional(LinuxProviderConfig),
      },
      {
        description:
          'Provider-specific configuration, keyed by provider name. Exactly one provider is named; providers nso does not know yet are kept as written.',
        'x-kubernetes-preserve-unknown-fields': true,
        ...rules({
          rule: 'size(self) == 1',
          message: 'providerConfig must name exactly one provider, e.g. gcp or linux',
        }),
      },
    ),
  },
  { description: 'How a network is implemented by a provider.' },
);

export const ProviderResource = Type.Object({
  kind: Type.String({ description: 'What the provider created, e.g. netns or vpc.' }),
  name: Type.String({ description: 'Its name at the provider.' }),
  id: Type.Optional(Type.String({ description: 'Its identifier at the provider.' })),
});

export const NetworkContextStatus = Type.Object(
  {
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions),
    provider: Type.Optional(Type.String({ description: 'The provider that implements the network.' })),
    resources: Type.Optional(
      Type.Array(ProviderResource, { description: 'What the provider created for this network.' }),
    ),
  },
  { description: 'The observed state of a NetworkContext.' },
);

export const NetworkContext = Type.Object({
  apiVersion: StringConstant('networking.datumapis.com/v1alpha1', 'networking.datumapis.com/v1alpha1'),
  kind: StringConstant('NetworkContext', 'NetworkContext'),
  metadata: ObjectMeta,
  spec: NetworkContextSpec,
  status: Type.Optional(NetworkContextStatus),
});
export type NetworkContext = Static<typeof NetworkContext>;

export const NetworkContextKind: KindDefinition = {
  group: NETWORKING_GROUP,
  version: VERSION,
  kind: 'NetworkContext',
  plural: 'networkcontexts',
  singular: 'networkcontext',
  shortNames: ['netctx'],
  categories: CATEGORIES,
  description: 'How a Network is implemented by a provider, with provider-specific configuration.',
  schema: NetworkContext,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.networkRef.name', description: 'The network.' },
    { name: 'Provider', type: 'string', jsonPath: '.status.provider', description: 'The provider.' },
    conditionColumn('Ready'),
    ageColumn,
  ],
  selectableFields: ['.spec.networkRef.name'],
};
