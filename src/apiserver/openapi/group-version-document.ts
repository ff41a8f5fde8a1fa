import type { ResourceInfo } from '../registry/resource-info.ts';
import { definitionName } from './definition-name.ts';
import { kindSchema, listDefinitionName, listSchema } from './kind-schemas.ts';
import { META_SCHEMAS } from './meta-schemas.ts';
import type { OpenAPIDocument, OpenAPIInfo, PathItem, Schema } from './openapi-document.ts';
import { resourcePaths } from './resource-paths.ts';

export const DEFAULT_INFO: OpenAPIInfo = { title: 'Kubernetes', version: 'unversioned' };

/**
 * The OpenAPI v3 document of one group version: every resource's paths, its kind and list schemas, and
 * the meta/v1 definitions they refer to. `resources` must all belong to that group version.
 */
export function groupVersionDocument(
  resources: readonly ResourceInfo[],
  info: OpenAPIInfo = DEFAULT_INFO,
): OpenAPIDocument {
  const paths: Record<string, PathItem> = {};
  const schemas: Record<string, Schema> = {};
  for (const resource of resources) {
    Object.assign(paths, resourcePaths(resource));
    schemas[definitionName(resource)] = kindSchema(resource);
    schemas[listDefinitionName(resource)] = listSchema(resource);
  }
  return { openapi: '3.0.0', info, paths, components: { schemas: { ...schemas, ...META_SCHEMAS } } };
}
