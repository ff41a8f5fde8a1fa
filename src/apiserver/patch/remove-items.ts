import { isJsonObject } from '../schema/json-schema.ts';
import { setKey } from '../schema/json-value.ts';
import { type FieldSet, hasPath, isEmptySet, withPrefix } from './field-set.ts';
import { childType, resolveType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { fieldElement } from './path-element.ts';

/**
 * TypedValue.RemoveItems: drops the map entries, fields and set or list-map items the set names, descending
 * where it names something deeper; atomic values are never entered. An emptied map or list stays empty.
 */
export function removeItems(value: unknown, items: FieldSet, ref: TypeRef): unknown {
  // structured-merge-diff turns an emptied container into null (CRD defaulting then prunes it); prune only
  // empties a container some manager owns itself, so keeping it empty keeps that ownership true.
  return isEmptySet(items) ? value : remove(value, items, ref);
}

function remove(value: unknown, items: FieldSet, ref: TypeRef): unknown {
  const type = resolveType(ref, value);
  if (type.kind === 'list') {
    if (!type.list.associative || !Array.isArray(value) || value.length === 0) return value;
    const kept: unknown[] = [];
    for (const item of value) {
      const named = listElement(type.list, item);
      if (!named.ok) {
        kept.push(item);
        continue;
      }
      if (hasPath(items, [named.element])) continue;
      const below = withPrefix(items, named.element);
      kept.push(isEmptySet(below) ? item : remove(item, below, type.list.element));
    }
    return kept;
  }
  if (type.kind === 'map') {
    if (type.map.atomic || !isJsonObject(value) || Object.keys(value).length === 0) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const element = fieldElement(key);
      if (hasPath(items, [element])) continue;
      const below = withPrefix(items, element);
      setKey(out, key, isEmptySet(below) ? child : remove(child, below, childType(type.map, key)));
    }
    return out;
  }
  return value;
}
