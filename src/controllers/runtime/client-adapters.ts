import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { Informer } from '../../client/informer.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { IndexFunction } from '../../client/object-cache.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { CoreEvent, EventPatch, EventSink } from './event-recorder.ts';
import type { EventSource } from './event-source.ts';
import type { LeaseRecord, LeaseSpec, LeaseStore } from './leader-election.ts';

/** The runtime's view of an informer: its add, update and delete handlers as one. */
export function informerSource<T extends KubeObject>(informer: Informer<T>): EventSource<T> {
  return {
    addEventHandler: (handler) => {
      const removers = [
        informer.onAdd((object) => handler.onAdd(object)),
        informer.onUpdate((old, object) => handler.onUpdate(old, object)),
        informer.onDelete((object) => handler.onDelete(object)),
      ];
      return () => {
        for (const remove of removers) remove();
      };
    },
  };
}

export interface LeaseObject extends KubeObject {
  spec?: LeaseSpec;
}

/** One coordination.k8s.io/v1 Lease; an update is a PUT carrying resourceVersion, so the server arbitrates. */
export function leaseStore(client: ResourceClient<LeaseObject>, namespace: string, name: string): LeaseStore {
  const record = (lease: LeaseObject): LeaseRecord => ({
    spec: lease.spec ?? {},
    resourceVersion: lease.metadata.resourceVersion ?? '',
  });
  const object = (spec: LeaseSpec, resourceVersion?: string): LeaseObject => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec,
  });
  return {
    get: async () => {
      try {
        return record(await client.get(namespace, name));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    create: async (spec) => record(await client.create(object(spec))),
    update: async (spec, resourceVersion) => record(await client.update(object(spec, resourceVersion))),
  };
}

/** core/v1 Events: create, and a merge patch for repeats (404 when the server expired the Event). */
export function eventSink(client: ResourceClient<CoreEvent & KubeObject>): EventSink {
  return {
    create: async (event) => {
      try {
        return await client.create(event as CoreEvent & KubeObject);
      } catch (error) {
        // A retried create whose first attempt landed: the event is recorded.
        if (isAlreadyExists(error)) return undefined;
        throw error;
      }
    },
    patch: (namespace: string, name: string, patch: EventPatch) =>
      client.patch(namespace, name, { type: 'merge', patch: { ...patch } }),
  };
}

const indexed = new WeakMap<object, Set<string>>();

/** Adds the index once per informer, however many times controllers are built over it (one per leadership term). */
export function ensureIndex<T extends KubeObject>(
  informer: Informer<T>,
  name: string,
  fn: IndexFunction<T>,
): void {
  let names = indexed.get(informer);
  if (names === undefined) {
    names = new Set();
    indexed.set(informer, names);
  }
  if (names.has(name)) return;
  informer.addIndex(name, fn);
  names.add(name);
}

const counters = new WeakMap<object, { changes: number }>();

/**
 * How many adds, updates and deletes the informer has delivered: a cheap "did anything change" stamp. The
 * counting handlers are added once per informer, however many controllers ask.
 */
export function changeCount<T extends KubeObject>(informer: Informer<T>): () => number {
  let counter = counters.get(informer);
  if (counter === undefined) {
    const created = { changes: 0 };
    const bump = (): void => {
      created.changes++;
    };
    informer.onAdd(bump);
    informer.onUpdate(bump);
    informer.onDelete(bump);
    counters.set(informer, created);
    counter = created;
  }
  const found = counter;
  return () => found.changes;
}
