import { isJsonObject } from '../schema/json-schema.ts';
import { compareUtf8 } from './byte-order.ts';

const RANK = { number: 0, string: 1, boolean: 2, list: 3, map: 4, null: 5 } as const;

function rank(value: unknown): number {
  if (typeof value === 'number') return RANK.number;
  if (typeof value === 'string') return RANK.string;
  if (typeof value === 'boolean') return RANK.boolean;
  if (Array.isArray(value)) return RANK.list;
  if (isJsonObject(value)) return RANK.map;
  return RANK.null;
}

/**
 * structured-merge-diff's total order of JSON values (value.Compare): numbers, strings, booleans, lists,
 * maps, null; lists and maps lexically. It orders `v:` set members and `k:` keys in managed fields.
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareUtf8(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) return compareLists(a, b);
  if (isJsonObject(a) && isJsonObject(b)) return compareMaps(a, b);
  return 0;
}

function compareLists(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

// value.MapCompare walks the union of keys in order and compares position by position.
function compareMaps(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): number {
  const aLength = Object.keys(a).length;
  const bLength = Object.keys(b).length;
  if (aLength === 0 && bLength === 0) return 0;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareUtf8);
  for (const [i, key] of keys.entries()) {
    if (i === aLength) return -1;
    if (i === bLength) return 1;
    if (!Object.hasOwn(a, key)) return 1;
    if (!Object.hasOwn(b, key)) return -1;
    const c = compareValues(a[key], b[key]);
    if (c !== 0) return c;
  }
  return 0;
}
