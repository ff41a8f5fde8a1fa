import { isJsonObject } from './json-schema.ts';

/** Structural equality of decoded JSON values (object key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** A deep copy of a decoded JSON value, so callers never share structure with their input. */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setKey(out, k, deepClone(value[k]));
    return out as T;
  }
  return value;
}

/** Sets an own property, even one named `__proto__`, as JSON.parse would. */
export function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment is many times faster; only `__proto__` would call the prototype setter instead.
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** How deep request bodies and written objects may nest: validation, CEL and cloning all recurse. */
export const MAX_JSON_DEPTH = 100;

/** Whether a decoded JSON value nests deeper than `limit` levels, found without recursing at all. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Roughly the bytes a decoded JSON value serialises to, counted only until it passes `budget`. */
export function jsonSizeUpTo(value: unknown, budget: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  for (let node = stack.pop(); node !== undefined && size <= budget; node = stack.pop()) {
    if (typeof node === 'string') size += node.length + 2;
    else if (typeof node !== 'object' || node === null) size += 8;
    else
      for (const [key, child] of Object.entries(node)) {
        size += key.length + 4;
        stack.push(child);
      }
  }
  return size;
}
