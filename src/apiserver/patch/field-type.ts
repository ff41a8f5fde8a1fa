import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from '../schema/json-schema.ts';
import { OBJECT_META_SCHEMA } from './object-meta-schema.ts';

/**
 * The structured-merge-diff type at a place in an object, derived from the CRD schema as kube-openapi's
 * schemaconv does. `deduced` (unknown fields, free-form objects) has granular maps and atomic lists;
 * `untyped` (items of untyped lists) is atomic throughout.
 */
export type TypeRef = JsonSchemaProps | 'deduced' | 'untyped';

export interface MapType {
  readonly atomic: boolean;
  readonly fields: Readonly<Record<string, JsonSchemaProps>>;
  readonly element: TypeRef;
}

export interface ListType {
  /** `set` and `map` lists; atomic lists are leaves. */
  readonly associative: boolean;
  /** x-kubernetes-list-map-keys; empty for sets. */
  readonly keys: readonly string[];
  readonly element: TypeRef;
}

export interface TypeShape {
  readonly map?: MapType;
  readonly list?: ListType;
  readonly scalar: boolean;
}

export type ResolvedType =
  | { readonly kind: 'map'; readonly map: MapType }
  | { readonly kind: 'list'; readonly list: ListType }
  | { readonly kind: 'scalar' };

const NO_FIELDS: Readonly<Record<string, JsonSchemaProps>> = {};

const DEDUCED: TypeShape = {
  scalar: true,
  map: { atomic: false, fields: NO_FIELDS, element: 'deduced' },
  list: { associative: false, keys: [], element: 'untyped' },
};

const UNTYPED: TypeShape = {
  scalar: true,
  map: { atomic: true, fields: NO_FIELDS, element: 'untyped' },
  list: { associative: false, keys: [], element: 'untyped' },
};

/** The type of a whole object: its CRD schema with metadata described as ObjectMeta. */
export function rootType(schema: JsonSchemaProps): TypeRef {
  return { ...schema, type: 'object', properties: { ...schema.properties, metadata: OBJECT_META_SCHEMA } };
}

export function typeShape(ref: TypeRef): TypeShape {
  if (ref === 'deduced') return DEDUCED;
  if (ref === 'untyped') return UNTYPED;
  const type = ref.type ?? '';
  const shape: { map?: MapType; list?: ListType; scalar: boolean } = {
    scalar: type !== 'object' && type !== 'array',
  };
  if (type === 'object' || type === '') shape.map = mapType(ref);
  if (type === 'array' || type === '') shape.list = listType(ref);
  return shape;
}

// Unknown keys of an object that declares properties would be a schema error in structured-merge-diff;
// they can only reach here when validation let them through, so they are tracked like deduced fields.
function mapType(schema: JsonSchemaProps): MapType {
  const additional = additionalPropertiesSchema(schema);
  return {
    atomic: schema['x-kubernetes-map-type'] === 'atomic',
    fields: schema.properties ?? NO_FIELDS,
    element: additional ?? 'deduced',
  };
}

function listType(schema: JsonSchemaProps): ListType {
  const listKind = schema['x-kubernetes-list-type'];
  return {
    associative: listKind === 'set' || listKind === 'map',
    keys: listKind === 'map' ? (schema['x-kubernetes-list-map-keys'] ?? []) : [],
    element: itemsSchema(schema) ?? 'untyped',
  };
}

/** Which of the type's forms a value takes; null and mismatched values take the first form, map first. */
export function resolveType(ref: TypeRef, value: unknown): ResolvedType {
  const shape = typeShape(ref);
  if (isJsonObject(value) && shape.map) return { kind: 'map', map: shape.map };
  if (Array.isArray(value) && shape.list) return { kind: 'list', list: shape.list };
  if (value !== null && !isJsonObject(value) && !Array.isArray(value) && shape.scalar)
    return { kind: 'scalar' };
  if (shape.map) return { kind: 'map', map: shape.map };
  if (shape.scalar) return { kind: 'scalar' };
  if (shape.list) return { kind: 'list', list: shape.list };
  return { kind: 'scalar' };
}

/** The declared type of a field (a struct field), or undefined for a map entry. */
export function declaredField(map: MapType, name: string): JsonSchemaProps | undefined {
  return Object.hasOwn(map.fields, name) ? map.fields[name] : undefined;
}

export function childType(map: MapType, name: string): TypeRef {
  return declaredField(map, name) ?? map.element;
}
