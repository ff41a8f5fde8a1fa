import { NetworkKind, openAPIV3Schema } from '../../../api/index.ts';
import { ALL_VERBS, type ResourceInfo } from '../../registry/resource-info.ts';
import type { JsonSchemaProps } from '../../schema/json-schema.ts';

/** Network as the CRD path serves it: the schema is exactly what the generated CRD carries. */
export const network: ResourceInfo = {
  group: NetworkKind.group,
  version: NetworkKind.version,
  kind: NetworkKind.kind,
  listKind: `${NetworkKind.kind}List`,
  plural: NetworkKind.plural,
  singular: NetworkKind.singular,
  namespaced: true,
  shortNames: NetworkKind.shortNames,
  categories: NetworkKind.categories,
  verbs: ALL_VERBS,
  subresources: ['status'],
  printerColumns: NetworkKind.printerColumns,
  selectableFields: NetworkKind.selectableFields,
  schema: openAPIV3Schema(NetworkKind) as JsonSchemaProps,
  description: NetworkKind.description,
};

const core = {
  group: '',
  version: 'v1',
  categories: [],
  printerColumns: [],
  selectableFields: [],
} as const;

export const event: ResourceInfo = {
  ...core,
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  verbs: ALL_VERBS,
  subresources: [],
  selectableFields: ['involvedObject.name', 'involvedObject.kind', 'reason', 'type'],
  description: 'A report of something that happened to an object.',
  schema: {
    type: 'object',
    description: 'A report of something that happened to an object.',
    required: ['involvedObject'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      involvedObject: {
        type: 'object',
        description: 'The object this event is about.',
        properties: {
          kind: { type: 'string', description: 'Its kind.' },
          name: { type: 'string', description: 'Its name.' },
          uid: { type: 'string', description: 'Its uid.' },
        },
      },
      reason: { type: 'string', description: 'Why the event happened, in CamelCase.' },
      message: { type: 'string', description: 'What happened, for people.' },
      type: { type: 'string', description: 'Normal or Warning.' },
      count: { type: 'integer', format: 'int32', description: 'How often it happened.' },
    },
  },
};

export const namespace: ResourceInfo = {
  ...core,
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  description: 'A scope for names.',
  schema: {
    type: 'object',
    description: 'A scope for names.',
    properties: {
      metadata: { type: 'object' },
      status: {
        type: 'object',
        description: 'The observed state of the namespace.',
        properties: { phase: { type: 'string', description: 'Active or Terminating.' } },
      },
    },
  },
};

export const pod: ResourceInfo = {
  ...core,
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  verbs: ALL_VERBS,
  subresources: ['status', 'log'],
  description: 'A group of containers.',
  schema: {
    type: 'object',
    description: 'A group of containers.',
    properties: {
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        description: 'The desired containers.',
        properties: {
          containers: {
            type: 'array',
            description: 'The containers.',
            items: { type: 'object', properties: { name: { type: 'string', description: 'Its name.' } } },
          },
        },
      },
    },
  },
};

/** Our group first, then the core kinds (in no particular order, to prove the builders sort). */
export const SAMPLE_RESOURCES: readonly ResourceInfo[] = [network, pod, namespace, event];
