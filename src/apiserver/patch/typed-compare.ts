import { isJsonObject } from '../schema/json-schema.ts';
import { deepEqual } from '../schema/json-value.ts';
import { type FieldSet, fieldSetOf } from './field-set.ts';
import { childType, type ListType, type MapType, resolveType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { type FieldPath, fieldElement, type PathElement, serializeElement } from './path-element.ts';

/** What changed from lhs to rhs; no path is in two of the sets. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

interface Changes {
  readonly added: FieldPath[];
  readonly modified: FieldPath[];
  readonly removed: FieldPath[];
}

/**
 * TypedValue.Compare: leaves (scalars, atomic lists and maps, and empty ones) are added, removed or
 * modified; a granular map or list item that appears or disappears is itself added or removed too.
 */
export function compareTyped(lhs: unknown, rhs: unknown, ref: TypeRef): Comparison {
  const changes: Changes = { added: [], modified: [], removed: [] };
  visit(lhs, rhs, ref, [], changes);
  return {
    added: fieldSetOf(changes.added),
    modified: fieldSetOf(changes.modified),
    removed: fieldSetOf(changes.removed),
  };
}

// `path` is the walk's own stack: a change records a copy of it.
function visit(lhs: unknown, rhs: unknown, ref: TypeRef, path: PathElement[], changes: Changes): void {
  // The same value on both sides has no changes anywhere below it.
  if (lhs === rhs && lhs !== undefined) return;
  const lhsType = lhs === undefined ? undefined : resolveType(ref, lhs);
  const rhsType = rhs === undefined ? undefined : resolveType(ref, rhs);
  const type = (rhsType ?? lhsType)!;
  let leaf: boolean;
  if (lhsType && rhsType && lhsType.kind !== rhsType.kind) leaf = true;
  else if (type.kind === 'map') leaf = visitMap(lhs, rhs, type.map, path, changes);
  else if (type.kind === 'list') leaf = visitList(lhs, rhs, type.list, path, changes);
  else leaf = true;

  if (leaf) {
    if (lhs === undefined) changes.added.push(path.slice());
    else if (rhs === undefined) changes.removed.push(path.slice());
    else if (!deepEqual(lhs, rhs)) changes.modified.push(path.slice());
  } else if (lhs === undefined) changes.added.push(path.slice());
  else if (rhs === undefined) changes.removed.push(path.slice());
}

// Returns whether the map is compared as a leaf: atomic, or empty (or null) on both sides.
function visitMap(lhs: unknown, rhs: unknown, map: MapType, path: PathElement[], changes: Changes): boolean {
  const l = isJsonObject(lhs) ? lhs : undefined;
  const r = isJsonObject(rhs) ? rhs : undefined;
  const lKeys = l === undefined ? NO_KEYS : Object.keys(l);
  const rKeys = r === undefined ? NO_KEYS : Object.keys(r);
  if (map.atomic || (lKeys.length === 0 && rKeys.length === 0)) return true;
  for (const key of lKeys) {
    const rv = r && Object.hasOwn(r, key) ? r[key] : undefined;
    path.push(fieldElement(key));
    visit(l![key], rv, childType(map, key), path, changes);
    path.pop();
  }
  for (const key of rKeys) {
    if (l && Object.hasOwn(l, key)) continue;
    path.push(fieldElement(key));
    visit(undefined, r![key], childType(map, key), path, changes);
    path.pop();
  }
  return false;
}

const NO_KEYS: readonly string[] = [];

function visitList(
  lhs: unknown,
  rhs: unknown,
  list: ListType,
  path: PathElement[],
  changes: Changes,
): boolean {
  const l = Array.isArray(lhs) ? lhs : [];
  const r = Array.isArray(rhs) ? rhs : [];
  if (!list.associative || (l.length === 0 && r.length === 0)) return true;
  const left = groupItems(l, list);
  const right = groupItems(r, list);
  const all = new Map([...left.elements, ...right.elements]);
  for (const [id, element] of all) {
    const lItems = left.items.get(id) ?? [];
    const rItems = right.items.get(id) ?? [];
    path.push(element);
    if (lItems.length <= 1 && rItems.length <= 1) {
      visit(lItems[0], rItems[0], list.element, path, changes);
    } else if (lItems.length >= 2 && rItems.length >= 2) {
      if (!deepEqual(lItems, rItems)) changes.modified.push(path.slice());
    } else if (lItems.length >= 2) {
      if (rItems.length > 0) visit(undefined, rItems[0], list.element, path, changes);
      changes.removed.push(path.slice());
    } else {
      if (lItems.length > 0) visit(lItems[0], undefined, list.element, path, changes);
      changes.added.push(path.slice());
    }
    path.pop();
  }
  return false;
}

interface GroupedItems {
  readonly elements: Map<string, PathElement>;
  readonly items: Map<string, unknown[]>;
}

/** Items by the element naming them, in first-appearance order; items that cannot be named are skipped. */
function groupItems(items: readonly unknown[], list: ListType): GroupedItems {
  const elements = new Map<string, PathElement>();
  const grouped = new Map<string, unknown[]>();
  for (const item of items) {
    const named = listElement(list, item);
    if (!named.ok) continue;
    const id = serializeElement(named.element);
    if (!elements.has(id)) elements.set(id, named.element);
    grouped.set(id, [...(grouped.get(id) ?? []), item]);
  }
  return { elements, items: grouped };
}
