import { type Static, Type } from 'typebox';
import { ObjectMeta } from '../../api/object-meta.ts';
import { StringConstant } from '../../api/structural.ts';
import { ALL_VERBS, type ResourceInfo } from '../registry/resource-info.ts';
import type { FieldError } from '../schema/field-error.ts';
import { isJsonObject, type JsonSchemaProps } from '../schema/json-schema.ts';
import { jsonSchemaShapeErrors } from '../schema/json-schema-shape.ts';
import { customResourceDefinitionRules } from './custom-resource-definition-validation.ts';
import { openAPIV3SchemaOf } from './open-api-schema.ts';
import { Int32, Time } from './scalar-fields.ts';
import { wellTyped } from './well-typed.ts';

export { resourcesOfCustomResourceDefinition } from './custom-resource-definition-resources.ts';
export { customResourceDefinitionStatus } from './custom-resource-definition-status.ts';

const text = (description: string) => Type.Optional(Type.String({ description }));
const atomicList = <T extends Parameters<typeof Type.Array>[0]>(items: T, description: string) =>
  Type.Array(items, { description, 'x-kubernetes-list-type': 'atomic' });

export const CustomResourceDefinitionNames = Type.Object(
  {
    plural: Type.String({ description: 'The URL segment: /apis/<group>/<version>/<plural>. Lowercase.' }),
    singular: text('The singular name, used by kubectl. Defaults to the lowercase kind.'),
    shortNames: Type.Optional(atomicList(Type.String(), 'Short aliases for kubectl, e.g. net.')),
    kind: Type.String({ description: 'The CamelCase kind of the objects, e.g. Network.' }),
    listKind: text('The kind of lists of them. Defaults to <kind>List.'),
    categories: Type.Optional(atomicList(Type.String(), 'Groups the resource is listed in, e.g. all.')),
  },
  { description: 'The names the resource is served under.' },
);
export type CustomResourceDefinitionNames = Static<typeof CustomResourceDefinitionNames>;

export const CustomResourceColumnDefinition = Type.Object(
  {
    name: Type.String({ description: 'The column heading.' }),
    type: Type.String({ description: 'integer, number, string, boolean or date.' }),
    format: text('An OpenAPI format refining the type, e.g. int32 or date-time.'),
    description: text('What the column shows.'),
    priority: Type.Optional(Int32('0 shows the column in kubectl get; more only with -o wide.')),
    jsonPath: Type.String({ description: 'A simple JSONPath from the object root, e.g. .status.phase.' }),
  },
  { description: 'A column of kubectl get.' },
);

export const SelectableField = Type.Object(
  {
    jsonPath: Type.String({
      description: 'A JSONPath to a string, integer or boolean field, e.g. .spec.networkRef.name.',
    }),
  },
  { description: 'A field usable in field selectors.' },
);

export const CustomResourceSubresources = Type.Object(
  {
    status: Type.Optional(
      Type.Unsafe<Record<string, never>>({
        type: 'object',
        description: 'Serve the status subresource: spec and status are then written separately.',
      }),
    ),
    scale: Type.Optional(
      Type.Object(
        {
          specReplicasPath: Type.String({ description: 'Where the desired replicas are, under .spec.' }),
          statusReplicasPath: Type.String({ description: 'Where the observed replicas are, under .status.' }),
          labelSelectorPath: text('Where the label selector of the replicas is, as a string.'),
        },
        { description: 'Serve the scale subresource.' },
      ),
    ),
  },
  { description: 'The subresources served for this version.' },
);

