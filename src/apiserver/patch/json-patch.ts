import { isJsonObject } from '../schema/json-schema.ts';
import {
  deepClone,
  deepEqual,
  jsonSizeUpTo,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  setKey,
} from '../schema/json-value.ts';

/** kube-apiserver refuses JSON patches with more operations than this (413). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/**
 * How many bytes the copy operations of one patch may add, as kube-apiserver bounds them: without it a
 * kilobyte of doubling copies builds gigabytes (CVE-2019-1002100).
 */
export const MAX_ACCUMULATED_COPY_BYTES = 3 * 1024 * 1024;

export type JsonPatchResult =
  | { readonly ok: true; readonly value: unknown }
  /** BadRequest: not a list of objects (400); RequestEntityTooLarge (413); Invalid: an operation failed (422). */
  | {
      readonly ok: false;
      readonly reason: 'BadRequest' | 'RequestEntityTooLarge' | 'Invalid';
      readonly message: string;
    };

/**
 * RFC 6902 JSON Patch, all or nothing. Messages follow evanphx/json-patch, which kube-apiserver uses, where
 * it has one; unlike that library, indices are strictly RFC (no sign, no leading zero) and a replace or
 * test of a missing member fails. Never mutates its inputs and never throws.
 */
export function applyJsonPatch(document: unknown, operations: unknown): JsonPatchResult {
  if (operations !== null && !Array.isArray(operations)) {
    return { ok: false, reason: 'BadRequest', message: cannotUnmarshal(operations, 'jsonpatch.Patch') };
  }
  const ops: readonly unknown[] = operations ?? [];
  const notObject = ops.find((op) => op !== null && !isJsonObject(op));
  if (notObject !== undefined) {
    return { ok: false, reason: 'BadRequest', message: cannotUnmarshal(notObject, 'jsonpatch.Operation') };
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    const message = `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`;
    return { ok: false, reason: 'RequestEntityTooLarge', message };
  }
  // The working copy is private, so the steps below may edit it in place.
  let doc = deepClone(document);
  const copies = { bytes: 0 };
  for (const op of ops) {
    const step = applyOperation(doc, isJsonObject(op) ? op : {}, copies);
    if (!step.ok)
      return {
        ok: false,
        reason: step.tooLarge ? 'RequestEntityTooLarge' : 'Invalid',
        message: step.message,
      };
    doc = step.doc;
  }
  return { ok: true, value: doc };
}

type Operation = Readonly<Record<string, unknown>>;
type Step =
  | { readonly ok: true; readonly doc: unknown }
  | { readonly ok: false; readonly message: string; readonly tooLarge?: boolean };
type Text = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

function applyOperation(doc: unknown, op: Operation, copies: { bytes: number }): Step {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  if (
    kind !== 'add' &&
    kind !== 'remove' &&
    kind !== 'replace' &&
    kind !== 'move' &&
    kind !== 'copy' &&
    kind !== 'test'
  ) {
    return fail(`Unexpected kind: ${kind}`);
  }
  const path = text(op, 'path', kind);
  if (!path.ok) return path;
  if (kind === 'remove') return remove(doc, path.text);
  if (kind === 'move' || kind === 'copy') {
    const from = text(op, 'from', kind);
    if (!from.ok) return from;
    return kind === 'move' ? move(doc, from.text, path.text) : copy(doc, from.text, path.text, copies);
  }
  if (!Object.hasOwn(op, 'value')) {
    return fail(`${kind} operation failed to decode value: operation, missing value field: missing value`);
  }
  if (kind === 'add') return add(doc, path.text, deepClone(op.value));
  if (kind === 'replace') return replace(doc, path.text, deepClone(op.value));
  return test(doc, path.text, op.value);
}

function text(op: Operation, name: 'path' | 'from', kind: string): Text {
  const value = op[name];
  if (typeof value === 'string') return { ok: true, text: value };
  const reason =
    value === undefined || value === null
      ? `operation${name === 'from' ? ',' : ''} missing ${name} field: missing value`
      : cannotUnmarshal(value, 'string');
  return fail(`${kind} operation failed to decode ${name}: ${reason}`);
}

/** RFC 6901: "" is the whole document; otherwise "/"-separated tokens with ~1 for "/" and ~0 for "~". */
function tokens(pointer: string): readonly string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~')));
}

type Container = Record<string, unknown> | unknown[];

interface Location {
  readonly parent: Container;
  readonly key: string;
}

// The container holding the pointer's last token; undefined when any step on the way is missing.
function locate(doc: unknown, pointer: string): Location | undefined {
  const parts = tokens(pointer);
  if (parts === undefined || parts.length === 0) return undefined;
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    node = childOf(node, part);
    if (node === undefined) return undefined;
  }
  if (!isJsonObject(node) && !Array.isArray(node)) return undefined;
  return { parent: node, key: parts[parts.length - 1]! };
}

function childOf(node: unknown, token: string): unknown {
  if (isJsonObject(node)) return Object.hasOwn(node, token) ? node[token] : undefined;
  if (Array.isArray(node)) {
    const index = arrayIndex(token);
    return index !== undefined && index < node.length ? node[index] : undefined;
  }
  return undefined;
}

function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

const invalidIndex = (token: string) =>
  arrayIndex(token) === undefined
    ? `value was not a proper array index: '${token}': invalid index referenced`
    : `Unable to access invalid index: ${token}: invalid index referenced`;

