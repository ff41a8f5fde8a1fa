import { randomUUID } from 'node:crypto';
import { StatusError } from '../../api/status-error.ts';
import type { KeyValue, Storage, WatchEvent } from '../../storage/storage.ts';
import { isStorageError, StorageError } from '../../storage/storage.ts';
import { resolveOwnerReferences } from '../admission/owner-references.ts';
import type { ResourceSchema } from '../admission/resource-schema.ts';
import {
  type FieldError,
  forbidden as forbiddenField,
  invalid as invalidField,
  OMIT_VALUE,
} from '../schema/field-error.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { deepEqual, MAX_JSON_DEPTH, nestsDeeperThan } from '../schema/json-value.ts';
import { unknownFieldMessage } from '../schema/prune.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  expired,
  fromStorageError,
  invalid,
  MODIFIED,
  notFound,
  shownValue,
} from '../status-errors.ts';
import { type FieldManagement, rfc3339 } from './field-management.ts';
import { listPrefix, objectKey } from './keys.ts';
import { type ApiObject, decodeObject, encodeObject, type OwnerReference } from './object-codec.ts';
import type { DeleteOptions, ListQuery, WatchQuery, WriteOptions } from './request-options.ts';
import { apiVersionOf, type ResourceInfo } from './resource-info.ts';
import { compileSelection, type Selection } from './selection.ts';
import type { Strategy } from './strategy.ts';

export interface StoreContext {
  readonly storage: Storage;
  readonly now: () => number;
  /** NotFound when the namespace is missing, Forbidden while it terminates. */
  readonly admitNamespace: (namespace: string) => Promise<void>;
  /** The uid of an owner named without one, or undefined when there is no such owner. */
  readonly findOwnerUid: (
    namespace: string | undefined,
    owner: { apiVersion: string; kind: string; name: string },
  ) => Promise<string | undefined>;
}

export interface ListResult {
  readonly items: ApiObject[];
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export type WatchOutput =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: ApiObject }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string; readonly initialEventsEnd?: boolean }
  | { readonly type: 'ERROR'; readonly error: StatusError };

export type DeleteResult =
  | { readonly removed: true; readonly object: ApiObject }
  | { readonly removed: false; readonly object: ApiObject };

/** `finalize` is the Namespace's internal endpoint for its spec.finalizers. */
export type Subresource = 'status' | 'finalize' | undefined;

type Mutation = (current: ApiObject | undefined) => ApiObject | Promise<ApiObject>;

