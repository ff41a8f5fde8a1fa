import { isJsonObject } from '../schema/json-schema.ts';
import { setKey } from '../schema/json-value.ts';
import { childType, type ListType, type MapType, resolveType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { serializeElement } from './path-element.ts';

/**
 * TypedValue.Merge of an applied configuration into the live object: granular maps and set or list-map items
 * merge field by field, keeping live order and placing new items where the configuration puts them;
 * everything else (scalars, atomic lists and maps) is replaced by the configuration's value.
 */
export function mergeTyped(lhs: unknown, rhs: unknown, ref: TypeRef): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const lhsType = resolveType(ref, lhs);
  const rhsType = resolveType(ref, rhs);
  if (lhsType.kind !== rhsType.kind) return rhs;
  if (rhsType.kind === 'map') return mergeMap(lhs, rhs, rhsType.map);
  if (rhsType.kind === 'list') return mergeList(lhs, rhs, rhsType.list);
  return rhs;
}

function mergeMap(lhs: unknown, rhs: unknown, map: MapType): unknown {
  const l = isJsonObject(lhs) ? lhs : undefined;
  const r = isJsonObject(rhs) ? rhs : undefined;
  const empty =
    (l === undefined || Object.keys(l).length === 0) && (r === undefined || Object.keys(r).length === 0);
  if (map.atomic || empty) return rhs;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})])) {
    const lv = l && Object.hasOwn(l, key) ? l[key] : undefined;
    const rv = r && Object.hasOwn(r, key) ? r[key] : undefined;
    const merged = mergeTyped(lv, rv, childType(map, key));
    if (merged !== undefined) setKey(out, key, merged);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

interface Indexed {
  readonly ids: readonly string[];
  readonly items: readonly unknown[];
  /** The item for each id; undefined marks an id that the live list repeats. */
  readonly byId: ReadonlyMap<string, unknown>;
}

function index(items: readonly unknown[], list: ListType): Indexed {
  const ids: string[] = [];
  const kept: unknown[] = [];
  const byId = new Map<string, unknown>();
  for (const item of items) {
    const named = listElement(list, item);
    if (!named.ok) continue;
    const id = serializeElement(named.element);
    byId.set(id, byId.has(id) ? undefined : item);
    ids.push(id);
    kept.push(item);
  }
  return { ids, items: kept, byId };
}

// The order of structured-merge-diff's merge: live items keep their places, the configuration's items
// are placed in its order, and an item both have is emitted where the configuration expects it next.
function mergeList(lhs: unknown, rhs: unknown, list: ListType): unknown {
  const lItems = Array.isArray(lhs) ? lhs : [];
  const rItems = Array.isArray(rhs) ? rhs : [];
  if (!list.associative || (lItems.length === 0 && rItems.length === 0)) return rhs;
  const left = index(lItems, list);
  const right = index(uniqueItems(rItems, list), list);
  const shared = right.ids.filter((id) => left.byId.has(id));
  let nextShared = shared.shift();
  const mergedRight = new Set<string>();
  const out: unknown[] = [];
  const emit = (id: string, lChild: unknown, rChild: unknown) => {
    const merged = mergeTyped(lChild, rChild, list.element);
    if (merged !== undefined) out.push(merged);
    mergedRight.add(id);
  };
  let li = 0;
  let ri = 0;
  while (li < left.ids.length || ri < right.ids.length) {
    if (li < left.ids.length && ri < right.ids.length) {
      const id = left.ids[li]!;
      if (id === right.ids[ri]) {
        emit(id, left.byId.get(id), right.byId.get(id));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (right.byId.has(id) && nextShared !== undefined && nextShared !== id) {
        li++;
        continue;
      }
    }
    if (li < left.ids.length) {
      const id = left.ids[li]!;
      if (!right.byId.has(id)) {
        const merged = mergeTyped(left.items[li], undefined, list.element);
        if (merged !== undefined) out.push(merged);
        li++;
        continue;
      }
      if (mergedRight.has(id)) li++;
    }
    if (ri < right.ids.length) {
      const id = right.ids[ri]!;
      emit(id, left.byId.get(id), right.byId.get(id));
      ri++;
      if (nextShared === id) nextShared = shared.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}

// A configuration never repeats an item: validation refuses it before merging. Keep the first, defensively.
function uniqueItems(items: readonly unknown[], list: ListType): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const named = listElement(list, item);
    if (!named.ok) return false;
    const id = serializeElement(named.element);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
