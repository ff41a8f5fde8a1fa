import type { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { EventSource } from './event-source.ts';

/** The keys one change concerns: `before` is absent for an add, `after` for a delete. */
export type ChangeMapper<T> = (before: T | undefined, after: T | undefined) => Iterable<string>;

/**
 * The keys each change of the informer's objects concerns, as a source a controller watches with
 * `(keys) => keys`. Seeing both sides of an update, a mapper can pass over what its reconciler does not read
 * (another controller's status write) and name only what changed (the entries of a record that moved).
 */
export function changedKeys<T extends KubeObject>(
  informer: Informer<T>,
  map: ChangeMapper<T>,
): EventSource<readonly string[]> {
  return {
    addEventHandler: (handler) => {
      const emit = (keys: Iterable<string>): void => {
        const list = [...keys];
        if (list.length > 0) handler.onAdd(list);
      };
      const removers = [
        informer.onAdd((object) => emit(map(undefined, object))),
        informer.onUpdate((old, object) => emit(map(old, object))),
        informer.onDelete((object) => emit(map(object, undefined))),
      ];
      return () => {
        for (const remove of removers) remove();
      };
    },
  };
}