export const CustomResourceDefinitionVersion = Type.Object(
  {
    name: Type.String({ description: 'The version, e.g. v1alpha1.' }),
    served: Type.Boolean({ description: 'Whether the version is served.' }),
    storage: Type.Boolean({ description: 'Whether objects are stored at this version; exactly one is.' }),
    deprecated: Type.Optional(Type.Boolean({ description: 'Whether clients are warned off this version.' })),
    deprecationWarning: text('The warning clients get instead of the default one.'),
    schema: Type.Optional(
      Type.Object(
        {
          openAPIV3Schema: Type.Optional(
            Type.Unsafe<JsonSchemaProps>({
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              description: 'The structural OpenAPI v3 schema of the objects.',
            }),
          ),
        },
        { description: 'How objects of this version are validated, pruned and defaulted.' },
      ),
    ),
    subresources: Type.Optional(CustomResourceSubresources),
    additionalPrinterColumns: Type.Optional(
      atomicList(CustomResourceColumnDefinition, 'The columns of kubectl get; by default only Age.'),
    ),
    selectableFields: Type.Optional(
      atomicList(SelectableField, 'Fields usable in field selectors (at most 8).'),
    ),
  },
  { description: 'One served or stored version of the resource.' },
);
export type CustomResourceDefinitionVersion = Static<typeof CustomResourceDefinitionVersion>;

export const ServiceReference = Type.Object(
  {
    namespace: Type.String({ description: 'The namespace of the service.' }),
    name: Type.String({ description: 'The name of the service.' }),
    path: text('The URL path requests are sent to.'),
    port: Type.Optional(Int32('The port; defaults to 443.')),
  },
  { description: 'A service in the cluster.' },
);

export const CustomResourceConversion = Type.Object(
  {
    strategy: Type.String({ description: 'None (only apiVersion changes) or Webhook.' }),
    webhook: Type.Optional(
      Type.Object(
        {
          clientConfig: Type.Optional(
            Type.Object(
              {
                url: text('The https URL of the webhook.'),
                service: Type.Optional(ServiceReference),
                caBundle: Type.Optional(
                  Type.String({
                    format: 'byte',
                    description: "PEM CA bundle for the webhook's certificate.",
                  }),
                ),
              },
              { description: 'How to reach the webhook: a URL or a service.' },
            ),
          ),
          conversionReviewVersions: atomicList(Type.String(), 'The ConversionReview versions understood.'),
        },
        { description: 'The conversion webhook, for strategy Webhook.' },
      ),
    ),
  },
  { description: 'How objects are converted between versions.' },
);

export const CustomResourceDefinitionCondition = Type.Object(
  {
    type: Type.String({ description: 'NamesAccepted, Established or Terminating.' }),
    status: Type.String({ description: 'True, False or Unknown.' }),
    lastTransitionTime: Type.Optional(Time('When the status last changed.')),
    reason: text('A CamelCase word saying why.'),
    message: text('A sentence for a person.'),
    observedGeneration: Type.Optional(
      Type.Integer({ format: 'int64', description: 'The generation the condition was computed from.' }),
    ),
  },
  { description: "One aspect of the definition's state." },
);
export type CustomResourceDefinitionCondition = Static<typeof CustomResourceDefinitionCondition>;

