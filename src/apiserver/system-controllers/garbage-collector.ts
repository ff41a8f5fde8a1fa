import { isStatusError } from '../../api/status-error.ts';
import type { KeyValue, Storage } from '../../storage/storage.ts';
import { parseKey, REGISTRY_PREFIX } from '../registry/keys.ts';
import { type ApiObject, decodeObject } from '../registry/object-codec.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { systemWrite } from '../registry/request-options.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { watchFromList } from './watch-from-list.ts';

interface Node {
  readonly key: string;
  readonly owners: readonly Owner[];
  readonly deleting: boolean;
  readonly finalizers: readonly string[];
}

interface Owner {
  readonly uid: string;
  readonly block: boolean;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

const MANAGER = 'garbage-collector';
const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/**
 * ownerReference garbage collection as kube-controller-manager does it, driven by one watch over every
 * object: a dependent whose owners are all gone is deleted; a Foreground owner waits for its blocking
 * dependents; an Orphan owner first strips itself from its dependents. Every step is idempotent, so several
 * API server replicas may run it at once.
 */
export class GarbageCollector {
  readonly #nodes = new Map<string, Node>();
  readonly #dependents = new Map<string, Set<string>>();
  readonly #queue: KeyedQueue;
  readonly #abort = new AbortController();
  /** Until the first list is indexed an owner may merely not have been seen yet, so nothing is judged. */
  #synced = false;

  constructor(
    private readonly storage: Storage,
    private readonly registry: ResourceRegistry,
    onError: (key: string, error: unknown) => void,
  ) {
    this.#queue = new KeyedQueue(4, onError);
  }

  /** Resolves once the current objects are indexed; the watch then runs until stop(). */
  start(): Promise<void> {
    return watchFromList(this.storage, REGISTRY_PREFIX, this.#abort.signal, {
      put: (kv) => this.#put(kv),
      remove: (kv) => this.#remove(kv),
      synced: (keys) => this.#resync(keys),
    });
  }

  stop(): void {
    this.#abort.abort();
    this.#queue.stop();
  }

  #put(kv: KeyValue): void {
    const object = decodeObject(kv);
    const uid = object.metadata.uid;
    if (uid === undefined) return;
    const previous = this.#nodes.get(uid);
    for (const owner of previous?.owners ?? []) this.#dependents.get(owner.uid)?.delete(uid);
    const node: Node = {
      key: kv.key,
      owners: (object.metadata.ownerReferences ?? []).map((ref) => ({
        uid: ref.uid,
        block: ref.blockOwnerDeletion === true,
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        name: ref.name,
      })),
      deleting: object.metadata.deletionTimestamp !== undefined,
      finalizers: object.metadata.finalizers ?? [],
    };
    this.#nodes.set(uid, node);
    for (const owner of node.owners) {
      const set = this.#dependents.get(owner.uid) ?? new Set<string>();
      this.#dependents.set(owner.uid, set);
      set.add(uid);
    }
    if (this.#synced) this.#examine(uid, node);
  }

  #examine(uid: string, node: Node): void {
    if (node.deleting && node.finalizers.includes(FOREGROUND))
      this.#schedule('foreground', uid, () => this.#foreground(uid));
    if (node.deleting && node.finalizers.includes(ORPHAN))
      this.#schedule('orphan', uid, () => this.#orphan(uid));
    if (node.owners.some((owner) => !this.#nodes.has(owner.uid)))
      this.#schedule('delete', uid, () => this.#attemptToDelete(uid));
    this.#ownersWaiting(node);
  }

  #resync(keys: ReadonlySet<string>): void {
    for (const [uid, node] of this.#nodes) {
      if (!keys.has(node.key)) this.#nodes.delete(uid);
    }
    this.#synced = true;
    for (const [uid, node] of this.#nodes) this.#examine(uid, node);
  }

  #remove(kv: KeyValue): void {
    const object = decodeObject(kv);
    const uid = object.metadata.uid;
    if (uid === undefined) return;
    const node = this.#nodes.get(uid);
    this.#nodes.delete(uid);
    for (const owner of node?.owners ?? []) this.#dependents.get(owner.uid)?.delete(uid);
    if (!this.#synced) return;
    for (const dependent of this.#dependents.get(uid) ?? []) {
      this.#schedule('delete', dependent, () => this.#attemptToDelete(dependent));
    }
    if (node !== undefined) this.#ownersWaiting(node);
  }

  /** An owner in foreground deletion re-checks whenever one of its dependents changes or goes. */
  #ownersWaiting(node: Node): void {
    for (const owner of node.owners) {
      const ownerNode = this.#nodes.get(owner.uid);
      if (ownerNode?.deleting && ownerNode.finalizers.includes(FOREGROUND)) {
        this.#schedule('foreground', owner.uid, () => this.#foreground(owner.uid));
      }
    }
  }

