import type { ResourceInfo } from '../registry/resource-info.ts';

/** The verbs each subresource serves, as discovery reports them. */
export const SUBRESOURCE_VERBS: Readonly<Record<ResourceInfo['subresources'][number], readonly string[]>> = {
  log: ['get'],
  status: ['get', 'patch', 'update'],
};

/** The resource's subresources in name order. */
export function sortedSubresources(resource: ResourceInfo): ResourceInfo['subresources'][number][] {
  return [...resource.subresources].sort();
}