export const CustomResourceDefinitionStatus = Type.Object(
  {
    conditions: Type.Optional(
      Type.Array(CustomResourceDefinitionCondition, {
        description: "The latest observations of the definition's state.",
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
    acceptedNames: Type.Optional({
      ...CustomResourceDefinitionNames,
      description: 'The names actually served; they differ from spec.names while those conflict.',
    }),
    storedVersions: Type.Optional(
      atomicList(Type.String(), 'Every version objects have ever been stored at; none may be removed.'),
    ),
    observedGeneration: Type.Optional(
      Type.Integer({ format: 'int64', description: 'The generation the status was computed from.' }),
    ),
  },
  { description: 'The observed state of the definition.' },
);
export type CustomResourceDefinitionStatus = Static<typeof CustomResourceDefinitionStatus>;

export const CustomResourceDefinition = Type.Object({
  apiVersion: StringConstant('apiextensions.k8s.io/v1', 'The versioned schema of this object.'),
  kind: StringConstant('CustomResourceDefinition', 'The kind of this object: CustomResourceDefinition.'),
  metadata: Type.Object({ ...ObjectMeta.properties, name: Type.String() }),
  spec: Type.Object(
    {
      group: Type.String({
        description: 'The API group, a DNS subdomain with a dot: networking.example.com.',
      }),
      names: CustomResourceDefinitionNames,
      scope: Type.String({ description: 'Namespaced or Cluster.' }),
      versions: atomicList(CustomResourceDefinitionVersion, 'The versions of the resource.'),
      conversion: Type.Optional(CustomResourceConversion),
      preserveUnknownFields: Type.Optional(
        Type.Boolean({
          description: 'Must be false: unknown fields are pruned unless the schema says otherwise.',
        }),
      ),
    },
    { description: 'The resource to serve.' },
  ),
  status: Type.Optional(CustomResourceDefinitionStatus),
});
export type CustomResourceDefinition = Static<typeof CustomResourceDefinition>;

const DESCRIPTION =
  'Defines a resource the API server then serves, like a built-in one: its names, versions and schema.';

export const CustomResourceDefinitionResource: ResourceInfo = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: ALL_VERBS,
  subresources: ['status'],
  printerColumns: [
    {
      name: 'Created At',
      type: 'date',
      jsonPath: '.metadata.creationTimestamp',
      description: 'When the definition was created.',
    },
  ],
  selectableFields: [],
  schema: openAPIV3SchemaOf(CustomResourceDefinition, DESCRIPTION),
  description: DESCRIPTION,
};

/**
 * apiextensions' ValidateCustomResourceDefinition(Update) for a defaulted v1 CRD: name, group, scope, names,
 * versions (schema required and structural, CEL rules compiling, subresources, printer columns, selectable
 * fields), conversion, and on update the immutable group and plural (scope and kind too once Established).
 * Paths are those of the v1 object the client sent. Nothing for a CRD its schema refuses; only shape errors
 * for one whose openAPIV3Schema would not decode as JSONSchemaProps, since every other rule reads it.
 */
export function validateCustomResourceDefinition(
  crd: CustomResourceDefinition,
  old?: CustomResourceDefinition,
): FieldError[] {
  const schema = CustomResourceDefinitionResource.schema;
  if (!wellTyped(schema, crd) || (old !== undefined && !wellTyped(schema, old))) return [];
  const shapes = crd.spec.versions.flatMap((version, i) =>
    version.schema?.openAPIV3Schema === undefined
      ? []
      : jsonSchemaShapeErrors(version.schema.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`),
  );
  return shapes.length > 0 ? shapes : customResourceDefinitionRules(crd, old);
}

/**
 * apiextensions/v1 defaulting, which runs before validation: singular is the lowercase kind, listKind is
 * <kind>List, conversion is None, and a conversion service listens on 443. A malformed spec is left as is.
 */
export function withCustomResourceDefinitionDefaults(
  crd: CustomResourceDefinition,
): CustomResourceDefinition {
  const spec: unknown = crd.spec;
  if (!isJsonObject(spec) || !isJsonObject(spec.names)) return crd;
  const names = spec.names;
  const kind = typeof names.kind === 'string' ? names.kind : '';
  return {
    ...crd,
    spec: {
      ...crd.spec,
      names: {
        ...crd.spec.names,
        ...(names.singular ? {} : { singular: kind.toLowerCase() }),
        ...(names.listKind || kind === '' ? {} : { listKind: `${kind}List` }),
      },
      conversion: conversionDefaults(spec.conversion),
    },
  };
}

type Conversion = NonNullable<CustomResourceDefinition['spec']['conversion']>;

function conversionDefaults(conversion: unknown): Conversion {
  if (conversion === undefined || conversion === null) return { strategy: 'None' };
  const typed = conversion as Conversion;
  const webhook: unknown = typed.webhook;
  const clientConfig = isJsonObject(webhook) ? webhook.clientConfig : undefined;
  const service = isJsonObject(clientConfig) ? clientConfig.service : undefined;
  if (!isJsonObject(service) || service.port !== undefined) return typed;
  const config = typed.webhook!.clientConfig!;
  return {
    ...typed,
    webhook: { ...typed.webhook!, clientConfig: { ...config, service: { ...config.service!, port: 443 } } },
  };
}
