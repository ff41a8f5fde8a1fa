import { contentHash } from '../discovery/content-hash.ts';
import { groupVersionPath, servedGroups } from '../discovery/served-groups.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { DEFAULT_INFO, groupVersionDocument } from './group-version-document.ts';
import type { OpenAPIDocument, OpenAPIInfo } from './openapi-document.ts';

/** `GET /openapi/v3`. */
export interface OpenAPIV3Index {
  readonly paths: Readonly<Record<string, { readonly serverRelativeURL: string }>>;
}

export interface ServedDocument {
  readonly document: OpenAPIDocument;
  /** The JSON to send, serialized once. */
  readonly body: string;
  /** Changes whenever body does; the index links to `?hash=<hash>`, so the body may be cached as immutable. */
  readonly hash: string;
}

export interface OpenAPIV3 {
  readonly index: OpenAPIV3Index;
  readonly indexBody: string;
  /** Keyed like the index (`api/v1`, `apis/<group>/<version>`): serve at `/openapi/v3/<key>`. */
  readonly documents: ReadonlyMap<string, ServedDocument>;
}

/** The OpenAPI v3 index and one document per served group version, core (`api/v1`) first. */
export function buildOpenAPIV3(
  resources: readonly ResourceInfo[],
  info: OpenAPIInfo = DEFAULT_INFO,
): OpenAPIV3 {
  const groups = servedGroups(resources).sort((a, b) => Number(a.name !== '') - Number(b.name !== ''));
  const documents = new Map<string, ServedDocument>();
  for (const group of groups) {
    for (const served of group.versions) {
      const document = groupVersionDocument(served.resources, info);
      const body = JSON.stringify(document);
      documents.set(groupVersionPath({ group: group.name, version: served.version }), {
        document,
        body,
        hash: contentHash(body),
      });
    }
  }
  const index: OpenAPIV3Index = {
    paths: Object.fromEntries(
      [...documents].map(([path, { hash }]) => [
        path,
        { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` },
      ]),
    ),
  };
  return { index, indexBody: JSON.stringify(index), documents };
}
