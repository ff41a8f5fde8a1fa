import type { JsonSchemaProps } from '../../schema/json-schema.ts';

/** A CRD-shaped schema for field-management tests: scalars, a label map, an atomic list, a set, a list-map. */
export const NETWORK_SCHEMA: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        mtu: { type: 'integer' },
        description: { type: 'string' },
        selector: { type: 'object', additionalProperties: { type: 'string' } },
        dnsServers: { type: 'array', items: { type: 'string' } },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        interfaces: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, address: { type: 'string' }, mtu: { type: 'integer' } },
          },
        },
      },
    },
    status: {
      type: 'object',
      properties: { phase: { type: 'string' }, observedGeneration: { type: 'integer' } },
    },
  },
};

export const API_VERSION = 'networking.datumapis.com/v1alpha1';

/** A Network manifest with the given spec, as kubectl sends it. */
export function network(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: 'Network',
    metadata: { name: 'production-network', namespace: 'default', ...metadata },
    spec,
  };
}
