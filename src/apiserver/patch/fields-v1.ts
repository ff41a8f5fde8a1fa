import { isJsonObject } from '../schema/json-schema.ts';
import { setKey } from '../schema/json-value.ts';
import { EMPTY_FIELD_SET, type FieldSet, type FieldSetChild, fieldSetOf } from './field-set.ts';
import {
  compareElements,
  type FieldPath,
  type PathElement,
  parseElement,
  serializeElement,
} from './path-element.ts';

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
  const key = treeKey(value);
  if (key === undefined) return decode(value);
  let decoded = decodedByKey.get(key);
  if (decoded === undefined) {
    decoded = decode(value);
    remember(key, decoded);
  }
  return decoded;
}

// Every write decodes the stored entries of every manager, and most are what the last write encoded:
// decoded sets are immutable, so one decoding serves every copy of the same FieldsV1. The oldest are
// forgotten first once the keys pass a budget (the sets are about as large as their keys).
const DECODED_CACHE_CHARS = 4 * 1024 * 1024;
const decodedByKey = new Map<string, DecodedFieldsV1>();
let cachedChars = 0;

function remember(key: string, decoded: DecodedFieldsV1): void {
  if (key.length > DECODED_CACHE_CHARS / 16) return;
  for (const oldest of decodedByKey.keys()) {
    if (cachedChars + key.length <= DECODED_CACHE_CHARS) break;
    decodedByKey.delete(oldest);
    cachedChars -= oldest.length;
  }
  decodedByKey.set(key, decoded);
  cachedChars += key.length;
}

// Tells apart any two trees of objects and nulls that differ in keys, key order or nesting; undefined for
// a value holding anything else, which decoding refuses.
function treeKey(value: unknown): string | undefined {
  if (value === null) return 'n';
  if (!isJsonObject(value)) return undefined;
  let key = '{';
  for (const name of Object.keys(value)) {
    const child = treeKey(value[name]);
    if (child === undefined) return undefined;
    key += `${name.length}:${name}${child}`;
  }
  return `${key}}`;
}

function decode(value: unknown): DecodedFieldsV1 {
  const node = readNode(value, undefined);
  if (typeof node === 'string') return { ok: false, message: node };
  if (node !== UNSORTED) return { ok: true, set: node.set };
  const paths: FieldPath[] = [];
  const error = read(value, [], paths);
  return error === undefined ? { ok: true, set: fieldSetOf(paths) } : { ok: false, message: error };
}

interface Node {
  /** Whether the node's own path is in the set. */
  readonly self: boolean;
  readonly set: FieldSet;
}

const UNSORTED = Symbol('unsorted');

// read, building the set directly when every object's keys come in element order without repeats (as
// encodeFieldsV1 writes them); otherwise UNSORTED, and the paths are collected and sorted instead.
function readNode(value: unknown, last: PathElement | undefined): Node | string | typeof UNSORTED {
  if (value === null) return LEAF;
  if (!isJsonObject(value)) {
    const at = last === undefined ? 'the top level' : serializeElement(last);
    return `expected a JSON object at ${at}, got ${typeName(value)}`;
  }
  let self = false;
  let hasChildren = false;
  let sorted = true;
  const members: PathElement[] = [];
  const children: FieldSetChild[] = [];
  for (const key of Object.keys(value)) {
    if (key === '.') {
      self = true;
      continue;
    }
    const parsed = parseElement(key);
    if (!parsed.ok) {
      if (parsed.unknownType) continue;
      return `parsing key as path element: ${parsed.message}`;
    }
    hasChildren = true;
    const element = parsed.element;
    const child = readNode(value[key], element);
    if (typeof child === 'string') return child;
    if (child === UNSORTED) {
      sorted = false;
      continue;
    }
    if (!sorted) continue;
    if (child.self) {
      if (members.length > 0 && compareElements(members[members.length - 1]!, element) >= 0) sorted = false;
      members.push(element);
    }
    if (child.set.members.length > 0 || child.set.children.length > 0) {
      if (children.length > 0 && compareElements(children[children.length - 1]!.element, element) >= 0) {
        sorted = false;
      }
      children.push({ element, set: child.set });
    }
  }
  if (!sorted) return UNSORTED;
  return { self: self || !hasChildren, set: { members, children } };
}

const LEAF: Node = { self: true, set: EMPTY_FIELD_SET };

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
