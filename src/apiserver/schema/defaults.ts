import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';
import { deepClone, setKey } from './json-value.ts';

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

function fill(x: unknown, s: JsonSchemaProps | undefined): void {
  if (s === undefined) return;
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
  dropNulls(copy, schema);
  return copy;
}

function dropNulls(x: unknown, s: JsonSchemaProps | undefined): void {
  if (Array.isArray(x)) {
    const items = s === undefined ? undefined : itemsSchema(s);
    for (const item of x) dropNulls(item, items);
    return;
  }
  if (!isJsonObject(x)) return;
  for (const k of Object.keys(x)) {
    const sub =
      s === undefined
        ? undefined
        : s.properties && Object.hasOwn(s.properties, k)
          ? s.properties[k]
          : additionalPropertiesSchema(s);
    if (x[k] === null && sub !== undefined && sub.nullable !== true && !hasDefault(sub)) delete x[k];
    else dropNulls(x[k], sub);
  }
}
