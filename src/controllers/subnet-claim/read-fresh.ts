import { isNotFound } from '../../client/api-error.ts';
import type { KubeObject } from '../../client/kube-object.ts';
import type { ResourceClient } from '../../client/resource-client.ts';

/** The object as the API server has it now, or undefined if it has none: where a cache may lag, the arbiter. */
export async function readFresh<T extends KubeObject>(
  client: ResourceClient<T>,
  namespace: string | undefined,
  name: string,
  signal: AbortSignal,
): Promise<T | undefined> {
  try {
    return await client.get(namespace, name, { signal });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
