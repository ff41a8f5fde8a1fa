/** A request for a resource: `/api/v1/...` or `/apis/GROUP/VERSION/...`. */
export interface ResourcePath {
  readonly group: string;
  readonly version: string;
  /** Set for `/namespaces/NS/...` paths of namespaced resources. */
  readonly namespace: string | undefined;
  readonly plural: string;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

export type ApiPath =
  | { readonly kind: 'resource'; readonly path: ResourcePath }
  | { readonly kind: 'core-versions' }
  | { readonly kind: 'groups' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'resource-list'; readonly group: string; readonly version: string }
  | { readonly kind: 'other'; readonly path: string };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseApiPath(pathname: string): ApiPath {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  if (segments.some((s) => s === undefined)) return { kind: 'other', path: pathname };
  const parts = segments as string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'core-versions' };
    if (parts.length === 2) return { kind: 'resource-list', group: '', version: parts[1]! };
    return resourcePath('', parts[1]!, parts.slice(2), pathname);
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'groups' };
    if (parts.length === 2) return { kind: 'group', group: parts[1]! };
    if (parts.length === 3) return { kind: 'resource-list', group: parts[1]!, version: parts[2]! };
    return resourcePath(parts[1]!, parts[2]!, parts.slice(3), pathname);
  }
  return { kind: 'other', path: pathname };
}

function resourcePath(group: string, version: string, rest: string[], pathname: string): ApiPath {
  const make = (namespace: string | undefined, tail: string[]): ApiPath =>
    tail.length === 0 || tail.length > 3
      ? { kind: 'other', path: pathname }
      : {
          kind: 'resource',
          path: { group, version, namespace, plural: tail[0]!, name: tail[1], subresource: tail[2] },
        };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaceSubresource = group === '' && rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!);
    if (!namespaceSubresource) return make(rest[1], rest.slice(2));
  }
  return make(undefined, rest);
}

function decodeSegment(segment: string): string | undefined {
  try {
    const decoded = decodeURIComponent(segment);
    return decoded.includes('/') || decoded === '.' || decoded === '..' ? undefined : decoded;
  } catch {
    return undefined;
  }
}
