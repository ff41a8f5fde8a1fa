import { goJson, goNumber, goQuote } from '../schema/go-format.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { compareUtf8 } from './byte-order.ts';
import { quoteJson } from './json-quote.ts';
import { compareValues } from './value-order.ts';

export interface KeyField {
  readonly name: string;
  readonly value: unknown;
}

/** One step of a field path: a field name, a list-map item by key, a set item by value, or a list index. */
export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: readonly KeyField[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'index'; readonly index: number };

export type FieldPath = readonly PathElement[];

export const fieldElement = (name: string): PathElement => ({ kind: 'field', name });

/** A list-map item's key; the fields are sorted by name, as structured-merge-diff keeps them. */
export function keyElement(fields: readonly KeyField[]): PathElement {
  return { kind: 'key', fields: [...fields].sort((a, b) => compareUtf8(a.name, b.name)) };
}

export const fieldPath = (...names: readonly string[]): FieldPath => names.map(fieldElement);

const KIND_ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

/** structured-merge-diff's PathElement.Compare: fields, then keys, values and indices. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case 'field':
      return compareUtf8(a.name, (b as typeof a).name);
    case 'key':
      return compareKeys(a.fields, (b as typeof a).fields);
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return Math.sign(a.index - (b as typeof a).index);
  }
}

function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byName = compareUtf8(a[i]!.name, b[i]!.name);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[i]!.value, b[i]!.value);
    if (byValue !== 0) return byValue;
  }
  return Math.sign(a.length - b.length);
}

/** How a conflict names a path: `.spec.mtu`, `.spec.interfaces[name="eth0"]`, `[=value]`, `[0]`. */
export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}

function elementString(element: PathElement): string {
  switch (element.kind) {
    case 'field':
      return `.${element.name}`;
    case 'key':
      return `[${element.fields.map((f) => `${f.name}=${valueString(f.value)}`).join(',')}]`;
    case 'value':
      return `[=${valueString(element.value)}]`;
    case 'index':
      return `[${element.index}]`;
  }
}

// value.ToString: %v of numbers and booleans, %q of strings.
function valueString(value: unknown): string {
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(valueString).join(',')}]`;
  if (isJsonObject(value)) {
    return Object.keys(value)
      .sort(compareUtf8)
      .map((k) => `${k}=${valueString(value[k])}`)
      .join('');
  }
  return 'null';
}

/** The FieldsV1 key of an element: `f:name`, `k:{"name":"eth0"}`, `v:"a"`, `i:0`. */
export function serializeElement(element: PathElement): string {
  switch (element.kind) {
    case 'field':
      return `f:${element.name}`;
    case 'key':
      return `k:{${element.fields.map((f) => `${quoteJson(f.name)}:${jsonOf(f.value)}`).join(',')}}`;
    case 'value':
      return `v:${jsonOf(element.value)}`;
    case 'index':
      return `i:${element.index}`;
  }
}

function jsonOf(value: unknown): string {
  return typeof value === 'string' ? quoteJson(value) : goJson(value);
}

export type ParsedElement =
  | { readonly ok: true; readonly element: PathElement }
  | { readonly ok: false; readonly unknownType: boolean; readonly message: string };

/** Parses a FieldsV1 key; an unknown element type is reported apart, since decoders skip those. */
export function parseElement(text: string): ParsedElement {
  if (text.length < 2) return failure('key must be 2 characters long:');
  if (text[1] !== ':') return failure(`missing colon: ${text}`);
  const body = text.slice(2);
  switch (text[0]) {
    case 'f':
      return { ok: true, element: fieldElement(body) };
    case 'v': {
      const parsed = parseJson(body);
      return parsed.ok ? { ok: true, element: { kind: 'value', value: parsed.value } } : parsed;
    }
    case 'k': {
      const parsed = parseJson(body);
      if (!parsed.ok) return parsed;
      if (!isJsonObject(parsed.value)) return failure(`k: element is not a JSON object: ${body}`);
      const key = parsed.value;
      return {
        ok: true,
        element: keyElement(Object.keys(key).map((name) => ({ name, value: key[name] }))),
      };
    }
    case 'i':
      return /^[+-]?\d+$/.test(body)
        ? { ok: true, element: { kind: 'index', index: Number(body) } }
        : failure(`strconv.Atoi: parsing ${goQuote(body)}: invalid syntax`);
    default:
      return { ok: false, unknownType: true, message: 'unknown path element type' };
  }
}

function failure(message: string): ParsedElement {
  return { ok: false, unknownType: false, message };
}

function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; unknownType: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, unknownType: false, message: (error as Error).message };
  }
}
