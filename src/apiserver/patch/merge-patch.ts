import { isJsonObject } from '../schema/json-schema.ts';
import { deepClone, setKey } from '../schema/json-value.ts';

/**
 * RFC 7386 JSON Merge Patch: an object patch merges key by key and null deletes a key; anything else,
 * arrays included, replaces the target. Returns a new value that shares nothing with its inputs.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepClone(patch);
  const base = isJsonObject(target) ? target : {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(base)) {
    if (!Object.hasOwn(patch, name)) setKey(out, name, deepClone(value));
    else if (patch[name] !== null) setKey(out, name, applyMergePatch(value, patch[name]));
  }
  for (const [name, value] of Object.entries(patch)) {
    if (!Object.hasOwn(base, name) && value !== null) setKey(out, name, applyMergePatch(undefined, value));
  }
  return out;
}
