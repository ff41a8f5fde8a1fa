import { groupVersionPath } from '../discovery/served-groups.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import type { Operation, PathItem } from './openapi-document.ts';
import { PRETTY, pathParameter } from './operation-parameters.ts';
import { resourceOperations } from './resource-operations.ts';

/**
 * The paths of one resource, with an operation for each verb it serves: the collection and item (under
 * namespaces/{namespace} when namespaced), status and log, and the all-namespaces list. Watches are
 * `?watch=true` on the list paths; the deprecated /watch/ prefix is neither served nor advertised.
 */
export function resourcePaths(resource: ResourceInfo): Record<string, PathItem> {
  const { plural, namespaced } = resource;
  const has = (verb: string) => resource.verbs.includes(verb);
  const when = <M extends string>(condition: boolean, method: M, build: () => Operation) =>
    (condition ? { [method]: build() } : {}) as Partial<Record<M, Operation>>;
  const ops = resourceOperations(resource);

  const root = `/${groupVersionPath(resource)}`;
  const scoped = namespaced ? `${root}/namespaces/{namespace}/${plural}` : `${root}/${plural}`;
  const namespace = namespaced ? [pathParameter('namespace', 'The namespace of the objects.')] : [];
  const collection = [...namespace, PRETTY];
  const item = [pathParameter('name', `The name of the ${resource.kind}.`), ...namespace, PRETTY];

  const paths: Record<string, PathItem> = {
    [scoped]: {
      ...when(has('list'), 'get', () => ops.list(false)),
      ...when(has('create'), 'post', ops.create),
      ...when(has('deletecollection'), 'delete', ops.deleteCollection),
      parameters: collection,
    },
    [`${scoped}/{name}`]: {
      ...when(has('get'), 'get', () => ops.read('')),
      ...when(has('update'), 'put', () => ops.replace('')),
      ...when(has('patch'), 'patch', () => ops.patch('')),
      ...when(has('delete'), 'delete', ops.delete),
      parameters: item,
    },
  };
  if (resource.subresources.includes('status')) {
    paths[`${scoped}/{name}/status`] = {
      get: ops.read('Status'),
      put: ops.replace('Status'),
      patch: ops.patch('Status'),
      parameters: item,
    };
  }
  if (resource.subresources.includes('log')) {
    paths[`${scoped}/{name}/log`] = { get: ops.readLog(), parameters: item };
  }
  if (namespaced && has('list')) {
    paths[`${root}/${plural}`] = { get: ops.list(true), parameters: [PRETTY] };
  }
  return Object.fromEntries(Object.entries(paths).filter(([, path]) => Object.keys(path).length > 1));
}
