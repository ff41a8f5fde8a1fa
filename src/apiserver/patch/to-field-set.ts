import { isJsonObject } from '../schema/json-schema.ts';
import { type FieldSet, fieldSetOf } from './field-set.ts';
import { childType, declaredField, type ListType, resolveType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { type FieldPath, fieldElement, serializeElement } from './path-element.ts';

/**
 * The fields a value sets (TypedValue.ToFieldSet): scalars, atomic lists and maps, set and list-map items,
 * map entries, and empty or null fields. A struct field holding a non-empty object is not itself a member.
 */
export function toFieldSet(value: unknown, ref: TypeRef): FieldSet {
  const paths: FieldPath[] = [];
  walk(value, ref, [], paths);
  return fieldSetOf(paths);
}

function walk(value: unknown, ref: TypeRef, path: FieldPath, paths: FieldPath[]): void {
  const type = resolveType(ref, value);
  if (type.kind === 'scalar') {
    paths.push(path);
  } else if (type.kind === 'list') {
    if (!type.list.associative) paths.push(path);
    else if (Array.isArray(value)) walkItems(value, type.list, path, paths);
  } else if (type.map.atomic) {
    paths.push(path);
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, fieldElement(key)];
      walk(child, childType(type.map, key), childPath, paths);
      const empty = child === null || (isJsonObject(child) && Object.keys(child).length === 0);
      if (empty || declaredField(type.map, key) === undefined) paths.push(childPath);
    }
  }
}

// A repeated item is tracked as a whole, once, instead of field by field.
function walkItems(items: readonly unknown[], list: ListType, path: FieldPath, paths: FieldPath[]): void {
  const named = items.map((item) => listElement(list, item));
  const count = new Map<string, number>();
  for (const n of named) {
    if (!n.ok) continue;
    const id = serializeElement(n.element);
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  const duplicatesSeen = new Set<string>();
  named.forEach((n, i) => {
    if (!n.ok) return;
    const id = serializeElement(n.element);
    const itemPath = [...path, n.element];
    if (count.get(id)! > 1) {
      if (!duplicatesSeen.has(id)) paths.push(itemPath);
      duplicatesSeen.add(id);
      return;
    }
    walk(items[i], list.element, itemPath, paths);
    paths.push(itemPath);
  });
}
