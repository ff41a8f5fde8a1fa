import type { JsonSchemaProps } from '../schema/json-schema.ts';

export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A Kubernetes JSONPath (printer-column dialect), e.g. `.status.conditions[?(@.type=="Ready")].status`. */
  readonly jsonPath: string;
  readonly description: string;
  /** 0 is shown by `kubectl get`; 1 only with `-o wide`. */
  readonly priority?: number;
  readonly format?: string;
}

/**
 * One served resource (a kind at one group/version), as discovery, OpenAPI, Tables, selectors and the
 * registry store see it. Our kinds and users' CRDs become one of these through the CRD path; built-in kinds
 * (Namespace, Event, Lease, CustomResourceDefinition, Pod) declare theirs directly.
 */
export interface ResourceInfo {
  /** '' for the core group (served under /api/v1). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly listKind: string;
  /** The URL segment: `networks`. */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** Discovery verbs of the main resource, sorted. */
  readonly verbs: readonly string[];
  /** Served subresources: `status` (get, patch, update) and, for pods, `log` (get). */
  readonly subresources: readonly ('status' | 'log')[];
  /** Table columns after Name; when empty, Tables show Name and Age. */
  readonly printerColumns: readonly TableColumn[];
  /** Field-selector labels beyond metadata.name and metadata.namespace, without a leading dot. */
  readonly selectableFields: readonly string[];
  /** The openAPIV3Schema of the whole object (as in a CRD); drives validation, pruning, defaults, OpenAPI. */
  readonly schema: JsonSchemaProps;
  readonly description: string;
}

export function apiVersionOf(resource: Pick<ResourceInfo, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `networks.networking.datumapis.com`, or `events` for the core group: how Status messages name a resource. */
export function qualifiedResource(resource: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;
