import { goQuote } from '../schema/go-format.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import type { ListType } from './field-type.ts';
import { type KeyField, keyElement, type PathElement } from './path-element.ts';

export type ListElement =
  | { readonly ok: true; readonly element: PathElement }
  | { readonly ok: false; readonly message: string };

/**
 * The path element naming an item of a set or list-map: its value, or its key fields (a missing key field
 * takes the schema default, if any). Messages are structured-merge-diff's.
 */
export function listElement(list: ListType, item: unknown): ListElement {
  return list.keys.length > 0 ? keyedElement(list, item) : setElement(item);
}

function keyedElement(list: ListType, item: unknown): ListElement {
  if (item === null) return { ok: false, message: 'associative list with keys may not have a null element' };
  if (!isJsonObject(item)) {
    return { ok: false, message: 'associative list with keys may not have non-map elements' };
  }
  const fields: KeyField[] = [];
  for (const name of list.keys) {
    if (Object.hasOwn(item, name)) fields.push({ name, value: item[name] });
    else {
      const fallback = keyDefault(list, name);
      if (fallback !== undefined && fallback !== null) fields.push({ name, value: fallback });
    }
  }
  if (fields.length === 0) {
    return {
      ok: false,
      message: `associative list with keys has an element that omits all key fields [${list.keys.map(goQuote).join(' ')}] (and doesn't have default values for any key fields)`,
    };
  }
  return { ok: true, element: keyElement(fields) };
}

function keyDefault(list: ListType, name: string): unknown {
  const element = list.element;
  if (typeof element === 'string') return undefined;
  const property = element.properties?.[name];
  return property && Object.hasOwn(property, 'default') ? property.default : undefined;
}

function setElement(item: unknown): ListElement {
  if (isJsonObject(item)) {
    return { ok: false, message: "associative list without keys has an element that's a map type" };
  }
  if (Array.isArray(item)) {
    return { ok: false, message: 'not supported: associative list with lists as elements' };
  }
  if (item === null) {
    return { ok: false, message: "associative list without keys has an element that's an explicit null" };
  }
  return { ok: true, element: { kind: 'value', value: item } };
}
