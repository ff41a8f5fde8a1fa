import type { ResourceInfo } from '../registry/resource-info.ts';
import { definitionName, schemaRef } from './definition-name.ts';
import { listDefinitionName } from './kind-schemas.ts';
import { DELETE_OPTIONS, PATCH, STATUS } from './meta-schemas.ts';
import type {
  KubernetesAction,
  Operation,
  Parameter,
  RequestBody,
  Response,
  Schema,
} from './openapi-document.ts';
import { operationIdGroupVersion, operationTag } from './operation-id.ts';
import {
  DELETE_PARAMETERS,
  LIST_PARAMETERS,
  LOG_PARAMETERS,
  PATCH_PARAMETERS,
  WRITE_PARAMETERS,
} from './operation-parameters.ts';

/**
 * Never application/strategic-merge-patch+json: kubectl 1.29+ would send strategic merge patches on
 * re-apply if it were listed, and the server answers those with 415, as for every custom resource.
 */
export const PATCH_CONTENT_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export type Subresource = '' | 'Status';

/** The operations of one resource, named and tagged as the real API server names them. */
export interface ResourceOperations {
  list(allNamespaces: boolean): Operation;
  create(): Operation;
  deleteCollection(): Operation;
  read(subresource: Subresource): Operation;
  replace(subresource: Subresource): Operation;
  patch(subresource: Subresource): Operation;
  delete(): Operation;
  readLog(): Operation;
}

interface OperationParts {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: RequestBody;
  readonly responses: Readonly<Record<string, Response>>;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const respond = (description: string, schema: Schema): Response => ({ description, content: json(schema) });

export function resourceOperations(resource: ResourceInfo): ResourceOperations {
  const { kind } = resource;
  const scope = resource.namespaced ? 'Namespaced' : '';
  const object = schemaRef(definitionName(resource));
  const list = schemaRef(listDefinitionName(resource));
  const status = schemaRef(STATUS);
  const objectBody: RequestBody = { content: json(object), required: true };
  const deleteBody: RequestBody = { content: json(schemaRef(DELETE_OPTIONS)) };
  const patchBody: RequestBody = {
    content: Object.fromEntries(PATCH_CONTENT_TYPES.map((type) => [type, { schema: schemaRef(PATCH) }])),
    required: true,
  };
  const written = { '200': respond('OK', object), '201': respond('Created', object) };

  const gvPart = operationIdGroupVersion(resource);
  const tags = [operationTag(resource)];
  const gvk = { group: resource.group, version: resource.version, kind };
  const operation = (
    verb: string,
    idSuffix: string,
    action: KubernetesAction,
    description: string,
    parts: OperationParts,
  ): Operation => ({
    tags,
    description,
    operationId: `${verb}${gvPart}${idSuffix}`,
    ...parts,
    responses: { ...parts.responses, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const of = (subresource: Subresource) => (subresource === '' ? '' : `${subresource.toLowerCase()} of `);

  return {
    list: (allNamespaces) =>
      operation(
        'list',
        allNamespaces ? `${kind}ForAllNamespaces` : `${scope}${kind}`,
        'list',
        `list or watch objects of kind ${kind}`,
        { parameters: LIST_PARAMETERS, responses: { '200': respond('OK', list) } },
      ),
    create: () =>
      operation('create', `${scope}${kind}`, 'post', `create ${article(kind)} ${kind}`, {
        parameters: WRITE_PARAMETERS,
        requestBody: objectBody,
        responses: { ...written, '202': respond('Accepted', object) },
      }),
    deleteCollection: () =>
      operation(
        'delete',
        `Collection${scope}${kind}`,
        'deletecollection',
        `delete a collection of ${kind} objects`,
        {
          parameters: [...LIST_PARAMETERS, ...DELETE_PARAMETERS],
          requestBody: deleteBody,
          responses: { '200': respond('OK', status) },
        },
      ),
    read: (subresource) =>
      operation(
        'read',
        `${scope}${kind}${subresource}`,
        'get',
        `read ${of(subresource)}the specified ${kind}`,
        {
          responses: { '200': respond('OK', object) },
        },
      ),
    replace: (subresource) =>
      operation(
        'replace',
        `${scope}${kind}${subresource}`,
        'put',
        `replace ${of(subresource)}the specified ${kind}`,
        {
          parameters: WRITE_PARAMETERS,
          requestBody: objectBody,
          responses: written,
        },
      ),
    patch: (subresource) =>
      operation(
        'patch',
        `${scope}${kind}${subresource}`,
        'patch',
        `partially update ${of(subresource)}the specified ${kind}`,
        { parameters: PATCH_PARAMETERS, requestBody: patchBody, responses: written },
      ),
    delete: () =>
      operation('delete', `${scope}${kind}`, 'delete', `delete ${article(kind)} ${kind}`, {
        parameters: DELETE_PARAMETERS,
        requestBody: deleteBody,
        responses: { '200': respond('OK', status), '202': respond('Accepted', status) },
      }),
    readLog: () =>
      operation('read', `${scope}${kind}Log`, 'get', `read the log of the specified ${kind}`, {
        parameters: LOG_PARAMETERS,
        responses: {
          '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      }),
  };
}

function article(noun: string): string {
  return /^[AEIOU]/.test(noun) ? 'an' : 'a';
}