  #schedule(step: 'delete' | 'foreground' | 'orphan', uid: string, work: () => Promise<void>): void {
    this.#queue.add(`${step}/${uid}`, work);
  }

  async #attemptToDelete(uid: string): Promise<void> {
    const node = this.#nodes.get(uid);
    if (node === undefined || node.owners.length === 0) return;
    const unseen = node.owners.filter((owner) => !this.#nodes.has(owner.uid));
    if (unseen.length === 0) return;
    const target = this.#locate(node.key);
    if (target === undefined) return;
    // The graph may lag storage: an owner is absent only if storage has no object of its name with its uid,
    // as kube's garbage collector looks an owner up before it deletes a dependent.
    const present = await Promise.all(unseen.map((owner) => this.#ownerExists(owner, target.namespace)));
    const absent = unseen.filter((_, i) => !present[i]);
    if (absent.length === 0) return;
    if (absent.length < node.owners.length) {
      const gone = new Set(absent.map((owner) => owner.uid));
      await this.#stripOwners(target, (ref) => !gone.has(ref));
      return;
    }
    await ignoreNotFound(
      target.store.delete(target.namespace, target.name, { dryRun: false, propagationPolicy: 'Background' }),
    );
  }

  async #foreground(uid: string): Promise<void> {
    const node = this.#nodes.get(uid);
    if (node === undefined || !node.deleting || !node.finalizers.includes(FOREGROUND)) return;
    let blocking = 0;
    for (const dependent of [...(this.#dependents.get(uid) ?? [])]) {
      const child = this.#nodes.get(dependent);
      if (child === undefined) continue;
      if (child.owners.some((owner) => owner.uid === uid && owner.block)) blocking++;
      if (child.deleting) continue;
      const target = this.#locate(child.key);
      if (target === undefined) continue;
      await ignoreNotFound(
        target.store.delete(target.namespace, target.name, {
          dryRun: false,
          propagationPolicy: 'Foreground',
        }),
      );
    }
    if (blocking > 0) return;
    const owner = this.#locate(node.key);
    if (owner !== undefined)
      await owner.store.removeFinalizer(owner.namespace, owner.name, FOREGROUND, MANAGER);
  }

  async #orphan(uid: string): Promise<void> {
    const node = this.#nodes.get(uid);
    if (node === undefined || !node.deleting || !node.finalizers.includes(ORPHAN)) return;
    for (const dependent of [...(this.#dependents.get(uid) ?? [])]) {
      const child = this.#nodes.get(dependent);
      const target = child === undefined ? undefined : this.#locate(child.key);
      if (target !== undefined) await this.#stripOwners(target, (ref) => ref !== uid);
    }
    const owner = this.#locate(node.key);
    if (owner !== undefined) await owner.store.removeFinalizer(owner.namespace, owner.name, ORPHAN, MANAGER);
  }

  async #stripOwners(target: Located, keep: (uid: string) => boolean): Promise<void> {
    await ignoreNotFound(
      target.store.guaranteedUpdate(
        target.namespace,
        target.name,
        systemWrite(MANAGER),
        undefined,
        (current) => {
          const next = current as ApiObject;
          const kept = (next.metadata.ownerReferences ?? []).filter((ref) => keep(ref.uid));
          if (kept.length === 0) delete next.metadata.ownerReferences;
          else next.metadata.ownerReferences = kept;
          return next;
        },
      ),
    );
  }

  async #ownerExists(owner: Owner, namespace: string | undefined): Promise<boolean> {
    const store = this.registry.byKind(owner.apiVersion, owner.kind);
    if (store === undefined) return false;
    try {
      const found = await store.get(store.resource.namespaced ? namespace : undefined, owner.name);
      return found.metadata.uid === owner.uid;
    } catch (error) {
      if (isStatusError(error, 'NotFound')) return false;
      throw error;
    }
  }

  #locate(key: string): Located | undefined {
    const parsed = parseKey(key);
    if (parsed === undefined) return undefined;
    const store = this.registry.byGroupResource(parsed.group, parsed.plural);
    return store === undefined ? undefined : { store, namespace: parsed.namespace, name: parsed.name };
  }
}

interface Located {
  readonly store: RegistryStore;
  readonly namespace: string | undefined;
  readonly name: string;
}

async function ignoreNotFound(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isStatusError(error, 'NotFound')) throw error;
  }
}