function get(
  location: Location,
): { readonly found: true; readonly value: unknown } | { readonly found: false; readonly reason: string } {
  const { parent, key } = location;
  if (Array.isArray(parent)) {
    const index = arrayIndex(key);
    return index !== undefined && index < parent.length
      ? { found: true, value: parent[index] }
      : { found: false, reason: invalidIndex(key) };
  }
  return Object.hasOwn(parent, key)
    ? { found: true, value: parent[key] }
    : { found: false, reason: `unable to get nonexistent key: ${key}: missing value` };
}

type Placed =
  | { readonly ok: true; readonly doc: unknown }
  | { readonly ok: false; readonly missing: true }
  | { readonly ok: false; readonly missing: false; readonly detail: string };

// The insertion shared by add, move and copy, which word its failures differently.
function place(doc: unknown, path: string, value: unknown): Placed {
  if (path === '') return { ok: true, doc: value };
  const location = locate(doc, path);
  if (location === undefined) return { ok: false, missing: true };
  const { parent, key } = location;
  if (!Array.isArray(parent)) {
    setKey(parent, key, value);
    return { ok: true, doc };
  }
  const index = key === '-' ? parent.length : arrayIndex(key);
  if (index === undefined || index > parent.length)
    return { ok: false, missing: false, detail: invalidIndex(key) };
  parent.splice(index, 0, value);
  return { ok: true, doc };
}

function add(doc: unknown, path: string, value: unknown): Step {
  const placed = place(doc, path, value);
  if (placed.ok) return placed;
  return placed.missing
    ? fail(`add operation does not apply: doc is missing path: "${path}": missing value`)
    : fail(`error in add for path: '${path}': ${placed.detail}`);
}

function remove(doc: unknown, path: string): Step {
  const location = locate(doc, path);
  if (location === undefined)
    return fail(`remove operation does not apply: doc is missing path: "${path}": missing value`);
  const { parent, key } = location;
  if (Array.isArray(parent)) {
    const index = arrayIndex(key);
    if (index === undefined || index >= parent.length)
      return fail(`error in remove for path: '${path}': ${invalidIndex(key)}`);
    parent.splice(index, 1);
  } else {
    if (!Object.hasOwn(parent, key)) {
      return fail(
        `error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`,
      );
    }
    delete parent[key];
  }
  return { ok: true, doc };
}

function replace(doc: unknown, path: string, value: unknown): Step {
  if (path === '') return { ok: true, doc: value };
  const location = locate(doc, path);
  if (location === undefined)
    return fail(`replace operation does not apply: doc is missing path: ${path}: missing value`);
  if (!get(location).found)
    return fail(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  const { parent, key } = location;
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else setKey(parent, key, value);
  return { ok: true, doc };
}

function read(
  doc: unknown,
  from: string,
  kind: 'move' | 'copy',
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (from === '') return { ok: true, value: doc };
  const location = locate(doc, from);
  if (location === undefined)
    return fail(`${kind} operation does not apply: doc is missing from path: ${from}: missing value`);
  const found = get(location);
  return found.found
    ? { ok: true, value: found.value }
    : fail(`error in ${kind} for path: '${from}': ${found.reason}`);
}

function move(doc: unknown, from: string, path: string): Step {
  const value = read(doc, from, 'move');
  if (!value.ok) return value;
  if (from === path) return { ok: true, doc };
  if (from === '') return fail('unable to move entire document to another path: invalid state detected');
  if (path.startsWith(`${from}/`)) {
    return fail(
      `move operation does not apply: path ${path} is inside from path ${from}: invalid state detected`,
    );
  }
  const removed = remove(doc, from);
  if (!removed.ok) return removed;
  const placed = place(removed.doc, path, value.value);
  if (placed.ok) return placed;
  return placed.missing
    ? fail(`move operation does not apply: doc is missing destination path: ${path}: missing value`)
    : fail(`error in move for path: '${path}': ${placed.detail}`);
}

function copy(doc: unknown, from: string, path: string, copies: { bytes: number }): Step {
  const value = read(doc, from, 'copy');
  if (!value.ok) return value;
  copies.bytes += jsonSizeUpTo(value.value, MAX_ACCUMULATED_COPY_BYTES);
  if (copies.bytes > MAX_ACCUMULATED_COPY_BYTES) {
    return {
      ok: false,
      tooLarge: true,
      message: `the copy operations of this patch would add more than ${MAX_ACCUMULATED_COPY_BYTES} bytes`,
    };
  }
  if (nestsDeeperThan(value.value, MAX_JSON_DEPTH - (tokens(path)?.length ?? 0))) {
    return fail(
      `copy operation does not apply: the copy at ${path} would nest deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  const placed = place(doc, path, deepClone(value.value));
  if (placed.ok) return placed;
  return placed.missing
    ? fail(`copy operation does not apply: doc is missing destination path: ${path}: missing value`)
    : fail(`error while adding value during copy: ${placed.detail}`);
}

function test(doc: unknown, path: string, expected: unknown): Step {
  let actual: unknown = doc;
  if (path !== '') {
    const location = locate(doc, path);
    const found = location === undefined ? undefined : get(location);
    if (found === undefined || !found.found) {
      return fail(`test operation does not apply: is missing path: ${path}: missing value`);
    }
    actual = found.value;
  }
  return deepEqual(actual, expected) ? { ok: true, doc } : fail(`testing value ${path} failed: test failed`);
}

// encoding/json's UnmarshalTypeError, which kube-apiserver returns for a body of the wrong shape.
function cannotUnmarshal(value: unknown, goType: string): string {
  return `json: cannot unmarshal ${jsonTypeName(value)} into Go value of type ${goType}`;
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}
