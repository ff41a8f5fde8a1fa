import type { StatusError } from '../../api/status-error.ts';
import type { ResourcePath } from '../http/api-path.ts';
import { forbidden } from '../status-errors.ts';
import type { UserInfo } from './token-file.ts';

/** Members of this group may do anything, as in Kubernetes. */
export const MASTERS_GROUP = 'system:masters';
/** A tenant of namespace NS carries the group `nso:tenant:NS`; it may act only inside NS. */
export const TENANT_GROUP_PREFIX = 'nso:tenant:';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** What a resource request asks to do, read from its method, path and query alone. */
export interface ResourceAttributes {
  readonly verb: Verb;
  readonly path: ResourcePath;
}

export function tenantGroup(namespace: string): string {
  return `${TENANT_GROUP_PREFIX}${namespace}`;
}

/** The Kubernetes verb of a request: GET is get, list or watch; DELETE without a name is deletecollection. */
export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD': {
      const watch = query.get('watch');
      if (watch === 'true' || watch === '1') return 'watch';
      return path.name === undefined ? 'list' : 'get';
    }
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name === undefined ? 'deletecollection' : 'delete';
    default:
      return undefined;
  }
}

/**
 * Decides from the request's attributes alone, before anything is read from storage, so that a refusal says
 * the same whether or not the object exists. Masters may do anything; a tenant may do anything inside its
 * namespaces (and read those namespaces themselves); every authenticated user may read discovery, OpenAPI
 * and version paths, which the caller does not ask about.
 */
export function authorize(user: UserInfo, request: ResourceAttributes): StatusError | undefined {
  if (user.groups.includes(MASTERS_GROUP)) return undefined;
  const namespaces = tenantNamespaces(user);
  const { verb, path } = request;
  if (path.namespace !== undefined && namespaces.has(path.namespace)) return undefined;
  const ownNamespace =
    path.group === '' &&
    path.plural === 'namespaces' &&
    path.namespace === undefined &&
    path.name !== undefined &&
    path.subresource === undefined &&
    namespaces.has(path.name) &&
    verb === 'get';
  if (ownNamespace) return undefined;
  return refusal(user, request);
}

function tenantNamespaces(user: UserInfo): Set<string> {
  const namespaces = new Set<string>();
  for (const group of user.groups) {
    if (group.startsWith(TENANT_GROUP_PREFIX)) namespaces.add(group.slice(TENANT_GROUP_PREFIX.length));
  }
  return namespaces;
}

/** Kubernetes' wording: `networks.networking.datumapis.com "x" is forbidden: User "alice" cannot get …`. */
function refusal(user: UserInfo, { verb, path }: ResourceAttributes): StatusError {
  const resource =
    path.subresource === undefined ? `"${path.plural}"` : `"${path.plural}/${path.subresource}"`;
  const scope =
    path.namespace === undefined ? 'at the cluster scope' : `in the namespace "${path.namespace}"`;
  return forbidden(
    { group: path.group, plural: path.plural },
    path.name ?? '',
    `User "${user.name}" cannot ${verb} resource ${resource} in API group "${path.group}" ${scope}`,
  );
}
