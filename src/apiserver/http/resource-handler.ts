import { StatusError } from '../../api/status-error.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { type ApiObject, objectBytes } from '../registry/object-codec.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import type { WriteOptions } from '../registry/request-options.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { badRequest, methodNotAllowed, shownValue } from '../status-errors.ts';
import { buildTable } from '../table/table.ts';
import type { ResourcePath } from './api-path.ts';
import { negotiateRendering, type ObjectRendering } from './negotiation.ts';
import { decodeProtobufObject } from './protobuf-body.ts';
import {
  deleteOptions,
  dryRun,
  fieldManager,
  fieldValidation,
  flag,
  listQuery,
  watchQuery,
} from './query.ts';
import { parseBody, readBody, type ServerRequest } from './request-body.ts';
import { type ServerReply, sendBytes, sendJson } from './responses.ts';
import { streamWatch } from './watch-stream.ts';

export interface HandlerContext {
  readonly registry: ResourceRegistry;
  readonly now: () => number;
}

const PATCH_TYPES = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+json': 'apply',
} as const;

const ACCEPTED_PATCHES = Object.keys(PATCH_TYPES).join(', ');

function notServed(path: ResourcePath): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {
    group: path.group,
    kind: path.plural,
    ...(path.name === undefined ? {} : { name: path.name }),
  });
}

/** Every kind's REST endpoints: one generic handler over the registry store (no per-kind handlers). */
export async function handleResource(
  context: HandlerContext,
  path: ResourcePath,
  req: ServerRequest,
  res: ServerReply,
  url: URL,
): Promise<void> {
  const store = context.registry.lookup(path.group, path.version, path.plural);
  if (store === undefined) throw notServed(path);
  const resource = store.resource;
  if (!resource.namespaced && path.namespace !== undefined) throw notServed(path);
  if (path.subresource !== undefined && !(path.subresource === 'status' && store.hasStatus))
    throw notServed(path);
  const method = req.method ?? 'GET';
  const verb = verbOf(method, path, url.searchParams);
  if (!resource.verbs.includes(verb)) throw methodNotAllowed(method);
  if (resource.namespaced && path.namespace === undefined && path.name !== undefined) throw notServed(path);
  if (resource.namespaced && path.namespace === undefined && verb !== 'list' && verb !== 'watch') {
    throw methodNotAllowed(method);
  }
  const namespace = resource.namespaced ? path.namespace : undefined;
  const name = path.name;
  const query = url.searchParams;
  const rendering = negotiateRendering(req.headers.accept);
  if (rendering === undefined) {
    throw new StatusError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io',
    );
  }
  const subresource = path.subresource === 'status' ? 'status' : undefined;

  switch (verb) {
    case 'get': {
      const object = await store.get(namespace, name!);
      sendObject(context, store, res, 200, object, rendering, query);
      return;
    }
    case 'list':
      await sendList(context, store, namespace, res, rendering, query);
      return;
    case 'watch':
      await streamWatch(context, store, namespace, res, rendering, watchQuery(query));
      return;
    case 'create': {
      const options = writeOptions(req, query);
      const { value, duplicates } = await objectBody(req);
      const object = await store.create(namespace, value, { ...options, duplicateFields: duplicates });
      sendObject(context, store, res, 201, object, rendering, query, options.warnings);
      return;
    }
    case 'update': {
      const options = writeOptions(req, query);
      const { value, duplicates } = await objectBody(req);
      const { object, created } = await store.update(
        namespace,
        name!,
        value,
        { ...options, duplicateFields: duplicates },
        subresource,
      );
      sendObject(context, store, res, created ? 201 : 200, object, rendering, query, options.warnings);
      return;
    }
    case 'patch': {
      const { object, created, warnings } = await patch(store, namespace, name!, req, query, subresource);
      sendObject(context, store, res, created ? 201 : 200, object, rendering, query, warnings);
      return;
    }
    case 'delete': {
      const body = await optionalBody(req);
      const result = await store.delete(namespace, name!, deleteOptions(body, query));
      if (result.removed) {
        sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: {
            name: name!,
            group: resource.group,
            kind: resource.plural,
            uid: result.object.metadata.uid,
          },
        });
      } else {
        sendObject(context, store, res, 200, result.object, rendering, query);
      }
      return;
    }
    case 'deletecollection': {
      const body = await optionalBody(req);
      const options = deleteOptions(body, query);
      const listed = await store.list(namespace, listQuery(query));
      for (const item of listed.items) {
        try {
          await store.delete(namespace ?? item.metadata.namespace, item.metadata.name ?? '', options);
        } catch (error) {
          if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
        }
      }
      sendJson(res, 200, { ...listEnvelope(store, listed.resourceVersion), items: listed.items });
      return;
    }
    default:
      throw methodNotAllowed(method);
  }
}

