import { CIDRValue, IPValue, sameCIDR, sameIP } from './ip-values.ts';

const isNumber = (value: unknown): value is bigint | number =>
  typeof value === 'bigint' || typeof value === 'number';
const isList = (value: unknown): value is readonly unknown[] | ReadonlySet<unknown> =>
  Array.isArray(value) || value instanceof Set;
const isPlainObject = (value: object): value is Readonly<Record<string, unknown>> => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
};

/** CEL's heterogeneous equality: numbers compare by value across int and double, other kinds never match. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return numbersEqual(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isList(a) || isList(b)) return isList(a) && isList(b) && listsEqual(a, b);
  if (a instanceof IPValue || b instanceof IPValue) {
    return a instanceof IPValue && b instanceof IPValue && sameIP(a, b);
  }
  if (a instanceof CIDRValue || b instanceof CIDRValue) {
    return a instanceof CIDRValue && b instanceof CIDRValue && sameCIDR(a, b);
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  }
  if (isPlainObject(a) && isPlainObject(b)) return mapsEqual(a, b);
  return a.constructor === b.constructor && a.valueOf() === b.valueOf();
}

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === typeof b) return a === b;
  const [int, double] = (typeof a === 'bigint' ? [a, b] : [b, a]) as [bigint, number];
  return Number.isInteger(double) && BigInt(double) === int;
}

/** A Set is a list with x-kubernetes-list-type: set, whose equality ignores order as in Kubernetes. */
function listsEqual(
  a: readonly unknown[] | ReadonlySet<unknown>,
  b: readonly unknown[] | ReadonlySet<unknown>,
) {
  const left = [...a];
  const right = [...b];
  if (left.length !== right.length) return false;
  if (a instanceof Set || b instanceof Set)
    return right.every((item) => left.some((x) => celEquals(x, item)));
  return left.every((item, i) => celEquals(item, right[i]));
}

function mapsEqual(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && celEquals(a[key], b[key]));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
