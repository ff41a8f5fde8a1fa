import type { Environment } from '@marcbachmann/cel-js';
import { celEquals } from './cel-equality.ts';

const sync = { async: false };

/** Holds the `sets.*` functions: cel-js has no qualified function names, so `sets` is a constant with methods. */
class SetFunctions {}

const includes = (list: Iterable<unknown>, value: unknown): boolean =>
  [...list].some((item) => celEquals(item, value));
const containsAll = (list: Iterable<unknown>, sublist: Iterable<unknown>): boolean =>
  [...sublist].every((item) => includes(list, item));

/** cel-go's set extension (ext.Sets), which Kubernetes enables from 1.29. */
export function registerSetsLibrary(env: Environment): Environment {
  return env
    .registerType('kubernetes.sets', { ctor: SetFunctions, fields: {} })
    .registerConstant('sets', 'kubernetes.sets', new SetFunctions())
    .registerFunction(
      'kubernetes.sets.contains(list, list): bool',
      (_: SetFunctions, list: Iterable<unknown>, sublist: Iterable<unknown>) => containsAll(list, sublist),
      sync,
    )
    .registerFunction(
      'kubernetes.sets.equivalent(list, list): bool',
      (_: SetFunctions, a: Iterable<unknown>, b: Iterable<unknown>) => containsAll(a, b) && containsAll(b, a),
      sync,
    )
    .registerFunction(
      'kubernetes.sets.intersects(list, list): bool',
      (_: SetFunctions, a: Iterable<unknown>, b: Iterable<unknown>) =>
        [...a].some((item) => includes(b, item)),
      sync,
    );
}