function verbOf(method: string, path: ResourcePath, query: URLSearchParams): string {
  const item = path.name !== undefined;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (item) return 'get';
      return flag(query, 'watch') ? 'watch' : 'list';
    case 'POST':
      return item ? 'unsupported' : 'create';
    case 'PUT':
      return item ? 'update' : 'unsupported';
    case 'PATCH':
      return item ? 'patch' : 'unsupported';
    case 'DELETE':
      return item ? 'delete' : 'deletecollection';
    default:
      return 'unsupported';
  }
}

function writeOptions(req: ServerRequest, query: URLSearchParams): WriteOptions {
  return {
    dryRun: dryRun(query),
    fieldManager: fieldManager(query, req.headers['user-agent']),
    fieldValidation: fieldValidation(query),
    warnings: [],
  };
}

async function objectBody(req: ServerRequest): Promise<{ value: ApiObject; duplicates: readonly string[] }> {
  const type = mediaType(req);
  if (type === 'application/vnd.kubernetes.protobuf') {
    return { value: decodeProtobufObject(await readBody(req)), duplicates: [] };
  }
  if (type !== 'application/json' && type !== 'application/yaml' && type !== '') {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  const parsed = parseBody(await readBody(req), type === 'application/yaml');
  return { value: asObject(parsed.value), duplicates: parsed.duplicates };
}

function asObject(value: unknown): ApiObject {
  if (!isJsonObject(value)) throw badRequest('the request body must be a JSON object');
  const metadata = value.metadata ?? {};
  if (!isJsonObject(metadata)) throw badRequest('metadata: Invalid value: must be an object');
  return { ...value, metadata } as ApiObject;
}

async function optionalBody(req: ServerRequest): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  return parseBody(body, false).value;
}

