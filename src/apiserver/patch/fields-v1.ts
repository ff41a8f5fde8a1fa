import { isJsonObject } from '../schema/json-schema.ts';
import { setKey } from '../schema/json-value.ts';
import { type FieldSet, type FieldSetChild, fieldSetOf } from './field-set.ts';
import { compareElements, type FieldPath, parseElement, serializeElement } from './path-element.ts';

/**
 * The FieldsV1 JSON of a set, byte for byte as Kubernetes writes it: keys in element order, a member leaf as
 * `{}`, and a member that also has children marked by a `".": {}` entry first.
 */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (includeSelf && (set.members.length > 0 || set.children.length > 0)) out['.'] = {};
  let m = 0;
  let c = 0;
  while (m < set.members.length || c < set.children.length) {
    const member = set.members[m];
    const child: FieldSetChild | undefined = set.children[c];
    const order =
      member === undefined ? 1 : child === undefined ? -1 : compareElements(member, child.element);
    if (order < 0) {
      setKey(out, serializeElement(member!), {});
      m++;
    } else if (order > 0) {
      setKey(out, serializeElement(child!.element), emit(child!.set, false));
      c++;
    } else {
      setKey(out, serializeElement(child!.element), emit(child!.set, true));
      m++;
      c++;
    }
  }
  return out;
}

export type DecodedFieldsV1 =
  | { readonly ok: true; readonly set: FieldSet }
  | { readonly ok: false; readonly message: string };

/** Reads FieldsV1 as structured-merge-diff does; keys of unknown element types are dropped, not errors. */
export function decodeFieldsV1(value: unknown): DecodedFieldsV1 {
  const paths: FieldPath[] = [];
  const error = read(value, [], paths);
  return error === undefined ? { ok: true, set: fieldSetOf(paths) } : { ok: false, message: error };
}

// A node with no children is a member of its parent; `"."` makes a node with children a member too.
function read(value: unknown, prefix: FieldPath, paths: FieldPath[]): string | undefined {
  if (value === null) {
    paths.push(prefix);
    return undefined;
  }
  if (!isJsonObject(value)) return `expected a JSON object at ${describe(prefix)}, got ${typeName(value)}`;
  let hasChildren = false;
  for (const [key, child] of Object.entries(value)) {
    if (key === '.') {
      paths.push(prefix);
      continue;
    }
    const parsed = parseElement(key);
    if (!parsed.ok) {
      if (parsed.unknownType) continue;
      return `parsing key as path element: ${parsed.message}`;
    }
    hasChildren = true;
    const error = read(child, [...prefix, parsed.element], paths);
    if (error !== undefined) return error;
  }
  if (!hasChildren) paths.push(prefix);
  return undefined;
}

function describe(prefix: FieldPath): string {
  return prefix.length === 0 ? 'the top level' : serializeElement(prefix[prefix.length - 1]!);
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}
