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

function visit(lhs: unknown, rhs: unknown, ref: TypeRef, path: FieldPath, changes: Changes): void {
  const lhsType = lhs === undefined ? undefined : resolveType(ref, lhs);
  const rhsType = rhs === undefined ? undefined : resolveType(ref, rhs);
  const type = (rhsType ?? lhsType)!;
  let leaf: boolean;
  if (lhsType && rhsType && lhsType.kind !== rhsType.kind) leaf = true;
  else if (type.kind === 'map') leaf = visitMap(lhs, rhs, type.map, path, changes);
  else if (type.kind === 'list') leaf = visitList(lhs, rhs, type.list, path, changes);
  else leaf = true;

  if (leaf) {
    if (lhs === undefined) changes.added.push(path);
    else if (rhs === undefined) changes.removed.push(path);
    else if (!deepEqual(lhs, rhs)) changes.modified.push(path);
  } else if (lhs === undefined) changes.added.push(path);
  else if (rhs === undefined) changes.removed.push(path);
}

// Returns whether the map is compared as a leaf: atomic, or empty (or null) on both sides.
function visitMap(lhs: unknown, rhs: unknown, map: MapType, path: FieldPath, changes: Changes): boolean {
  const l = isJsonObject(lhs) ? lhs : undefined;
  const r = isJsonObject(rhs) ? rhs : undefined;
  const empty =
    (l === undefined || Object.keys(l).length === 0) && (r === undefined || Object.keys(r).length === 0);
  if (map.atomic || empty) return true;
  const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
  for (const key of keys) {
    const lv = l && Object.hasOwn(l, key) ? l[key] : undefined;
    const rv = r && Object.hasOwn(r, key) ? r[key] : undefined;
    visit(lv, rv, childType(map, key), [...path, fieldElement(key)], changes);
  }
  return false;
}

function visitList(lhs: unknown, rhs: unknown, list: ListType, path: FieldPath, changes: Changes): boolean {
  const l = Array.isArray(lhs) ? lhs : [];
  const r = Array.isArray(rhs) ? rhs : [];
  if (!list.associative || (l.length === 0 && r.length === 0)) return true;
  const left = groupItems(l, list);
  const right = groupItems(r, list);
  const all = new Map([...left.elements, ...right.elements]);
  for (const [id, element] of all) {
    const lItems = left.items.get(id) ?? [];
    const rItems = right.items.get(id) ?? [];
    const itemPath = [...path, element];
    if (lItems.length <= 1 && rItems.length <= 1) {
      visit(lItems[0], rItems[0], list.element, itemPath, changes);
    } else if (lItems.length >= 2 && rItems.length >= 2) {
      if (!deepEqual(lItems, rItems)) changes.modified.push(itemPath);
    } else if (lItems.length >= 2) {
      if (rItems.length > 0) visit(undefined, rItems[0], list.element, itemPath, changes);
      changes.removed.push(itemPath);
    } else {
      if (lItems.length > 0) visit(lItems[0], undefined, list.element, itemPath, changes);
      changes.added.push(itemPath);
    }
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