function mediaType(req: ServerRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

async function patch(
  store: RegistryStore,
  namespace: string | undefined,
  name: string,
  req: ServerRequest,
  query: URLSearchParams,
  subresource: 'status' | undefined,
): Promise<{ object: ApiObject; created: boolean; warnings: string[] }> {
  const type = PATCH_TYPES[mediaType(req) as keyof typeof PATCH_TYPES];
  if (type === undefined) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${ACCEPTED_PATCHES}`,
    );
  }
  const options = writeOptions(req, query);
  const parsed = parseBody(await readBody(req), type === 'apply');
  const patchBody = parsed.value;
  const force = flag(query, 'force');
  if (type !== 'apply' && query.has('force'))
    throw badRequest('force: Forbidden: may not be specified for non-apply patch');
  if (type === 'apply' && query.get('fieldManager') === null) {
    throw badRequest('PATCH requests with apply patch type require a fieldManager');
  }
  const write = { ...options, duplicateFields: parsed.duplicates, applied: type === 'apply' };
  const { object, created } = await store.guaranteedUpdate(
    namespace,
    name,
    write,
    subresource,
    (current) => {
      switch (type) {
        case 'merge':
          if (!isJsonObject(patchBody)) throw badRequest('a merge patch must be a JSON object');
          return asObject(applyMergePatch(current, patchBody));
        case 'json': {
          if (!Array.isArray(patchBody)) throw badRequest('a JSON patch must be an array of operations');
          const result = applyJsonPatch(current, patchBody);
          if (!result.ok) {
            const code =
              result.reason === 'BadRequest' ? 400 : result.reason === 'RequestEntityTooLarge' ? 413 : 422;
            throw new StatusError(code, result.reason, result.message);
          }
          return asObject(result.value);
        }
        case 'apply': {
          const config = asObject(patchBody);
          checkApplyIdentity(store, config, name, namespace);
          return store.fields.apply(current, config, options.fieldManager, force, subresource);
        }
      }
    },
    type === 'apply' && subresource === undefined,
  );
  return { object, created, warnings: options.warnings };
}

function checkApplyIdentity(
  store: RegistryStore,
  config: ApiObject,
  name: string,
  namespace: string | undefined,
): void {
  if (config.apiVersion !== apiVersionOf(store.resource) || config.kind !== store.resource.kind) {
    throw badRequest(
      `the apply configuration must name apiVersion ${apiVersionOf(store.resource)} and kind ${store.resource.kind}`,
    );
  }
  if (config.metadata.name !== undefined && config.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${shownValue(config.metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (
    namespace !== undefined &&
    config.metadata.namespace !== undefined &&
    config.metadata.namespace !== namespace
  ) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function sendObject(
  context: HandlerContext,
  store: RegistryStore,
  res: ServerReply,
  code: number,
  object: ApiObject,
  rendering: ObjectRendering,
  query: URLSearchParams,
  warnings: readonly string[] = [],
): void {
  if (rendering.as === 'table') {
    sendJson(
      res,
      code,
      table(context, store, [object], rendering, query, object.metadata.resourceVersion ?? ''),
      warnings,
    );
  } else {
    sendJson(res, code, object, warnings);
  }
}

export function table(
  context: HandlerContext,
  store: RegistryStore,
  objects: readonly ApiObject[],
  rendering: { readonly version: 'v1' | 'v1beta1' },
  query: URLSearchParams,
  resourceVersion: string,
  extra: { continue?: string; remainingItemCount?: number; columnDefinitions?: boolean } = {},
): unknown {
  const includeObject = query.get('includeObject');
  if (
    includeObject !== null &&
    includeObject !== 'None' &&
    includeObject !== 'Metadata' &&
    includeObject !== 'Object'
  ) {
    throw badRequest(
      `includeObject: Unsupported value: ${JSON.stringify(includeObject)}: supported values: "None", "Metadata", "Object"`,
    );
  }
  const built = buildTable({
    resource: store.resource,
    objects,
    now: context.now(),
    includeObject: (includeObject ?? 'Metadata') as 'None' | 'Metadata' | 'Object',
    resourceVersion,
    ...(extra.continue === undefined ? {} : { continue: extra.continue }),
    ...(extra.remainingItemCount === undefined ? {} : { remainingItemCount: extra.remainingItemCount }),
    columnDefinitions: extra.columnDefinitions ?? true,
  }) as Record<string, unknown>;
  if (rendering.version === 'v1') return built;
  const rows = (built.rows as { object?: { apiVersion?: string } | null }[] | undefined)?.map((row) =>
    row.object?.apiVersion === 'meta.k8s.io/v1'
      ? { ...row, object: { ...row.object, apiVersion: 'meta.k8s.io/v1beta1' } }
      : row,
  );
  return { ...built, apiVersion: 'meta.k8s.io/v1beta1', rows };
}

function listEnvelope(
  store: RegistryStore,
  resourceVersion: string,
  more: { continue?: string; remainingItemCount?: number } = {},
) {
  return {
    kind: store.resource.listKind,
    apiVersion: apiVersionOf(store.resource),
    metadata: {
      resourceVersion,
      ...(more.continue === undefined ? {} : { continue: more.continue }),
      ...(more.remainingItemCount === undefined ? {} : { remainingItemCount: more.remainingItemCount }),
    },
  };
}

async function sendList(
  context: HandlerContext,
  store: RegistryStore,
  namespace: string | undefined,
  res: ServerReply,
  rendering: ObjectRendering,
  query: URLSearchParams,
): Promise<void> {
  const options = listQuery(query);
  if (rendering.as === 'object' && store.isPlainList(options)) {
    const page = await store.listRaw(namespace, options);
    const head = JSON.stringify(listEnvelope(store, page.resourceVersion, page)).slice(0, -1);
    const parts: Uint8Array[] = [Buffer.from(`${head},"items":[`)];
    page.items.forEach((kv, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(objectBytes(kv, apiVersionOf(store.resource)));
    });
    parts.push(CLOSE);
    sendBytes(res, 200, Buffer.concat(parts), 'application/json');
    return;
  }
  const listed = await store.list(namespace, options);
  if (rendering.as === 'table') {
    sendJson(res, 200, table(context, store, listed.items, rendering, query, listed.resourceVersion, listed));
    return;
  }
  sendJson(res, 200, { ...listEnvelope(store, listed.resourceVersion, listed), items: listed.items });
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');
