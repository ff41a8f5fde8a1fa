import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';
import { deepClone, setKey } from './json-value.ts';
import { schemaFacts } from './schema-facts.ts';

const hasDefault = (s: JsonSchemaProps | undefined): boolean =>
  s?.default !== undefined && s.default !== null;
const isNonNullableNull = (x: unknown, s: JsonSchemaProps | undefined): boolean =>
  x === null && s !== undefined && s.nullable !== true;

/** structural defaulting.Default on a copy: missing properties of present objects, and non-nullable nulls, get defaults. */
export function applyDefaults(schema: JsonSchemaProps, value: unknown): unknown {
  const copy = deepClone(value);
  fill(copy, schema);
  return copy;
}

/** applyDefaults in place, on a value the caller owns (such as a fresh copy from prune). */
export function applyDefaultsInPlace(schema: JsonSchemaProps, value: unknown): void {
  fill(value, schema);
}

// Only a non-null default anywhere under `s` can change a value, so a subtree without one is left alone.
function fill(x: unknown, s: JsonSchemaProps | undefined): void {
  if (s === undefined || typeof x !== 'object' || x === null || !schemaFacts(s).defaults) return;
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items)) x[i] = deepClone(items?.default ?? null);
      fill(x[i], items);
    }
    return;
  }
  if (!isJsonObject(x)) return;
  const properties = s.properties ?? {};
  for (const [k, prop] of Object.entries(properties)) {
    if (!hasDefault(prop)) continue;
    if (!Object.hasOwn(x, k) || isNonNullableNull(x[k], prop)) setKey(x, k, deepClone(prop.default));
  }
  const additional = additionalPropertiesSchema(s);
  for (const k of Object.keys(x)) {
    if (Object.hasOwn(properties, k)) fill(x[k], properties[k]);
    else if (s.additionalProperties !== undefined) {
      if (isNonNullableNull(x[k], additional)) setKey(x, k, deepClone(additional?.default ?? null));
      fill(x[k], additional);
    }
  }
}

/** PruneNonNullableNullsWithoutDefaults on a copy: drops nulls the schema neither allows nor can default. */
export function pruneNonNullableNulls(schema: JsonSchemaProps | undefined, value: unknown): unknown {
  const copy = deepClone(value);
  dropNonNullableNulls(copy, schema);
  return copy;
}

/** Whether a null under `sub` is dropped: the schema neither allows it nor has a default to replace it. */
export function isDroppableNull(sub: JsonSchemaProps | undefined): boolean {
  return sub !== undefined && sub.nullable !== true && !hasDefault(sub);
}

/** pruneNonNullableNulls in place, on a value the caller owns. */
export function dropNonNullableNulls(x: unknown, s: JsonSchemaProps | undefined): void {
  if (s === undefined || typeof x !== 'object' || x === null) return;
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (items === undefined) return;
    for (let i = 0; i < x.length; i++) {
      const item = x[i];
      if (typeof item === 'object' && item !== null) dropNonNullableNulls(item, items);
    }
    return;
  }
  if (!isJsonObject(x)) return;
  for (const k of Object.keys(x)) {
    const sub =
      s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : additionalPropertiesSchema(s);
    if (x[k] === null && isDroppableNull(sub)) delete x[k];
    else dropNonNullableNulls(x[k], sub);
  }
}
