/** A key as stored at some revision. Values are opaque bytes owned by the caller once returned. */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** Revision of the write that created this incarnation of the key. */
  readonly createRevision: number;
  /** Revision of the write that produced this value (for a deletion, the deletion's revision). */
  readonly modRevision: number;
}

/**
 * One committed write. `kv.modRevision` is the write's revision; `prev` is the key just before it.
 * DELETED carries the last value in `kv`, with `modRevision` set to the deletion's revision.
 */
export type WatchEvent =
  | { readonly type: 'ADDED'; readonly kv: KeyValue }
  | { readonly type: 'MODIFIED'; readonly kv: KeyValue; readonly prev: KeyValue }
  | { readonly type: 'DELETED'; readonly kv: KeyValue; readonly prev: KeyValue };

export interface ListOptions {
  /** At most this many items (a positive integer); omitted means all. */
  readonly limit?: number;
  /** A token from an earlier page of the same prefix; it fixes the revision, so omit `revision`. */
  readonly continue?: string;
  /** Read at this revision (≥ 1) instead of the latest. */
  readonly revision?: number;
}

export interface ListResult {
  readonly items: readonly KeyValue[];
  /** The revision every item was read at; pages of one list share it. */
  readonly revision: number;
  /** Present exactly when more keys remain; pass it back to get the next page. */
  readonly continue?: string;
  /** How many keys under the prefix follow this page at `revision` (0 when `continue` is absent). */
  readonly remaining: number;
}

/**
 * A revisioned key-value store. Every write commits at its own revision, greater than every revision
 * committed before it. Keys are non-empty, well-formed strings ordered by their UTF-8 bytes.
 * Arguments outside this contract (empty key, revision < 1, limit < 1) reject with RangeError.
 */
export interface Storage {
  /** The key at the latest or the given revision, or undefined. Compacted | FutureRevision. */
  get(key: string, options?: { readonly revision?: number }): Promise<KeyValue | undefined>;
  /** Keys under `prefix`, in key order, at one revision. Compacted | FutureRevision | InvalidContinue. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Creates the key if absent. KeyExists (carrying `current`). */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /** Replaces the value if its modRevision is `expectedRevision`. KeyNotFound | Conflict (with `current`). */
  update(key: string, value: Uint8Array, expectedRevision: number): Promise<KeyValue>;
  /**
   * Deletes the key, only if its modRevision equals `expectedRevision` when given, and returns its last value
   * with modRevision set to the deletion's revision. KeyNotFound | Conflict (carrying `current`).
   */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /**
   * Each write under `prefix` after `fromRevision` (≥ 0), in order, without gap or duplicate, until `signal`
   * aborts. Compacted if `fromRevision`, or history not yet read, is below the compaction point. Slow readers
   * block no writer. Unreachable if the stream breaks: resume from the last revision seen.
   */
  watch(prefix: string, fromRevision: number, signal: AbortSignal): AsyncIterable<WatchEvent>;
  /** The revision of the latest commit; at least 1, even for an empty store. */
  currentRevision(): Promise<number>;
  /**
   * Discards history before `revision`: reads, watches and continue tokens below it fail with Compacted; the
   * state at `revision` stays readable. A no-op at or below the compaction point. FutureRevision.
   */
  compact(revision: number): Promise<void>;
  /** Releases the backend; idempotent. Later calls, and open watches, fail with Unreachable. */
  close(): Promise<void>;
}

export const STORAGE_ERROR_CODES = [
  'KeyNotFound',
  'KeyExists',
  'Conflict',
  'Compacted',
  'FutureRevision',
  'InvalidContinue',
  'Unreachable',
] as const;

/** Unreachable on a write means its outcome is unknown: it may or may not have committed. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

export interface StorageErrorDetails {
  readonly key?: string;
  /** For KeyExists and Conflict: the key as it is now. */
  readonly current?: KeyValue;
  /** For Compacted: the compaction point, when the backend knows it. */
  readonly compactedRevision?: number;
  readonly cause?: unknown;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly key: string | undefined;
  readonly current: KeyValue | undefined;
  readonly compactedRevision: number | undefined;

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.key = details.key;
    this.current = details.current;
    this.compactedRevision = details.compactedRevision;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
