import { StatusError } from '../../api/status-error.ts';
import type { Storage } from '../../storage/storage.ts';
import { resourcePrefix } from '../registry/keys.ts';
import { type ApiObject, decodeObject } from '../registry/object-codec.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { systemWrite } from '../registry/request-options.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { Strategy } from '../registry/strategy.ts';
import { notFound } from '../status-errors.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { watchFromList } from './watch-from-list.ts';

const KUBERNETES_FINALIZER = 'kubernetes';
const MANAGER = 'namespace-controller';

type NamespaceObject = ApiObject & { spec?: { finalizers?: string[] }; status?: { phase?: string } };

/** A Namespace is Active until deleted, then Terminating until its content is gone (spec.finalizers). */
export const namespaceStrategy: Strategy = {
  prepareForCreate(object) {
    const ns = object as NamespaceObject;
    ns.spec = {
      ...ns.spec,
      finalizers: [...new Set([...(ns.spec?.finalizers ?? []), KUBERNETES_FINALIZER])],
    };
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(object, old, subresource) {
    if (subresource === 'finalize') return;
    (object as NamespaceObject).spec = {
      ...(object as NamespaceObject).spec,
      finalizers: (old as NamespaceObject).spec?.finalizers ?? [],
    };
    if ((object as NamespaceObject).spec?.finalizers?.length === 0)
      delete (object as NamespaceObject).spec?.finalizers;
  },
  pendingFinalizers(object) {
    return [...(object.metadata.finalizers ?? []), ...((object as NamespaceObject).spec?.finalizers ?? [])];
  },
  prepareForDelete(object) {
    (object as NamespaceObject).status = { ...(object as NamespaceObject).status, phase: 'Terminating' };
  },
};

/** Refuses content in a missing namespace (404) or a terminating one (403), as the NamespaceLifecycle admission plugin does. */
export async function admitNamespace(namespaces: RegistryStore, name: string): Promise<void> {
  let namespace: NamespaceObject;
  try {
    namespace = (await namespaces.get(undefined, name)) as NamespaceObject;
  } catch (error) {
    if (error instanceof StatusError && error.reason === 'NotFound')
      throw notFound(namespaces.resource, name);
    throw error;
  }
  if (namespace.metadata.deletionTimestamp !== undefined) {
    throw new StatusError(
      403,
      'Forbidden',
      `unable to create new content in namespace ${name} because it is being terminated`,
      {
        name,
        kind: 'namespaces',
        causes: [
          {
            reason: 'NamespaceTerminating',
            message: `namespace ${name} is being terminated`,
            field: 'metadata.namespace',
          },
        ],
      },
    );
  }
}

/** Drains a terminating namespace: deletes every namespaced object in it, then lifts the `kubernetes` finalizer. */
export class NamespaceLifecycle {
  readonly #queue: KeyedQueue;
  readonly #abort = new AbortController();

  constructor(
    private readonly storage: Storage,
    private readonly registry: ResourceRegistry,
    private readonly namespaces: RegistryStore,
    onError: (key: string, error: unknown) => void,
  ) {
    this.#queue = new KeyedQueue(2, onError);
  }

  start(): Promise<void> {
    return watchFromList(this.storage, resourcePrefix(this.namespaces.resource), this.#abort.signal, {
      put: (kv) => {
        const ns = decodeObject(kv);
        const name = ns.metadata.name;
        if (name !== undefined && ns.metadata.deletionTimestamp !== undefined)
          this.#queue.add(name, () => this.#drain(name));
      },
      remove: () => {},
    });
  }

  stop(): void {
    this.#abort.abort();
    this.#queue.stop();
  }

  async #drain(namespace: string): Promise<void> {
    let remaining = 0;
    for (const store of this.registry.stores()) {
      if (!store.resource.namespaced || !store.resource.verbs.includes('delete')) continue;
      const listed = await store.list(namespace, {});
      for (const object of listed.items) {
        remaining++;
        if (object.metadata.deletionTimestamp !== undefined) continue;
        try {
          await store.delete(namespace, object.metadata.name ?? '', {
            dryRun: false,
            propagationPolicy: 'Background',
          });
        } catch (error) {
          if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
        }
      }
    }
    if (remaining > 0) throw new Error(`namespace ${namespace} still holds ${remaining} objects`);
    try {
      await this.namespaces.guaranteedUpdate(
        undefined,
        namespace,
        systemWrite(MANAGER),
        'finalize',
        (current) => {
          const next = current as NamespaceObject;
          next.spec = {
            ...next.spec,
            finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER),
          };
          return next;
        },
      );
    } catch (error) {
      if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
    }
  }
}
