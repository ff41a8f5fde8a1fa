import { isJsonObject } from '../schema/json-schema.ts';
import { childType, resolveType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { fieldElement, type PathElement, pathString, serializeElement } from './path-element.ts';

/**
 * What structured-merge-diff refuses when it converts an object to a typed value: set and list-map items it
 * cannot name, and (unless allowed, as for live objects) two items with the same name.
 */
export function typedValueErrors(value: unknown, ref: TypeRef, allowDuplicates: boolean): string[] {
  const errors: string[] = [];
  walk(value, ref, [], allowDuplicates, errors);
  return errors;
}

/** ValidationErrors.Error(): one message, or "errors:" then one indented line per error. */
export function joinTypedErrors(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
}

// `path` is the walk's own stack, printed only when there is an error.
function walk(
  value: unknown,
  ref: TypeRef,
  path: PathElement[],
  allowDuplicates: boolean,
  errors: string[],
): void {
  const type = resolveType(ref, value);
  if (type.kind === 'map') {
    if (type.map.atomic || !isJsonObject(value)) return;
    for (const key of Object.keys(value)) {
      path.push(fieldElement(key));
      walk(value[key], childType(type.map, key), path, allowDuplicates, errors);
      path.pop();
    }
  } else if (type.kind === 'list') {
    if (!type.list.associative || !Array.isArray(value)) return;
    const seen = new Set<string>();
    const at = (message: string) => (path.length === 0 ? message : `${pathString(path)}: ${message}`);
    value.forEach((item, i) => {
      const named = listElement(type.list, item);
      if (!named.ok) {
        errors.push(at(`element ${i}: ${named.message}`));
        return;
      }
      if (!allowDuplicates) {
        const id = serializeElement(named.element);
        if (seen.has(id)) {
          errors.push(at(`duplicate entries for key ${pathString([named.element])}`));
          return;
        }
        seen.add(id);
      }
      path.push(named.element);
      walk(item, type.list.element, path, allowDuplicates, errors);
      path.pop();
    });
  }
}
