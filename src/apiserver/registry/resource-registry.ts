import { ResourceSchema } from '../admission/resource-schema.ts';
import type { JsonSchemaProps } from '../schema/json-schema.ts';
import { FieldManagement } from './field-management.ts';
import { RegistryStore, type StoreContext } from './registry-store.ts';
import { apiVersionOf, type ResourceInfo } from './resource-info.ts';
import { NO_STRATEGY, type Strategy } from './strategy.ts';

/**
 * The resources this server serves right now. Built-in kinds are registered at start; custom resources come
 * and go with their CustomResourceDefinitions. `generation` changes with the set, so discovery and OpenAPI
 * documents can be cached per generation.
 */
export class ResourceRegistry {
  readonly #byPath = new Map<string, RegistryStore>();
  readonly #byKind = new Map<string, RegistryStore>();
  #generation = 0;

  constructor(private readonly context: StoreContext) {}

  get generation(): number {
    return this.#generation;
  }

  /** Serves `resource` (replacing an earlier registration of the same group/version/plural). */
  register(resource: ResourceInfo, strategy: Strategy = NO_STRATEGY): RegistryStore {
    const schema = new ResourceSchema(resource.schema as JsonSchemaProps, {
      namespaced: resource.namespaced,
    });
    const store = new RegistryStore(
      resource,
      schema,
      strategy,
      new FieldManagement(resource, this.context.now),
      this.context,
    );
    this.#byPath.set(pathKey(resource.group, resource.version, resource.plural), store);
    this.#byKind.set(`${apiVersionOf(resource)}/${resource.kind}`, store);
    this.#generation++;
    return store;
  }

  unregister(resource: Pick<ResourceInfo, 'group' | 'version' | 'plural' | 'kind'>): void {
    const store = this.#byPath.get(pathKey(resource.group, resource.version, resource.plural));
    if (store === undefined) return;
    this.#byPath.delete(pathKey(resource.group, resource.version, resource.plural));
    this.#byKind.delete(`${apiVersionOf(resource)}/${resource.kind}`);
    this.#generation++;
  }

  lookup(group: string, version: string, plural: string): RegistryStore | undefined {
    return this.#byPath.get(pathKey(group, version, plural));
  }

  byKind(apiVersion: string, kind: string): RegistryStore | undefined {
    return this.#byKind.get(`${apiVersion}/${kind}`);
  }

  /** One store per group and plural (any served version), the unit the garbage collector works in. */
  byGroupResource(group: string, plural: string): RegistryStore | undefined {
    for (const store of this.#byPath.values()) {
      if (store.resource.group === group && store.resource.plural === plural) return store;
    }
    return undefined;
  }

  stores(): RegistryStore[] {
    return [...this.#byPath.values()];
  }

  resources(): ResourceInfo[] {
    return this.stores().map((store) => store.resource);
  }
}

function pathKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}
