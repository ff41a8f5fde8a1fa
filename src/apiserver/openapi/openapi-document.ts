import type { GroupVersionKind } from '../discovery/aggregated-discovery.ts';

/** A schema object as plain JSON: CRD structural schemas and Kubernetes' vendor extensions pass through. */
export type Schema = { readonly [keyword: string]: unknown };

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly description: string;
  readonly required?: boolean;
  readonly schema: Schema;
}

export interface MediaType {
  readonly schema: Schema;
}

export interface Response {
  readonly description: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}

export interface RequestBody {
  readonly content: Readonly<Record<string, MediaType>>;
  readonly required?: boolean;
}

/** The actions the Kubernetes API server reports in x-kubernetes-action. */
export type KubernetesAction =
  | 'get'
  | 'list'
  | 'post'
  | 'put'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'watch'
  | 'watchlist';

export interface Operation {
  readonly tags: readonly string[];
  readonly description: string;
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: RequestBody;
  readonly responses: Readonly<Record<string, Response>>;
  readonly 'x-kubernetes-action': KubernetesAction;
  /** An object here; on schemas the same extension is an array. */
  readonly 'x-kubernetes-group-version-kind': GroupVersionKind;
}

export interface PathItem {
  readonly get?: Operation;
  readonly put?: Operation;
  readonly post?: Operation;
  readonly delete?: Operation;
  readonly patch?: Operation;
  readonly parameters?: readonly Parameter[];
}

export interface OpenAPIInfo {
  readonly title: string;
  readonly version: string;
}

/** An OpenAPI 3.0 document for one group version, as served at `/openapi/v3/apis/<group>/<version>`. */
export interface OpenAPIDocument {
  readonly openapi: '3.0.0';
  readonly info: OpenAPIInfo;
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}
