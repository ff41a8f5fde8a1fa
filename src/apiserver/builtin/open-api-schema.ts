import type { TObject } from 'typebox';
import type { JsonSchemaProps } from '../schema/json-schema.ts';

const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * A built-in kind's TypeBox schema as the openAPIV3Schema a CRD would carry, so one validation, pruning and
 * defaulting path serves both: plain JSON, metadata left to the API server (`type: object`, as structural
 * schemas require) and apiVersion, kind and metadata never required.
 */
export function openAPIV3SchemaOf(schema: TObject, description: string): JsonSchemaProps {
  const plain = JSON.parse(JSON.stringify(schema)) as JsonSchemaProps;
  const required = (plain.required ?? []).filter((field) => !TYPE_META.has(field));
  const { required: _, ...rest } = plain;
  return {
    description,
    ...rest,
    properties: { ...plain.properties, metadata: { type: 'object' } },
    ...(required.length > 0 ? { required } : {}),
  };
}
