import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { celEquals } from './cel-equality.ts';

const sync = { async: false };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value) || value instanceof Set) return 'list';
  const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? name : 'map';
}

/** CEL ordering of two values of one comparable type; ints and doubles compare with each other. */
function compare(a: unknown, b: unknown): number {
  const numbers =
    (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number');
  if (numbers || (typeof a === typeof b && (typeof a === 'string' || typeof a === 'boolean'))) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const differs = a.findIndex((byte, i) => byte !== b[i]);
    if (differs < 0 || differs >= b.length) return Math.sign(a.length - b.length);
    return Math.sign(a[differs]! - b[differs]!);
  }
  throw new EvaluationError(`no such overload: ${kindOf(a)} < ${kindOf(b)}`);
}

function isSorted(list: Iterable<unknown>): boolean {
  const items = [...list];
  return items.every((item, i) => i === 0 || compare(items[i - 1], item) <= 0);
}

function sum(list: Iterable<unknown>): bigint | number {
  const items = [...list];
  if (items.every((item) => typeof item === 'bigint')) {
    return items.reduce((total, item) => {
      const next = total + item;
      if (next < INT64_MIN || next > INT64_MAX) throw new EvaluationError('integer overflow');
      return next;
    }, 0n);
  }
  if (items.every((item) => typeof item === 'number')) return items.reduce((total, item) => total + item, 0);
  throw new EvaluationError(`no such overload: sum() of ${items.map(kindOf).join(', ')}`);
}

/** Of equal elements the earlier wins, as in Kubernetes' min() and max(). */
const extreme = (name: 'min' | 'max', beats: (order: number) => boolean) => (list: Iterable<unknown>) => {
  const items = [...list];
  if (items.length === 0) throw new EvaluationError(`${name} called on empty list`);
  return items.reduce((best, item) => (beats(compare(best, item)) ? item : best));
};

function indexOf(list: Iterable<unknown>, value: unknown): bigint {
  return BigInt([...list].findIndex((item) => celEquals(item, value)));
}

function lastIndexOf(list: Iterable<unknown>, value: unknown): bigint {
  const items = [...list];
  let i = items.length - 1;
  while (i >= 0 && !celEquals(items[i], value)) i--;
  return BigInt(i);
}

/** Kubernetes' CEL list library (k8s.io/apiserver/pkg/cel/library/lists.go). */
export function registerListsLibrary(env: Environment): Environment {
  return env
    .registerFunction('list<dyn>.isSorted(): bool', isSorted, sync)
    .registerFunction('list<dyn>.sum(): dyn', sum, sync)
    .registerFunction(
      'list<dyn>.min(): dyn',
      extreme('min', (order) => order > 0),
      sync,
    )
    .registerFunction(
      'list<dyn>.max(): dyn',
      extreme('max', (order) => order < 0),
      sync,
    )
    .registerFunction('list<T>.indexOf(T): int', indexOf, sync)
    .registerFunction('list<T>.lastIndexOf(T): int', lastIndexOf, sync);
}
