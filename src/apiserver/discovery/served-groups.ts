import type { ResourceInfo } from '../registry/resource-info.ts';
import { compareVersionPriority } from './version-priority.ts';

export interface ServedVersion {
  readonly version: string;
  /** Sorted by plural, as discovery and OpenAPI list them. */
  readonly resources: readonly ResourceInfo[];
}

export interface ServedGroup {
  /** '' for the core group. */
  readonly name: string;
  /** Most preferred first; the first is the group's preferred version. */
  readonly versions: readonly ServedVersion[];
}

/** The resource set as groups (in order of first appearance, so callers decide precedence) and versions. */
export function servedGroups(resources: readonly ResourceInfo[]): ServedGroup[] {
  const groups = new Map<string, Map<string, ResourceInfo[]>>();
  for (const resource of resources) {
    const versions = groups.get(resource.group) ?? new Map<string, ResourceInfo[]>();
    groups.set(resource.group, versions);
    versions.set(resource.version, [...(versions.get(resource.version) ?? []), resource]);
  }
  return [...groups].map(([name, versions]) => ({
    name,
    versions: [...versions]
      .sort(([a], [b]) => compareVersionPriority(a, b))
      .map(([version, list]) => ({
        version,
        resources: list.sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0)),
      })),
  }));
}

/** `api/v1` or `apis/<group>/<version>`: a group version's URL path without its leading slash. */
export function groupVersionPath(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}
