import { duplicate, type FieldError, invalid } from './field-error.ts';
import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { goJson } from './go-format.ts';
import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';
import { setKey } from './json-value.ts';

/** ValidateListSetsAndMaps: x-kubernetes-list-type set items and map keys must be unique. */
export function listTypeErrors(schema: JsonSchemaProps, value: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (isJsonObject(value)) walkObject(schema, value, path, errs);
  return errs;
}

function walkObject(
  s: JsonSchemaProps,
  obj: Record<string, unknown>,
  path: FieldPath,
  errs: FieldError[],
): void {
  const additional = additionalPropertiesSchema(s);
  if (additional) for (const [k, v] of Object.entries(obj)) walk(additional, v, keyPath(path, k), errs);
  const properties = s.properties ?? {};
  for (const [k, v] of Object.entries(obj)) {
    if (Object.hasOwn(properties, k)) walk(properties[k]!, v, childPath(path, k), errs);
  }
}

function walk(s: JsonSchemaProps, value: unknown, path: FieldPath, errs: FieldError[]): void {
  if (isJsonObject(value)) walkObject(s, value, path, errs);
  else if (Array.isArray(value)) walkArray(s, value, path, errs);
}

function walkArray(s: JsonSchemaProps, list: readonly unknown[], path: FieldPath, errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    for (const i of firstRepeats(list)) errs.push(duplicate(keyPath(path, i), list[i]));
  } else if (listType === 'map') {
    errs.push(...mapDuplicates(s, list, path));
  }
  const items = itemsSchema(s);
  if (items)
    list.forEach((item, i) => {
      walk(items, item, keyPath(path, i), errs);
    });
}

const UNSPECIFIED = Symbol('unspecified key');

function firstRepeats(values: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  values.forEach((v, i) => {
    const id = v === UNSPECIFIED ? 'unspecified' : `${typeof v}:${goJson(v)}`;
    const times = seen.get(id) ?? 0;
    seen.set(id, times + 1);
    if (times === 1) repeats.push(i);
  });
  return repeats;
}

function mapDuplicates(s: JsonSchemaProps, list: readonly unknown[], path: FieldPath): FieldError[] {
  const bad = list.findIndex((x) => x !== null && !isJsonObject(x));
  if (bad !== -1)
    return [invalid(keyPath(path, bad), list[bad], 'must be an object for an array of list-type map')];
  if (list.length <= 1) return [];
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  if (keyFields.length === 1) {
    const field = keyFields[0]!;
    const keys = list.map((x) => (isJsonObject(x) && Object.hasOwn(x, field) ? x[field] : UNSPECIFIED));
    return firstRepeats(keys).map((i) => {
      const shown: Record<string, unknown> = {};
      if (keys[i] !== UNSPECIFIED) setKey(shown, field, keys[i]);
      return duplicate(keyPath(path, i), shown);
    });
  }
  const keys = list.map((x) => {
    const key: Record<string, unknown> = {};
    if (isJsonObject(x)) for (const f of keyFields) if (Object.hasOwn(x, f)) setKey(key, f, x[f]);
    return key;
  });
  return firstRepeats(keys).map((i) => duplicate(keyPath(path, i), keys[i]));
}
