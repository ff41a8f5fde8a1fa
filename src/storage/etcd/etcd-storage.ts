import { Buffer } from 'node:buffer';
import { Etcd3, type IEvent, type IKeyValue, type ITxnRequest, type ITxnResponse } from 'etcd3';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { checkKey, checkRevisionArgument } from '../contract.ts';
import {
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Storage,
  StorageError,
  type WatchEvent,
} from '../storage.ts';
import { singleAttempt, translateEtcdError } from './etcd-errors.ts';
import { EtcdWatch, type WatchStream } from './etcd-watch.ts';

export interface EtcdStorageOptions {
  /** Client URLs of the cluster's members, such as http://127.0.0.1:2379. */
  readonly endpoints: readonly string[];
  /** Every key lives under this prefix (such as /nso/), so lists and watches never see other data. */
  readonly prefix: string;
  /** Deadline of each request; a request past it is Unreachable. */
  readonly requestTimeoutMs?: number;
}

/**
 * The Storage contract on etcd v3: etcd's own revisions, one transaction per conditional write, and a
 * gRPC watch stream per watch. Compaction is etcd's and so covers the whole cluster, not just the prefix.
 * `cutWatches()` breaks every open watch stream, as a lost connection would.
 */
export class EtcdStorage implements Storage {
  readonly #client: Etcd3;
  readonly #prefix: Buffer;
  readonly #watches = new Set<EtcdWatch>();
  #closed = false;

