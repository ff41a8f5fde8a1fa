import type { ResourceInfo } from '../registry/resource-info.ts';

/** `NetworkingDatumapisComV1alpha1`, or `CoreV1`: what the real server puts after an operation's verb. */
export function operationIdGroupVersion(resource: Pick<ResourceInfo, 'group' | 'version'>): string {
  return camel(groupWord(resource.group), true) + camel(resource.version, true);
}

/** `networkingDatumapisCom_v1alpha1`, or `core_v1`: the tag of a group version's operations. */
export function operationTag(resource: Pick<ResourceInfo, 'group' | 'version'>): string {
  return `${camel(groupWord(resource.group), false)}_${camel(resource.version, false)}`;
}

function groupWord(group: string): string {
  return group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
}

/** Drops characters that cannot appear in an identifier and capitalises the letter after each one. */
function camel(text: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  for (const char of text) {
    const letter = /\p{L}|_/u.test(char);
    if (letter || (out !== '' && /\d/.test(char))) {
      out += capitalize ? char.toUpperCase() : char;
      capitalize = false;
    } else {
      capitalize = true;
    }
  }
  return out;
}
