import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceInfo } from '../registry/resource-info.ts';
import { type ServedGroup, servedGroups } from './served-groups.ts';
import { SUBRESOURCE_VERBS, sortedSubresources } from './subresources.ts';

export interface ServerAddressByClientCIDR {
  readonly clientCIDR: string;
  readonly serverAddress: string;
}

/** `GET /api`. */
export interface APIVersions {
  readonly kind: 'APIVersions';
  readonly versions: readonly string[];
  readonly serverAddressByClientCIDRs: readonly ServerAddressByClientCIDR[];
}

export interface GroupVersionForDiscovery {
  readonly groupVersion: string;
  readonly version: string;
}

export interface APIGroupEntry {
  readonly name: string;
  readonly versions: readonly GroupVersionForDiscovery[];
  readonly preferredVersion: GroupVersionForDiscovery;
}

/** `GET /apis/<group>`. */
export interface APIGroup extends APIGroupEntry {
  readonly kind: 'APIGroup';
  readonly apiVersion: 'v1';
}

/** `GET /apis`. */
export interface APIGroupList {
  readonly kind: 'APIGroupList';
  readonly apiVersion: 'v1';
  readonly groups: readonly APIGroupEntry[];
}

export interface APIResource {
  /** The plural, or `<plural>/<subresource>`. */
  readonly name: string;
  /** Empty for subresources. */
  readonly singularName: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly storageVersionHash?: string;
}

/** `GET /api/v1` and `GET /apis/<group>/<version>`. */
export interface APIResourceList {
  readonly kind: 'APIResourceList';
  readonly apiVersion: 'v1';
  readonly groupVersion: string;
  readonly resources: readonly APIResource[];
}

/** `GET /api`: the core group's versions, and the address clients from any network should use. */
export function apiVersions(resources: readonly ResourceInfo[], serverAddress: string): APIVersions {
  const core = servedGroups(resources).find((group) => group.name === '');
  return {
    kind: 'APIVersions',
    versions: core?.versions.map((v) => v.version) ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group (the core group is served under /api), in order of first appearance. */
export function apiGroupList(resources: readonly ResourceInfo[]): APIGroupList {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(resources)
      .filter((group) => group.name !== '')
      .map(groupEntry),
  };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(resources: readonly ResourceInfo[], group: string): APIGroup | undefined {
  const served = group === '' ? undefined : servedGroups(resources).find((g) => g.name === group);
  return served && { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(served) };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when that group version is not served. */
export function apiResourceList(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): APIResourceList | undefined {
  const served = servedGroups(resources)
    .find((g) => g.name === group)
    ?.versions.find((v) => v.version === version);
  if (!served) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: served.resources.flatMap(apiResources),
  };
}

function groupEntry(group: ServedGroup): APIGroupEntry {
  const versions = group.versions.map(({ version }) => ({
    groupVersion: apiVersionOf({ group: group.name, version }),
    version,
  }));
  const [preferredVersion] = versions;
  if (!preferredVersion) throw new Error(`group ${group.name} has no versions`);
  return { name: group.name, versions, preferredVersion };
}

/** The main resource then its subresources: their names sort that way, as the real server lists them. */
function apiResources(resource: ResourceInfo): APIResource[] {
  return [
    {
      name: resource.plural,
      singularName: resource.singular,
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: resource.verbs,
      ...(resource.shortNames.length > 0 ? { shortNames: resource.shortNames } : {}),
      ...(resource.categories.length > 0 ? { categories: resource.categories } : {}),
      storageVersionHash: storageVersionHash(resource),
    },
    ...sortedSubresources(resource).map((subresource) => ({
      name: `${resource.plural}/${subresource}`,
      singularName: '',
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: SUBRESOURCE_VERBS[subresource],
    })),
  ];
}

/** Opaque to clients, which only compare it for equality to notice that a resource's storage changed. */
function storageVersionHash(resource: ResourceInfo): string {
  const digest = createHash('sha256')
    .update(`${resource.group}/${resource.version}/${resource.kind}`)
    .digest();
  return digest.subarray(0, 8).toString('base64');
}
