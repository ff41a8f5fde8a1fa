import type { ResourceInfo } from './resource-info.ts';

export const REGISTRY_PREFIX = '/registry/';

type Located = Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>;

/** All objects of a resource (every version shares one key space, as CRD versions without conversion do). */
export function resourcePrefix(resource: Located): string {
  return `${REGISTRY_PREFIX}${resource.group === '' ? 'core' : resource.group}/${resource.plural}/`;
}

/** The objects of one namespace, or all of them when `namespace` is undefined. */
export function listPrefix(resource: Located, namespace: string | undefined): string {
  return resource.namespaced && namespace !== undefined
    ? `${resourcePrefix(resource)}${namespace}/`
    : resourcePrefix(resource);
}

export function objectKey(resource: Located, namespace: string | undefined, name: string): string {
  return resource.namespaced
    ? `${resourcePrefix(resource)}${namespace}/${name}`
    : `${resourcePrefix(resource)}${name}`;
}

/** The group, plural, namespace and name a key encodes; undefined for keys outside the registry. */
export function parseKey(
  key: string,
): { group: string; plural: string; namespace: string | undefined; name: string } | undefined {
  if (!key.startsWith(REGISTRY_PREFIX)) return undefined;
  const parts = key.slice(REGISTRY_PREFIX.length).split('/');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const group = parts[0] === 'core' ? '' : parts[0]!;
  if (parts.length === 3) return { group, plural: parts[1]!, namespace: undefined, name: parts[2]! };
  return { group, plural: parts[1]!, namespace: parts[2]!, name: parts[3]! };
}
