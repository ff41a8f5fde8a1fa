/**
 * Typed access to one resource over the Kubernetes REST API. Transport is ApiTransport: node:https with the
 * credentials and TLS material of a client-node 1.4.0 KubeConfig, rather than client-node's generated APIs,
 * which pick patch content types through middleware and buffer responses, so they cannot stream a watch.
 */
import type { Status } from '../api/status-error.ts';
import { ApiError } from './api-error.ts';
import type { ApiRequest, ApiTransport } from './api-transport.ts';
import type { ApiResource, KubeObject } from './kube-object.ts';

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface ListOptions extends RequestOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
}

export interface ListResult<T> {
  readonly items: T[];
  readonly resourceVersion: string;
  /** Present while more pages remain; pass it back with the same selectors. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export interface WriteOptions extends RequestOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
}

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export type Patch =
  /** RFC 7386 JSON merge patch: objects merge, null removes, arrays replace. */
  | { readonly type: 'merge'; readonly patch: Readonly<Record<string, unknown>> }
  /** RFC 6902 JSON patch; a `test` operation on metadata.resourceVersion makes it conditional. */
  | { readonly type: 'json'; readonly patch: readonly JsonPatchOperation[] }
  /** Server-side apply of a partial object owned by `fieldManager`; `force` takes fields from other managers. */
  | {
      readonly type: 'apply';
      readonly patch: KubeObject;
      readonly fieldManager: string;
      readonly force?: boolean;
    };

export interface PatchOptions extends WriteOptions {
  readonly subresource?: 'status';
}

export interface DeleteOptions extends RequestOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
}

export interface WatchOptions {
  /** Events after this version; absent or "0" starts with an ADDED event for every current object. */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** The server ends the watch after this long; the caller then resumes from the last version it saw. */
  readonly timeoutSeconds?: number;
}

export interface Bookmark {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly resourceVersion: string; readonly annotations?: Record<string, string> };
}

export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | { readonly type: 'BOOKMARK'; readonly object: Bookmark }
  | { readonly type: 'ERROR'; readonly object: Status };

const PATCH_CONTENT_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

const WATCH_EVENT_TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** get, list, create, update, status, patch, delete and watch for objects of one resource. */
export class ResourceClient<T extends KubeObject> {
  readonly resource: ApiResource;
  readonly #transport: ApiTransport;

  constructor(transport: ApiTransport, resource: ApiResource) {
    this.#transport = transport;
    this.resource = resource;
  }

  get apiVersion(): string {
    const { group, version } = this.resource;
    return group === '' ? version : `${group}/${version}`;
  }