  constructor(options: EtcdStorageOptions) {
    const timeout = options.requestTimeoutMs ?? 10_000;
    this.#prefix = Buffer.from(options.prefix, 'utf8');
    this.#client = new Etcd3({
      hosts: [...options.endpoints],
      // Watch replays batch many events into one message, and values may be 1 MiB: no receive limit.
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeout }),
      faultHandling: { global: singleAttempt },
    });
  }

  async get(key: string, options: { readonly revision?: number } = {}): Promise<KeyValue | undefined> {
    this.#ensureOpen();
    checkKey(key);
    if (options.revision !== undefined) checkRevisionArgument('revision', options.revision, 1);
    const response = await this.#call(key, () =>
      this.#client.kv.range({ key: this.#encode(key), revision: options.revision ?? 0 }),
    );
    const found = response.kvs[0];
    return found && this.#toKv(found);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#ensureOpen();
    const { limit } = options;
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    }
    let revision = options.revision;
    let start = this.#encode(prefix);
    const end = rangeEnd(start);
    if (options.continue !== undefined) {
      if (revision !== undefined) throw new RangeError('a continued list takes its revision from the token');
      const continuation = decodeContinue(options.continue, prefix);
      revision = continuation.revision;
      start = Buffer.concat([this.#encode(continuation.after), zero]);
    }
    if (revision !== undefined) checkRevisionArgument('revision', revision, 1);
    const response = await this.#call(undefined, () =>
      this.#client.kv.range({
        key: start.length > 0 ? start : zero,
        range_end: end,
        revision: revision ?? 0,
        limit: limit ?? 0,
      }),
    );
    const items = response.kvs.map((kv) => this.#toKv(kv));
    const at = revision ?? Number(response.header.revision);
    const remaining = Number(response.count) - items.length;
    const last = items.at(-1);
    if (remaining <= 0 || !last) return { items, revision: at, remaining: 0 };
    return { items, revision: at, remaining, continue: encodeContinue({ revision: at, after: last.key }) };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    const encoded = this.#encode(key);
    const bytes = Buffer.from(value);
    const response = await this.#txn(key, {
      compare: [{ key: encoded, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: encoded, value: bytes } }],
      failure: [{ request_range: { key: encoded } }],
    });
    if (!response.succeeded) {
      const current = this.#current(response);
      if (!current)
        throw new StorageError('Unreachable', `etcd refused to create ${key} but shows no value`, { key });
      throw new StorageError('KeyExists', `${key} already exists`, { key, current });
    }
    const revision = Number(response.header.revision);
    return { key, value: view(bytes), createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: Uint8Array, expectedRevision: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    checkRevisionArgument('expectedRevision', expectedRevision, 1);
    const encoded = this.#encode(key);
    const bytes = Buffer.from(value);
    const response = await this.#txn(key, {
      compare: [{ key: encoded, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
      success: [
        { request_put: { key: encoded, value: bytes } },
        { request_range: { key: encoded, keys_only: true } },
      ],
      failure: [{ request_range: { key: encoded } }],
    });
    if (!response.succeeded) throw this.#preconditionFailed(key, expectedRevision, response);
    const written = response.responses[1]?.response_range.kvs[0];
    if (!written)
      throw new StorageError('Unreachable', `etcd updated ${key} but did not read it back`, { key });
    return {
      key,
      value: view(bytes),
      createRevision: Number(written.create_revision),
      modRevision: Number(written.mod_revision),
    };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    this.#ensureOpen();
    checkKey(key);
    if (expectedRevision !== undefined) checkRevisionArgument('expectedRevision', expectedRevision, 1);
    const encoded = this.#encode(key);
    const response = await this.#txn(key, {
      compare:
        expectedRevision === undefined
          ? [{ key: encoded, target: 'Create', result: 'Greater', create_revision: 0 }]
          : [{ key: encoded, target: 'Mod', result: 'Equal', mod_revision: expectedRevision }],
      success: [{ request_delete_range: { key: encoded, prev_kv: true } }],
      failure: [{ request_range: { key: encoded } }],
    });
    if (!response.succeeded) throw this.#preconditionFailed(key, expectedRevision, response);
    const prev = response.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev)
      throw new StorageError('Unreachable', `etcd deleted ${key} but returned no previous value`, { key });
    return { ...this.#toKv(prev), modRevision: Number(response.header.revision) };
  }

  async *watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent> {
    checkRevisionArgument('fromRevision', fromRevision, 0);
    this.#ensureOpen();
    if (signal.aborted) return;
    // etcd replays from a start revision at the compaction point, but the contract wants Compacted there.
    if (fromRevision >= 1) await this.#checkNotCompacted(fromRevision);
    if (signal.aborted) return;
    const watch = new EtcdWatch((event) => this.#toEvent(event));
    const onAbort = (): void => watch.stop();
    signal.addEventListener('abort', onAbort);
    this.#watches.add(watch);
    try {
      const key = this.#encode(prefix);
      const request = {
        key: key.length > 0 ? key : zero,
        range_end: rangeEnd(key),
        start_revision: fromRevision + 1,
        prev_kv: true,
      };
      void this.#client.watchClient.watch().then(
        (stream) => watch.attach(stream as WatchStream, request),
        (cause: unknown) => watch.fail(asStorageError(translateEtcdError(cause))),
      );
      yield* watch.events();
    } finally {
      watch.stop();
      this.#watches.delete(watch);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async currentRevision(): Promise<number> {
    this.#ensureOpen();
    const response = await this.#call(undefined, () =>
      this.#client.kv.range({ key: this.#prefix.length > 0 ? this.#prefix : zero, count_only: true }),
    );
    return Number(response.header.revision);
  }

  async compact(revision: number): Promise<void> {
    this.#ensureOpen();
    checkRevisionArgument('revision', revision, 1);
    try {
      await this.#call(undefined, () => this.#client.kv.compact({ revision }));
    } catch (error) {
      if (error instanceof StorageError && error.code === 'Compacted') return;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const watch of this.#watches) watch.fail(new StorageError('Unreachable', 'storage is closed'));
    this.#client.close();
  }

  /** Breaks every open watch stream, so each ends with Unreachable; for tests. */
  cutWatches(): void {
    for (const watch of this.#watches) watch.breakStream();
  }

  async #checkNotCompacted(fromRevision: number): Promise<void> {
    try {
      await this.#call(undefined, () =>
        this.#client.kv.range({
          key: this.#prefix.length > 0 ? this.#prefix : zero,
          revision: fromRevision,
          count_only: true,
        }),
      );
    } catch (error) {
      if (error instanceof StorageError && error.code === 'FutureRevision') return;
      throw error;
    }
  }

  async #txn(key: string, request: ITxnRequest): Promise<ITxnResponse> {
    return this.#call(key, () => this.#client.kv.txn(request));
  }

  async #call<T>(key: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (this.#closed) throw new StorageError('Unreachable', 'storage is closed', { cause: error });
      throw translateEtcdError(error, key);
    }
  }

  #preconditionFailed(
    key: string,
    expectedRevision: number | undefined,
    response: ITxnResponse,
  ): StorageError {
    const current = this.#current(response);
    if (!current) return new StorageError('KeyNotFound', `${key} not found`, { key });
    return new StorageError(
      'Conflict',
      `${key} is at revision ${current.modRevision}, not ${expectedRevision}`,
      {
        key,
        current,
      },
    );
  }

  #current(response: ITxnResponse): KeyValue | undefined {
    const found = response.responses[0]?.response_range.kvs[0];
    return found && this.#toKv(found);
  }

  #toEvent(event: IEvent): WatchEvent {
    const kv = this.#toKv(event.kv);
    const prev = event.prev_kv ? this.#toKv(event.prev_kv) : undefined;
    if (event.type === 'Put' && kv.createRevision === kv.modRevision) return { type: 'ADDED', kv };
    if (!prev) {
      throw new StorageError(
        'Compacted',
        `etcd no longer has the value of ${kv.key} before ${kv.modRevision}`,
        {
          key: kv.key,
        },
      );
    }
    if (event.type === 'Put') return { type: 'MODIFIED', kv, prev };
    return { type: 'DELETED', kv: { ...prev, value: prev.value.slice(), modRevision: kv.modRevision }, prev };
  }

  #toKv(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.subarray(this.#prefix.length).toString('utf8'),
      value: view(kv.value),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  #encode(key: string): Buffer {
    return Buffer.concat([this.#prefix, Buffer.from(key, 'utf8')]);
  }

  #ensureOpen(): void {
    if (this.#closed) throw new StorageError('Unreachable', 'storage is closed');
  }
}

const zero = Buffer.from([0]);

/** The end of etcd's range for every key starting with `prefix`: the prefix with its last byte incremented. */
function rangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return zero;
}

/** A Uint8Array over the same bytes, so callers get the plain type the contract names, without a copy. */
function view(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function asStorageError(error: Error): StorageError {
  return error instanceof StorageError
    ? error
    : new StorageError('Unreachable', error.message, { cause: error });
}
