import { duplicate, type FieldError, invalid } from './field-error.ts';
import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { goJson } from './go-format.ts';
import { isJsonObject, type JsonSchemaProps } from './json-schema.ts';
import { setKey } from './json-value.ts';
import { schemaFacts } from './schema-facts.ts';

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
  const facts = schemaFacts(s);
  if (!facts.uniqueLists) return;
  const additional = facts.additional;
  if (additional) for (const k of Object.keys(obj)) walk(additional, obj[k], keyPath(path, k), errs);
  const properties = facts.properties;
  for (const k of Object.keys(obj)) {
    if (Object.hasOwn(properties, k)) walk(properties[k]!, obj[k], childPath(path, k), errs);
  }
}

function walk(s: JsonSchemaProps, value: unknown, path: FieldPath, errs: FieldError[]): void {
  if (typeof value !== 'object' || value === null || !schemaFacts(s).uniqueLists) return;
  if (Array.isArray(value)) walkArray(s, value, path, errs);
  else walkObject(s, value as Record<string, unknown>, path, errs);
}

function walkArray(s: JsonSchemaProps, list: readonly unknown[], path: FieldPath, errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    for (const i of firstRepeats(list)) errs.push(duplicate(keyPath(path, i), list[i]));
  } else if (listType === 'map') {
    errs.push(...mapDuplicates(s, list, path));
  }
  const items = schemaFacts(s).items;
  if (items) for (let i = 0; i < list.length; i++) walk(items, list[i], keyPath(path, i), errs);
}

const UNSPECIFIED = Symbol('unspecified key');

function firstRepeats(values: readonly unknown[]): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  values.forEach((v, i) => {
    // A string is its own JSON text's equal, so it needs no quoting to be told apart.
    const id =
      v === UNSPECIFIED ? 'unspecified' : typeof v === 'string' ? `string:${v}` : `${typeof v}:${goJson(v)}`;
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