const MAX_GENERATE_ATTEMPTS = 8;
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The generic registry store (kube-apiserver's genericregistry.Store): every kind's get, list, watch, create,
 * update, patch and delete over Storage, with admission (decode, default, validate), optimistic concurrency,
 * generation, finalizers and managed fields. Kinds differ only by ResourceInfo, schema and Strategy.
 */
export class RegistryStore {
  constructor(
    readonly resource: ResourceInfo,
    readonly schema: ResourceSchema,
    readonly strategy: Strategy,
    readonly fields: FieldManagement,
    private readonly context: StoreContext,
  ) {}

  get hasStatus(): boolean {
    return this.resource.subresources.includes('status');
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.resource, namespace, name);
  }

  async get(namespace: string | undefined, name: string): Promise<ApiObject> {
    const kv = await this.read(namespace, name);
    if (kv === undefined) throw notFound(this.resource, name);
    return this.present(decodeObject(kv));
  }

  async list(namespace: string | undefined, query: ListQuery): Promise<ListResult> {
    const selection = this.selection(query);
    const prefix = listPrefix(this.resource, namespace);
    const revision = await this.listRevision(query);
    const items: ApiObject[] = [];
    let token = query.continue;
    let listRevision = revision;
    try {
      for (;;) {
        const page = await this.context.storage.list(prefix, {
          ...(query.limit === undefined ? {} : { limit: query.limit - items.length }),
          ...(token === undefined ? (revision === undefined ? {} : { revision }) : { continue: token }),
        });
        listRevision = page.revision;
        for (const kv of page.items) {
          const object = decodeObject(kv);
          if (selection.matches(object)) items.push(this.present(object));
        }
        token = page.continue;
        const full = query.limit !== undefined && items.length >= query.limit;
        if (token === undefined || full) {
          return {
            items,
            resourceVersion: String(listRevision),
            ...(token === undefined ? {} : { continue: token }),
            ...(token !== undefined && selection.everything ? { remainingItemCount: page.remaining } : {}),
          };
        }
      }
    } catch (error) {
      throw this.storageError(error, '');
    }
  }

  /** Raw stored values for a list without selectors, so large lists need not be parsed. */
  async listRaw(
    namespace: string | undefined,
    query: ListQuery,
  ): Promise<{ items: KeyValue[] } & Omit<ListResult, 'items'>> {
    const revision = await this.listRevision(query);
    try {
      const page = await this.context.storage.list(listPrefix(this.resource, namespace), {
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(query.continue === undefined
          ? revision === undefined
            ? {}
            : { revision }
          : { continue: query.continue }),
      });
      return {
        items: [...page.items],
        resourceVersion: String(page.revision),
        ...(page.continue === undefined
          ? {}
          : { continue: page.continue, remainingItemCount: page.remaining }),
      };
    } catch (error) {
      throw this.storageError(error, '');
    }
  }

  isPlainList(query: ListQuery): boolean {
    return this.selection(query).everything;
  }

  /** Refuses a bad selector or resourceVersion before a watch's stream begins (then it could only be an ERROR event). */
  checkWatch(query: WatchQuery): void {
    this.selection(query);
    const rv = query.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== '0') parseResourceVersion(rv);
  }

  async *watch(
    namespace: string | undefined,
    query: WatchQuery,
    signal: AbortSignal,
  ): AsyncGenerator<WatchOutput> {
    const selection = this.selection(query);
    const prefix = listPrefix(this.resource, namespace);
    let from: number;
    const rv = query.resourceVersion;
    const initial = query.sendInitialEvents ?? (rv === undefined || rv === '' || rv === '0');
    if (initial) {
      const listed = await this.list(namespace, {
        ...(query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector }),
        ...(query.fieldSelector === undefined ? {} : { fieldSelector: query.fieldSelector }),
      });
      for (const object of listed.items) yield { type: 'ADDED', object };
      from = Number(listed.resourceVersion);
      if (query.sendInitialEvents === true && query.allowWatchBookmarks) {
        yield { type: 'BOOKMARK', resourceVersion: listed.resourceVersion, initialEventsEnd: true };
      }
    } else {
      from = parseResourceVersion(rv);
    }
    try {
      for await (const event of this.context.storage.watch(prefix, from, signal)) {
        const output = this.watchOutput(event, selection);
        if (output !== undefined) yield output;
      }
    } catch (error) {
      if (signal.aborted) return;
      if (isStorageError(error, 'Compacted')) {
        yield {
          type: 'ERROR',
          error: expired(`too old resource version: ${from} (${error.compactedRevision ?? 0})`),
        };
        return;
      }
      throw this.storageError(error, '');
    }
  }

  async create(namespace: string | undefined, body: ApiObject, options: WriteOptions): Promise<ApiObject> {
    this.checkIdentity(body, namespace, undefined);
    if (namespace !== undefined) await this.context.admitNamespace(namespace);
    const generate = (body.metadata.name ?? '') === '' && (body.metadata.generateName ?? '') !== '';
    for (let attempt = 0; ; attempt++) {
      const candidate = generate ? withGeneratedName(body) : body;
      const object = await this.admitCreate(candidate, namespace, options);
      const name = object.metadata.name ?? '';
      if (options.dryRun) {
        const existing = await this.read(namespace, name);
        if (existing !== undefined) throw alreadyExists(this.resource, name);
        return this.present(object);
      }
      try {
        const kv = await this.context.storage.create(this.key(namespace, name), encodeObject(object));
        return this.present(decodeObject(kv));
      } catch (error) {
        if (generate && isStorageError(error, 'KeyExists') && attempt < MAX_GENERATE_ATTEMPTS) continue;
        throw this.storageError(error, name);
      }
    }
  }

  /** PUT: replace the object (or, with `allowCreate`, create it); the body's resourceVersion is a precondition. */
  async update(
    namespace: string | undefined,
    name: string,
    body: ApiObject,
    options: WriteOptions,
    subresource: Subresource,
  ): Promise<{ object: ApiObject; created: boolean }> {
    this.checkIdentity(body, namespace, name);
    const expected = body.metadata.resourceVersion;
    if (expected === undefined || expected === '') {
      if (subresource === undefined && this.strategy.allowCreateOnUpdate === true) {
        const existing = await this.read(namespace, name);
        if (existing === undefined)
          return { object: await this.create(namespace, body, options), created: true };
      }
      throw invalid(this.resource, name, [
        invalidField('metadata.resourceVersion', 0, 'must be specified for an update'),
      ]);
    }
    return this.guaranteedUpdate(namespace, name, options, subresource, () => body);
  }

  /**
   * Read-modify-write with retries, as GuaranteedUpdate: `mutate` sees the latest object and returns the
   * desired one; a resourceVersion in the result is a precondition, and a storage conflict retries only
   * when the caller gave none. `allowCreate` passes undefined to `mutate` for a missing object.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    options: WriteOptions,
    subresource: Subresource,
    mutate: Mutation,
    allowCreate = false,
  ): Promise<{ object: ApiObject; created: boolean }> {
    for (;;) {
      const kv = await this.read(namespace, name);
      const current = kv === undefined ? undefined : this.present(decodeObject(kv));
      if (current === undefined && !allowCreate) throw notFound(this.resource, name);
      const desired = await mutate(current === undefined ? undefined : structuredClone(current));
      if (current === undefined || kv === undefined) {
        try {
          return { object: await this.create(namespace, desired, options), created: true };
        } catch (error) {
          // Another writer created it between the read and the create: read again and mutate that. Only
          // when the key read is now there; a create that collided elsewhere (the body names another object)
          // is the caller's AlreadyExists, and retrying it would never end.
          const raced =
            error instanceof StatusError &&
            error.reason === 'AlreadyExists' &&
            (await this.read(namespace, name)) !== undefined;
          if (raced) continue;
          throw error;
        }
      }
      this.checkIdentity(desired, namespace, name);
      const precondition = desired.metadata.resourceVersion;
      if (
        precondition !== undefined &&
        precondition !== '' &&
        precondition !== current.metadata.resourceVersion
      ) {
        throw conflict(this.resource, name, MODIFIED);
      }
      const next = await this.admitUpdate(desired, current, options, subresource);
      if (deepEqual(withoutVersion(next), withoutVersion(current)))
        return { object: current, created: false };
      if (options.dryRun) return { object: this.present(next), created: false };
      try {
        if (next.metadata.deletionTimestamp !== undefined && this.pendingFinalizers(next).length === 0) {
          await this.context.storage.delete(this.key(namespace, name), kv.modRevision);
          return { object: this.present(next), created: false };
        }
        const written = await this.context.storage.update(
          this.key(namespace, name),
          encodeObject(next),
          kv.modRevision,
        );
        return { object: this.present(decodeObject(written)), created: false };
      } catch (error) {
        if (isStorageError(error, 'Conflict') && (precondition === undefined || precondition === ''))
          continue;
        if (isStorageError(error, 'KeyNotFound') && (precondition === undefined || precondition === ''))
          continue;
        throw this.storageError(error, name);
      }
    }
  }

  /**
   * DELETE: with finalizers (or a Foreground/Orphan policy that adds one) the object is only marked with
   * deletionTimestamp; otherwise it is removed and its dependents are left to the garbage collector.
   */
  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<DeleteResult> {
    for (;;) {
      const kv = await this.read(namespace, name);
      if (kv === undefined) throw notFound(this.resource, name);
      const current = this.present(decodeObject(kv));
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
        throw conflict(
          this.resource,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
        );
      }
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw conflict(
          this.resource,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
        );
      }
      const finalizers = [...(current.metadata.finalizers ?? [])];
      const policyFinalizer =
        options.propagationPolicy === 'Foreground'
          ? 'foregroundDeletion'
          : options.propagationPolicy === 'Orphan'
            ? 'orphan'
            : undefined;
      if (policyFinalizer !== undefined && !finalizers.includes(policyFinalizer))
        finalizers.push(policyFinalizer);
      const pending = this.pendingFinalizers({ ...current, metadata: { ...current.metadata, finalizers } });
      const marked = pending.length > 0;
      try {
        if (marked) {
          if (
            current.metadata.deletionTimestamp !== undefined &&
            deepEqual(finalizers, current.metadata.finalizers ?? [])
          ) {
            return { removed: false, object: current };
          }
          const next = structuredClone(current);
          next.metadata.finalizers = finalizers;
          next.metadata.deletionTimestamp ??= rfc3339(this.context.now());
          next.metadata.deletionGracePeriodSeconds ??= 0;
          this.strategy.prepareForDelete?.(next);
          if (options.dryRun) return { removed: false, object: next };
          const written = await this.context.storage.update(
            this.key(namespace, name),
            encodeObject(next),
            kv.modRevision,
          );
          return { removed: false, object: this.present(decodeObject(written)) };
        }
        if (options.dryRun) return { removed: true, object: current };
        const deleted = await this.context.storage.delete(this.key(namespace, name), kv.modRevision);
        return { removed: true, object: this.present(decodeObject(deleted)) };
      } catch (error) {
        if (isStorageError(error, 'Conflict')) continue;
        throw this.storageError(error, name);
      }
    }
  }

  /** Drops one finalizer (the garbage collector's and the namespace controller's way to finish a deletion). */
  async removeFinalizer(
    namespace: string | undefined,
    name: string,
    finalizer: string,
    manager: string,
  ): Promise<void> {
    try {
      await this.guaranteedUpdate(
        namespace,
        name,
        { dryRun: false, fieldManager: manager, fieldValidation: 'Ignore', warnings: [] },
        undefined,
        (current) => {
          const next = current!;
          next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
          return next;
        },
      );
    } catch (error) {
      if ((error as StatusError).reason !== 'NotFound') throw error;
    }
  }

  pendingFinalizers(object: ApiObject): readonly string[] {
    return this.strategy.pendingFinalizers?.(object) ?? object.metadata.finalizers ?? [];
  }

  present(object: ApiObject): ApiObject {
    object.apiVersion = apiVersionOf(this.resource);
    return object;
  }

  private selection(query: { readonly labelSelector?: string; readonly fieldSelector?: string }): Selection {
    return compileSelection(this.resource, query, this.strategy.fieldValue);
  }

  private async read(namespace: string | undefined, name: string): Promise<KeyValue | undefined> {
    try {
      return await this.context.storage.get(this.key(namespace, name));
    } catch (error) {
      throw this.storageError(error, name);
    }
  }

  private async listRevision(query: ListQuery): Promise<number | undefined> {
    const rv = query.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0' || query.continue !== undefined) return undefined;
    const revision = parseResourceVersion(rv);
    if (query.resourceVersionMatch === 'Exact') return revision;
    const current = await this.context.storage.currentRevision();
    if (revision > current) {
      throw fromStorageError(
        new StorageError('FutureRevision', `${revision} > ${current}`),
        this.resource,
        '',
      );
    }
    return undefined;
  }

  private storageError(error: unknown, name: string): StatusError {
    return fromStorageError(error, this.resource, name);
  }

  private watchOutput(event: WatchEvent, selection: Selection): WatchOutput | undefined {
    const object = this.present(decodeObject(event.kv));
    if (selection.everything) return { type: event.type, object };
    const now = event.type === 'DELETED' ? false : selection.matches(object);
    const before = event.type === 'ADDED' ? false : selection.matches(decodeObject(event.prev));
    if (event.type === 'DELETED') return before ? { type: 'DELETED', object } : undefined;
    if (now && before) return { type: 'MODIFIED', object };
    if (now) return { type: 'ADDED', object };
    if (before) return { type: 'DELETED', object };
    return undefined;
  }

  /** The body's kind, apiVersion, namespace and name must agree with the URL, as kube-apiserver checks. */
  private checkIdentity(body: ApiObject, namespace: string | undefined, name: string | undefined): void {
    const kind = body.kind;
    if (kind !== undefined && kind !== '' && kind !== this.resource.kind) {
      throw badRequest(
        `the object provided is unrecognized (${shownValue(kind)}): this endpoint serves ${this.resource.kind}`,
      );
    }
    const apiVersion = body.apiVersion;
    if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== apiVersionOf(this.resource)) {
      throw badRequest(
        `the API version in the data (${shownValue(apiVersion)}) does not match the expected API version (${apiVersionOf(this.resource)})`,
      );
    }
    const bodyNamespace = body.metadata.namespace;
    if (
      this.resource.namespaced &&
      bodyNamespace !== undefined &&
      bodyNamespace !== '' &&
      bodyNamespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (name !== undefined && body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${shownValue(body.metadata.name)}) does not match the name on the URL (${name})`,
      );
    }
  }

  private decode(body: ApiObject, options: WriteOptions): ApiObject {
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      throw invalid(this.resource, shownValue(body.metadata.name ?? ''), [
        invalidField(undefined, OMIT_VALUE, `must not nest deeper than ${MAX_JSON_DEPTH} levels`),
      ]);
    }
    const decoded = this.schema.decode(body);
    const problems = [
      ...(options.duplicateFields ?? []).map((path) => `duplicate field "${path}"`),
      ...decoded.unknownFields.map(unknownFieldMessage),
    ];
    if (problems.length > 0) {
      if (options.fieldValidation === 'Strict') {
        throw badRequest(
          `${this.resource.kind} in version "${this.resource.version}" cannot be handled as a ${this.resource.kind}: strict decoding error: ${problems.join(', ')}`,
        );
      }
      if (options.fieldValidation === 'Warn') options.warnings.push(...problems);
    }
    return decoded.object as ApiObject;
  }

  private async admitCreate(
    body: ApiObject,
    namespace: string | undefined,
    options: WriteOptions,
  ): Promise<ApiObject> {
    const object = this.decode(
      {
        ...body,
        apiVersion: apiVersionOf(this.resource),
        kind: this.resource.kind,
        metadata: { ...body.metadata },
      },
      options,
    );
    const metadata = object.metadata;
    if (this.resource.namespaced) metadata.namespace = namespace;
    else delete metadata.namespace;
    metadata.uid = randomUUID();
    metadata.creationTimestamp = rfc3339(this.context.now());
    metadata.generation = 1;
    delete metadata.resourceVersion;
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    delete metadata.selfLink;
    if (this.hasStatus) delete object.status;
    for (const finalizer of this.strategy.defaultFinalizers ?? []) {
      metadata.finalizers = [...new Set([...(metadata.finalizers ?? []), finalizer])];
    }
    this.strategy.prepareForCreate?.(object);
    const withOwners = await this.resolveOwners(object, namespace);
    const errors = [
      ...withOwners.errors,
      ...this.schema.validate(withOwners.object),
      ...(this.strategy.validate?.(withOwners.object, undefined) ?? []),
    ];
    if (errors.length > 0) throw invalid(this.resource, metadata.name ?? metadata.generateName ?? '', errors);
    return options.applied
      ? withOwners.object
      : this.fields.afterWrite(undefined, withOwners.object, options, undefined);
  }

  private async admitUpdate(
    desired: ApiObject,
    current: ApiObject,
    options: WriteOptions,
    subresource: Subresource,
  ): Promise<ApiObject> {
    const decoded = this.decode(
      {
        ...desired,
        apiVersion: apiVersionOf(this.resource),
        kind: this.resource.kind,
        metadata: { ...desired.metadata },
      },
      options,
    );
    let next: ApiObject;
    if (subresource === 'status') {
      next = { ...structuredClone(current), status: decoded.status };
      if (decoded.status === undefined) delete next.status;
    } else {
      next = decoded;
      if (this.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
      const m = next.metadata;
      const old = current.metadata;
      m.name = old.name;
      if (this.resource.namespaced) m.namespace = old.namespace;
      m.uid = old.uid;
      m.creationTimestamp = old.creationTimestamp;
      m.generation = old.generation;
      if (old.deletionTimestamp === undefined) delete m.deletionTimestamp;
      else m.deletionTimestamp = old.deletionTimestamp;
      if (old.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
      else m.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
      delete m.selfLink;
      if (
        m.managedFields === undefined &&
        old.managedFields !== undefined &&
        desired.metadata.managedFields === undefined
      ) {
        m.managedFields = old.managedFields;
      }
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (specChanged(next, current, this.hasStatus))
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    this.strategy.prepareForUpdate?.(next, current, subresource);
    const withOwners = await this.resolveOwners(next, current.metadata.namespace);
    const errors = [
      ...withOwners.errors,
      ...finalizerErrors(withOwners.object, current),
      ...this.schema.validate(withOwners.object, current),
      ...(this.strategy.validate?.(withOwners.object, current) ?? []),
    ];
    if (errors.length > 0) throw invalid(this.resource, current.metadata.name ?? '', errors);
    if (options.applied) return withOwners.object;
    return this.fields.afterWrite(current, withOwners.object, options, subresource);
  }

  private async resolveOwners(
    object: ApiObject,
    namespace: string | undefined,
  ): Promise<{ object: ApiObject; errors: FieldError[] }> {
    // Not yet validated: a malformed list is left for validateObjectMeta to refuse with its field path.
    const listed: unknown = object.metadata.ownerReferences;
    const references = (
      Array.isArray(listed) ? listed.filter(isJsonObject) : []
    ) as Partial<OwnerReference>[];
    const found = new Map<string, string | undefined>();
    for (const ref of references) {
      if (typeof ref.uid === 'string' && ref.uid !== '') continue;
      if (typeof ref.apiVersion !== 'string' || typeof ref.kind !== 'string' || typeof ref.name !== 'string')
        continue;
      const owner = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
      found.set(JSON.stringify(owner), await this.context.findOwnerUid(namespace, owner));
    }
    if (found.size === 0) return { object, errors: [] };
    const resolved = resolveOwnerReferences(object, (owner) =>
      found.get(JSON.stringify({ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name })),
    );
    return { object: resolved.object as ApiObject, errors: resolved.errors };
  }
}

export function parseResourceVersion(rv: string | undefined): number {
  const n = Number(rv);
  if (rv === undefined || !/^[1-9]\d{0,15}$/.test(rv) || !Number.isSafeInteger(n)) {
    throw badRequest(
      `resourceVersion: Invalid value: ${JSON.stringify(rv ?? '')}: must be a resource version returned by this server`,
    );
  }
  return n;
}

function withoutVersion(object: ApiObject): unknown {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** Generation counts changes to anything but metadata (and status, when it has its own endpoint). */
function specChanged(next: ApiObject, current: ApiObject, hasStatus: boolean): boolean {
  const strip = (o: ApiObject): Record<string, unknown> => {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
    if (hasStatus) delete rest.status;
    return rest;
  };
  return !deepEqual(strip(next), strip(current));
}

/** Once deletion has begun, finalizers may only be removed (kube's ValidateObjectMetaUpdate). */
function finalizerErrors(next: ApiObject, current: ApiObject): FieldError[] {
  if (current.metadata.deletionTimestamp === undefined) return [];
  const before = new Set(current.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
  return added.length === 0
    ? []
    : [
        forbiddenField(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        ),
      ];
}

function withGeneratedName(body: ApiObject): ApiObject {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return { ...body, metadata: { ...body.metadata, name: `${body.metadata.generateName ?? ''}${suffix}` } };
}
