import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';

/** One finalizer a controller holds on objects of one kind until its clean-up is done. */
export class Finalizer {
  constructor(readonly name: string) {}

  on(object: KubeObject): boolean {
    return object.metadata.finalizers?.includes(this.name) ?? false;
  }

  added<T extends KubeObject>(object: T): T {
    if (this.on(object)) return object;
    const finalizers = [...(object.metadata.finalizers ?? []), this.name];
    return { ...object, metadata: { ...object.metadata, finalizers } };
  }

  removed<T extends KubeObject>(object: T): T {
    const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== this.name);
    return { ...object, metadata: { ...object.metadata, finalizers } };
  }

  /**
   * Adds it with an update at the cached resourceVersion. A conflict or a vanished object is not an error:
   * the watch brings the newer state and the key is reconciled again.
   */
  async add<T extends KubeObject>(client: ResourceClient<T>, object: T, signal?: AbortSignal): Promise<void> {
    try {
      await client.update(this.added(object), signal === undefined ? {} : { signal });
    } catch (error) {
      if (!isConflict(error) && !isNotFound(error)) throw error;
    }
  }
}
