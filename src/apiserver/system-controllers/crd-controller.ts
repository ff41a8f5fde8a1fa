import { isStatusError } from '../../api/status-error.ts';
import type { Storage } from '../../storage/storage.ts';
import {
  type CustomResourceDefinition,
  customResourceDefinitionStatus,
  resourcesOfCustomResourceDefinition,
} from '../builtin/custom-resource-definition.ts';
import { resourcePrefix } from '../registry/keys.ts';
import { type ApiObject, decodeObject } from '../registry/object-codec.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { systemWrite } from '../registry/request-options.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { NO_STRATEGY, type Strategy } from '../registry/strategy.ts';
import { deepEqual } from '../schema/json-value.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { watchFromList } from './watch-from-list.ts';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const MANAGER = 'apiextensions-controller';

/**
 * Serves what CustomResourceDefinitions declare: every replica registers the served versions of each
 * CRD whose names are accepted, writes its status (NamesAccepted, Established), and on deletion removes all
 * of its objects before the CRD itself goes.
 */
export class CrdController {
  readonly #crds = new Map<string, CustomResourceDefinition>();
  readonly #served = new Map<string, ResourceInfo[]>();
  readonly #queue: KeyedQueue;
  readonly #abort = new AbortController();

  constructor(
    private readonly storage: Storage,
    private readonly registry: ResourceRegistry,
    private readonly crds: RegistryStore,
    onError: (key: string, error: unknown) => void,
    /** The rules beyond its schema that a served resource follows. */
    private readonly strategyFor: (resource: ResourceInfo) => Strategy = () => NO_STRATEGY,
  ) {
    this.#queue = new KeyedQueue(2, onError);
  }

  /** Resolves once every stored CRD is served. */
  async start(): Promise<void> {
    await watchFromList(this.storage, resourcePrefix(this.crds.resource), this.#abort.signal, {
      put: (kv) => this.#put(decodeObject(kv) as unknown as CustomResourceDefinition),
      remove: (kv) => this.#remove(decodeObject(kv).metadata.name ?? ''),
      synced: (keys) => {
        for (const name of [...this.#crds.keys()]) {
          if (!keys.has(this.crds.key(undefined, name))) this.#remove(name);
        }
      },
    });
  }

  stop(): void {
    this.#abort.abort();
    this.#queue.stop();
  }

  #put(crd: CustomResourceDefinition): void {
    const name = crd.metadata.name;
    this.#crds.set(name, crd);
    this.#serve(name, crd);
    this.#queue.add(`status/${name}`, () => this.#writeStatus(name));
    if (crd.metadata.deletionTimestamp !== undefined)
      this.#queue.add(`cleanup/${name}`, () => this.#cleanup(name));
  }

  #remove(name: string): void {
    this.#crds.delete(name);
    for (const resource of this.#served.get(name) ?? []) this.registry.unregister(resource);
    this.#served.delete(name);
  }

  #serve(name: string, crd: CustomResourceDefinition): void {
    const others = [...this.#crds.values()].filter((other) => other.metadata.name !== name);
    const status = customResourceDefinitionStatus(crd, others);
    const accepted = status.conditions.some((c) => c.type === 'NamesAccepted' && c.status === 'True');
    const wanted = accepted ? resourcesOfCustomResourceDefinition(crd) : [];
    const before = this.#served.get(name) ?? [];
    if (deepEqual(before, wanted)) return;
    for (const resource of before) {
      if (!wanted.some((w) => w.version === resource.version && w.plural === resource.plural))
        this.registry.unregister(resource);
    }
    for (const resource of wanted) this.registry.register(resource, this.strategyFor(resource));
    this.#served.set(name, wanted);
  }

  async #writeStatus(name: string): Promise<void> {
    const crd = this.#crds.get(name);
    if (crd === undefined) return;
    const others = [...this.#crds.values()].filter((other) => other.metadata.name !== name);
    const status = customResourceDefinitionStatus(crd, others);
    if (sameStatus(crd.status, status)) return;
    try {
      await this.crds.guaranteedUpdate(undefined, name, systemWrite(MANAGER), 'status', (current) => {
        const next = current as ApiObject;
        next.status = customResourceDefinitionStatus(next as unknown as CustomResourceDefinition, others);
        return next;
      });
    } catch (error) {
      if (!isStatusError(error, 'NotFound')) throw error;
    }
  }

  async #cleanup(name: string): Promise<void> {
    const crd = this.#crds.get(name);
    if (crd === undefined || !(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const store = this.registry.byGroupResource(crd.spec.group, crd.spec.names.plural);
    if (store !== undefined) {
      const listed = await store.list(undefined, {});
      for (const object of listed.items) {
        if (object.metadata.deletionTimestamp !== undefined) continue;
        try {
          await store.delete(object.metadata.namespace, object.metadata.name ?? '', {
            dryRun: false,
            propagationPolicy: 'Background',
          });
        } catch (error) {
          if (!isStatusError(error, 'NotFound')) throw error;
        }
      }
      if (listed.items.length > 0)
        throw new Error(`${name}: waiting for ${listed.items.length} objects to go`);
    }
    await this.crds.removeFinalizer(undefined, name, CLEANUP_FINALIZER, MANAGER);
  }
}

/** Conditions compare without their transition times, so an unchanged status is never rewritten. */
function sameStatus(a: unknown, b: unknown): boolean {
  const strip = (s: unknown): unknown => {
    if (typeof s !== 'object' || s === null) return s;
    const { conditions, ...rest } = s as { conditions?: { lastTransitionTime?: string }[] };
    return { ...rest, conditions: (conditions ?? []).map(({ lastTransitionTime: _t, ...c }) => c) };
  };
  return deepEqual(strip(a), strip(b));
}

/** Creates or updates the CRDs nso itself serves (our kinds take the same path a user's CRD would). */
export async function ensureCustomResourceDefinitions(
  crds: RegistryStore,
  definitions: readonly ApiObject[],
): Promise<void> {
  for (const definition of definitions) {
    const name = definition.metadata.name ?? '';
    await crds.guaranteedUpdate(
      undefined,
      name,
      systemWrite('nso'),
      undefined,
      // No resourceVersion in the result: it is a blind write of our own spec, retried on conflict, since
      // every API server replica writes the same definitions at start.
      (current) => {
        if (current === undefined) return structuredClone(definition);
        const { resourceVersion: _, ...metadata } = current.metadata;
        return { ...current, metadata, spec: structuredClone(definition.spec) };
      },
      true,
    );
  }
}