  async get(namespace: string | undefined, name: string, options: RequestOptions = {}): Promise<T> {
    return this.#transport.json<T>({
      method: 'GET',
      path: this.#item(namespace, name),
      signal: options.signal,
    });
  }

  /** One page, or everything when no limit is given; `namespace` undefined lists across all namespaces. */
  async list(namespace: string | undefined, options: ListOptions = {}): Promise<ListResult<T>> {
    const answer = await this.#transport.json<{
      items?: T[] | null;
      metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
    }>({
      method: 'GET',
      path: this.#collection(namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
      },
      signal: options.signal,
    });
    const metadata = answer.metadata ?? {};
    // Lists of built-in kinds leave apiVersion and kind off their items; put them back so items stand alone.
    const items = (answer.items ?? []).map((item) =>
      item.apiVersion !== undefined && item.kind !== undefined
        ? item
        : { ...item, apiVersion: this.apiVersion, kind: this.resource.kind },
    );
    return {
      items,
      resourceVersion: metadata.resourceVersion ?? '',
      ...(metadata.continue === undefined || metadata.continue === '' ? {} : { continue: metadata.continue }),
      ...(metadata.remainingItemCount === undefined
        ? {}
        : { remainingItemCount: metadata.remainingItemCount }),
    };
  }

  /** POST into the object's namespace (metadata.namespace). */
  async create(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#transport.json<T>({
      method: 'POST',
      path: this.#collection(this.#namespaceOf(object)),
      query: writeQuery(options),
      body: object,
      signal: options.signal,
    });
  }

  /** PUT: replaces the object if metadata.resourceVersion is still current, else an ApiError with isConflict. */
  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#put(object, '', options);
  }

  /** PUT to the status subresource: only status changes, with the same resourceVersion precondition. */
  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#put(object, '/status', options);
  }

  async patch(
    namespace: string | undefined,
    name: string,
    patch: Patch,
    options: PatchOptions = {},
  ): Promise<T> {
    const subresource = options.subresource === undefined ? '' : `/${options.subresource}`;
    const apply = patch.type === 'apply';
    return this.#transport.json<T>({
      method: 'PATCH',
      path: this.#item(namespace, name) + subresource,
      query: {
        ...writeQuery(apply ? { ...options, fieldManager: patch.fieldManager } : options),
        force: apply && patch.force === true ? true : undefined,
      },
      body: patch.patch,
      contentType: PATCH_CONTENT_TYPES[patch.type],
      signal: options.signal,
    });
  }

  /**
   * The object as the server last saw it (still present, with deletionTimestamp, while finalizers remain), or
   * undefined when the server answered with a Status instead.
   */
  async delete(
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | undefined> {
    const answer = await this.#transport.json<T | Status>({
      method: 'DELETE',
      path: this.#item(namespace, name),
      query: { dryRun: options.dryRun === true ? 'All' : undefined },
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        ...(options.preconditions === undefined ? {} : { preconditions: options.preconditions }),
        ...(options.propagationPolicy === undefined ? {} : { propagationPolicy: options.propagationPolicy }),
        ...(options.gracePeriodSeconds === undefined
          ? {}
          : { gracePeriodSeconds: options.gracePeriodSeconds }),
      },
      signal: options.signal,
    });
    return answer.kind === 'Status' ? undefined : (answer as T);
  }

  /**
   * Streams events in order, waiting for each `onEvent` before reading on. Resolves when the server ends the
   * watch or `signal` aborts; rejects on an HTTP refusal (ApiError), a broken connection or a throwing
   * `onEvent`. ERROR events are delivered, not thrown: a 410 among them means re-list.
   */
  async watch(
    namespace: string | undefined,
    options: WatchOptions,
    onEvent: (event: WatchEvent<T>) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const request: ApiRequest = {
      method: 'GET',
      path: this.#collection(namespace),
      query: {
        watch: true,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: options.allowWatchBookmarks,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        timeoutSeconds: options.timeoutSeconds,
      },
      signal,
    };
    try {
      await this.#transport.lines(request, (line) => onEvent(parseWatchEvent<T>(line, request.path)));
    } catch (error) {
      if (signal.aborted && !(error instanceof ApiError)) return;
      throw error;
    }
  }

  async #put(object: T, subresource: '' | '/status', options: WriteOptions): Promise<T> {
    const name = object.metadata.name;
    if (name === undefined || name === '')
      throw new Error(`${this.#describe()}: an update needs metadata.name`);
    return this.#transport.json<T>({
      method: 'PUT',
      path: this.#item(this.#namespaceOf(object), name) + subresource,
      query: writeQuery(options),
      body: object,
      signal: options.signal,
    });
  }

  #namespaceOf(object: T): string | undefined {
    return this.resource.namespaced ? object.metadata.namespace : undefined;
  }

  #collection(namespace: string | undefined): string {
    const { group, version, plural, namespaced } = this.resource;
    const root = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    return namespaced && namespace !== undefined
      ? `${root}/namespaces/${encodeURIComponent(namespace)}/${plural}`
      : `${root}/${plural}`;
  }

  #item(namespace: string | undefined, name: string): string {
    if (this.resource.namespaced && (namespace === undefined || namespace === ''))
      throw new Error(`${this.#describe()} "${name}": a namespaced resource needs a namespace`);
    if (name === '') throw new Error(`${this.#describe()}: the name is empty`);
    return `${this.#collection(namespace)}/${encodeURIComponent(name)}`;
  }

  #describe(): string {
    const { group, plural } = this.resource;
    return group === '' ? plural : `${plural}.${group}`;
  }
}

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun === true ? 'All' : undefined };
}

function parseWatchEvent<T>(line: string, path: string): WatchEvent<T> {
  let parsed: { type?: unknown; object?: unknown };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch (error) {
    throw new Error(`watch ${path}: a line is not JSON: ${line.slice(0, 200)}`, { cause: error });
  }
  if (
    typeof parsed.type !== 'string' ||
    !WATCH_EVENT_TYPES.has(parsed.type) ||
    typeof parsed.object !== 'object' ||
    parsed.object === null
  ) {
    throw new Error(`watch ${path}: not a watch event: ${line.slice(0, 200)}`);
  }
  return parsed as WatchEvent<T>;
}
