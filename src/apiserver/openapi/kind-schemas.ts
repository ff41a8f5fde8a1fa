import type { ResourceInfo } from '../registry/resource-info.ts';
import { definitionName, schemaRef } from './definition-name.ts';
import { API_VERSION_FIELD, KIND_FIELD, LIST_META, OBJECT_META } from './meta-schemas.ts';
import type { Schema } from './openapi-document.ts';

const METADATA_DESCRIPTION =
  "The object's metadata: name, namespace, labels, annotations, and the fields the server maintains.";

/**
 * The kind's published schema: its own schema with apiVersion and kind described and metadata pointing at
 * ObjectMeta (the API server, not the kind, defines metadata), tagged with its group, version and kind.
 */
export function kindSchema(resource: ResourceInfo): Schema {
  const { required, properties, ...rest } = resource.schema;
  return {
    ...rest,
    type: 'object',
    description: resource.schema.description ?? resource.description,
    ...(required && required.length > 0 ? { required } : {}),
    properties: {
      ...properties,
      apiVersion: API_VERSION_FIELD,
      kind: KIND_FIELD,
      metadata: { allOf: [schemaRef(OBJECT_META)], default: {}, description: METADATA_DESCRIPTION },
    },
    'x-kubernetes-group-version-kind': [
      { group: resource.group, version: resource.version, kind: resource.kind },
    ],
  };
}

/** The schema of the kind's list, as list requests return it. */
export function listSchema(resource: ResourceInfo): Schema {
  return {
    type: 'object',
    description: `${resource.listKind} is a list of ${resource.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: API_VERSION_FIELD,
      items: {
        type: 'array',
        description: `The ${resource.kind} objects.`,
        items: schemaRef(definitionName(resource)),
      },
      kind: KIND_FIELD,
      metadata: {
        allOf: [schemaRef(LIST_META)],
        default: {},
        description: 'Metadata of the list: its resourceVersion, and a continue token when it is chunked.',
      },
    },
    'x-kubernetes-group-version-kind': [
      { group: resource.group, version: resource.version, kind: resource.listKind },
    ],
  };
}

export function listDefinitionName(resource: ResourceInfo): string {
  return definitionName({ group: resource.group, version: resource.version, kind: resource.listKind });
}
