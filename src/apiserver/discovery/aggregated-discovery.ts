import type { ResourceInfo } from '../registry/resource-info.ts';
import type { DiscoveryVersion } from './negotiate-discovery.ts';
import { servedGroups } from './served-groups.ts';
import { SUBRESOURCE_VERBS, sortedSubresources } from './subresources.ts';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface APISubresourceDiscovery {
  readonly subresource: string;
  readonly responseKind: GroupVersionKind;
  readonly verbs: readonly string[];
}

export interface APIResourceDiscovery {
  readonly resource: string;
  readonly responseKind: GroupVersionKind;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly singularResource: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources?: readonly APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  readonly version: string;
  readonly resources: readonly APIResourceDiscovery[];
  readonly freshness: 'Current';
}

export interface APIGroupDiscovery {
  readonly metadata: { readonly name: string };
  /** Most preferred first. */
  readonly versions: readonly APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  readonly kind: 'APIGroupDiscoveryList';
  readonly apiVersion: `apidiscovery.k8s.io/${DiscoveryVersion}`;
  readonly metadata: Record<string, never>;
  readonly items: readonly APIGroupDiscovery[];
}

/**
 * The aggregated discovery document of `/api` (the core group, one item named '') or `/apis` (every named
 * group in order of first appearance). v2 and v2beta1 differ only in apiVersion.
 */
export function aggregatedDiscovery(
  resources: readonly ResourceInfo[],
  root: 'api' | 'apis',
  version: DiscoveryVersion,
): APIGroupDiscoveryList {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: servedGroups(resources)
      .filter((group) => (root === 'api') === (group.name === ''))
      .map((group) => ({
        metadata: { name: group.name },
        versions: group.versions.map((served) => ({
          version: served.version,
          resources: served.resources.map(resourceDiscovery),
          freshness: 'Current',
        })),
      })),
  };
}

function resourceDiscovery(resource: ResourceInfo): APIResourceDiscovery {
  const responseKind = { group: resource.group, version: resource.version, kind: resource.kind };
  const subresources = sortedSubresources(resource).map((subresource) => ({
    subresource,
    responseKind,
    verbs: SUBRESOURCE_VERBS[subresource],
  }));
  return {
    resource: resource.plural,
    responseKind,
    scope: resource.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: resource.singular,
    verbs: resource.verbs,
    ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
    ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}
