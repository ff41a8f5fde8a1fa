import { dropNonNullableNulls, isDroppableNull } from './defaults.ts';
import { compareBytes, goQuote } from './go-format.ts';
import { additionalPropertiesSchema, itemsSchema, type JsonSchemaProps } from './json-schema.ts';
import { deepClone, setKey } from './json-value.ts';

export interface PruneResult {
  readonly value: unknown;
  /** Paths of the dropped fields (`spec.foo`, `spec.items[0].bar`), sorted as Kubernetes sorts them. */
  readonly unknownFields: string[];
}

export interface PruneOptions {
  /** The value is a whole resource, whose apiVersion, kind and metadata are never pruned. Default true. */
  readonly isResourceRoot?: boolean;
  /** Also drop, in the same pass, the nulls pruneNonNullableNulls would (as decoding does next). Default false. */
  readonly dropNonNullableNulls?: boolean;
}

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

interface Pass {
  readonly unknown: string[];
  readonly dropNulls: boolean;
}

/** pruning.PruneWithOptions on a copy: drops fields the structural schema does not specify. */
export function prune(
  schema: JsonSchemaProps | undefined,
  value: unknown,
  options: PruneOptions = {},
): PruneResult {
  const pass: Pass = { unknown: [], dropNulls: options.dropNonNullableNulls === true };
  const s = (options.isResourceRoot ?? true) ? resourceRoot(schema) : schema;
  const copy = prunedCopy(value, s, '', pass);
  return { value: copy, unknownFields: pass.unknown.sort(compareBytes) };
}

const roots = new WeakMap<JsonSchemaProps, JsonSchemaProps>();

function resourceRoot(schema: JsonSchemaProps | undefined): JsonSchemaProps {
  if (schema === undefined) return { 'x-kubernetes-embedded-resource': true };
  let root = roots.get(schema);
  if (root === undefined) {
    root = { ...schema, 'x-kubernetes-embedded-resource': true };
    roots.set(schema, root);
  }
  return root;
}

/** The warning or strict-decoding error kube-apiserver gives for a pruned field. */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

const append = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

// Copying while pruning clones each kept node once; a scalar is its own copy and needs no path.
function prunedCopy(x: unknown, s: JsonSchemaProps | undefined, path: string, pass: Pass): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (s?.['x-kubernetes-preserve-unknown-fields']) return skipPruneCopy(x, s, path, pass);
  if (Array.isArray(x)) {
    const items = s === undefined ? undefined : itemsSchema(s);
    const out = x.slice();
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (typeof v === 'object' && v !== null) out[i] = prunedCopy(v, items, `${path}[${i}]`, pass);
    }
    return out;
  }
  const object = x as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(object)) {
    if (s === undefined) {
      pass.unknown.push(append(path, k));
      continue;
    }
    if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) keepMetaField(out, k, object[k], s, pass);
    else if (s.properties && Object.hasOwn(s.properties, k))
      keepField(out, k, object[k], s.properties[k], path, pass);
    else if (s.additionalProperties !== undefined) {
      keepField(out, k, object[k], additionalPropertiesSchema(s), path, pass);
    } else if (!META_FIELDS.has(k) || path !== '') pass.unknown.push(append(path, k));
  }
  return out;
}

function skipPruneCopy(x: object, s: JsonSchemaProps, path: string, pass: Pass): unknown {
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (!items) return deepClone(x);
    const out = x.slice();
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (typeof v === 'object' && v !== null) out[i] = skipPruneCopy(v, items, `${path}[${i}]`, pass);
    }
    return out;
  }
  const object = x as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(object)) {
    if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) keepMetaField(out, k, object[k], s, pass);
    else if (s.properties && Object.hasOwn(s.properties, k))
      keepField(out, k, object[k], s.properties[k], path, pass);
    else if (s.additionalProperties !== undefined)
      keepField(out, k, object[k], additionalPropertiesSchema(s), path, pass);
    else setKey(out, k, deepClone(object[k]));
  }
  return out;
}

function keepField(
  out: Record<string, unknown>,
  k: string,
  v: unknown,
  sub: JsonSchemaProps | undefined,
  parent: string,
  pass: Pass,
): void {
  if (v === null && pass.dropNulls && isDroppableNull(sub)) return;
  setKey(out, k, typeof v !== 'object' || v === null ? v : prunedCopy(v, sub, append(parent, k), pass));
}

/** apiVersion, kind and metadata of an embedded resource are kept whole, but lose their undefaultable nulls. */
function keepMetaField(
  out: Record<string, unknown>,
  k: string,
  v: unknown,
  s: JsonSchemaProps,
  pass: Pass,
): void {
  if (!pass.dropNulls) {
    setKey(out, k, deepClone(v));
    return;
  }
  const sub =
    s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : additionalPropertiesSchema(s);
  if (v === null && isDroppableNull(sub)) return;
  const copy = deepClone(v);
  dropNonNullableNulls(copy, sub);
  setKey(out, k, copy);
}
