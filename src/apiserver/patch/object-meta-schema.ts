import type { JsonSchemaProps } from '../schema/json-schema.ts';

const string: JsonSchemaProps = { type: 'string' };
const stringMap: JsonSchemaProps = { type: 'object', additionalProperties: string };

/**
 * ObjectMeta as kube-apiserver's OpenAPI describes it to field management: a CRD's own `metadata` schema is
 * replaced by this one, so labels and annotations are granular maps, finalizers a set and ownerReferences a
 * list-map keyed by uid.
 */
export const OBJECT_META_SCHEMA: JsonSchemaProps = {
  type: 'object',
  properties: {
    annotations: stringMap,
    creationTimestamp: { type: 'string', format: 'date-time' },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    deletionTimestamp: { type: 'string', format: 'date-time' },
    finalizers: { type: 'array', items: string, 'x-kubernetes-list-type': 'set' },
    generateName: string,
    generation: { type: 'integer', format: 'int64' },
    labels: stringMap,
    managedFields: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'x-kubernetes-list-type': 'atomic',
    },
    name: string,
    namespace: string,
    ownerReferences: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
      items: {
        type: 'object',
        properties: {
          apiVersion: string,
          blockOwnerDeletion: { type: 'boolean' },
          controller: { type: 'boolean' },
          kind: string,
          name: string,
          uid: string,
        },
      },
    },
    resourceVersion: string,
    selfLink: string,
    uid: string,
  },
};
