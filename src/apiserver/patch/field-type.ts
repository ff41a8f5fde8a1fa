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

// Schemas are never changed once served (a new CRD version is a new schema object), so what is derived
// from one is derived once: field management walks the same schema on every write.
const roots = new WeakMap<JsonSchemaProps, TypeRef>();
const formsBySchema = new WeakMap<JsonSchemaProps, Forms>();

/** The type of a whole object: its CRD schema with metadata described as ObjectMeta. */
export function rootType(schema: JsonSchemaProps): TypeRef {
  let root = roots.get(schema);
  if (root === undefined) {
    root = { ...schema, type: 'object', properties: { ...schema.properties, metadata: OBJECT_META_SCHEMA } };
    roots.set(schema, root);
  }
  return root;
}

export function typeShape(ref: TypeRef): TypeShape {
  return formsOf(ref).shape;
}

/** A type's shape and the ResolvedType of each of its forms, made once. */
interface Forms {
  readonly shape: TypeShape;
  readonly map: ResolvedType | undefined;
  readonly list: ResolvedType | undefined;
  /** The form of null and of values no form fits: map first, then scalar, then list. */
  readonly fallback: ResolvedType;
}

const SCALAR: ResolvedType = { kind: 'scalar' };

function formsOfShape(shape: TypeShape): Forms {
  const map: ResolvedType | undefined = shape.map && { kind: 'map', map: shape.map };
  const list: ResolvedType | undefined = shape.list && { kind: 'list', list: shape.list };
  return { shape, map, list, fallback: map ?? (shape.scalar ? SCALAR : (list ?? SCALAR)) };
}

const DEDUCED_FORMS = formsOfShape(DEDUCED);
const UNTYPED_FORMS = formsOfShape(UNTYPED);

function formsOf(ref: TypeRef): Forms {
  if (ref === 'deduced') return DEDUCED_FORMS;
  if (ref === 'untyped') return UNTYPED_FORMS;
  let forms = formsBySchema.get(ref);
  if (forms === undefined) {
    forms = formsOfShape(schemaShape(ref));
    formsBySchema.set(ref, forms);
  }
  return forms;
}

function schemaShape(ref: JsonSchemaProps): TypeShape {
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
  const forms = formsOf(ref);
  if (isJsonObject(value) && forms.map) return forms.map;
  if (Array.isArray(value) && forms.list) return forms.list;
  if (value !== null && !isJsonObject(value) && !Array.isArray(value) && forms.shape.scalar) return SCALAR;
  return forms.fallback;
}

/** The declared type of a field (a struct field), or undefined for a map entry. */
export function declaredField(map: MapType, name: string): JsonSchemaProps | undefined {
  return Object.hasOwn(map.fields, name) ? map.fields[name] : undefined;
}

export function childType(map: MapType, name: string): TypeRef {
  return declaredField(map, name) ?? map.element;
}
