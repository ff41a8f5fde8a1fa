export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** What a write request asked for beyond its body, and where the store reports warnings back. */
export interface WriteOptions {
  readonly dryRun: boolean;
  /** From ?fieldManager, else the client's User-Agent product, as kube-apiserver defaults it. */
  readonly fieldManager: string;
  readonly fieldValidation: FieldValidation;
  /** Duplicate fields the body parser found, by path. */
  readonly duplicateFields?: readonly string[];
  /** The body is a server-side apply result whose managedFields are already computed. */
  readonly applied?: boolean;
  /** Filled by the store: each becomes a `Warning: 299 - "…"` response header. */
  readonly warnings: string[];
}

export interface DeleteOptions {
  readonly dryRun: boolean;
  readonly propagationPolicy: 'Background' | 'Foreground' | 'Orphan' | undefined;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface ListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents?: boolean;
}

export function systemWrite(fieldManager: string): WriteOptions {
  return { dryRun: false, fieldManager, fieldValidation: 'Ignore', warnings: [] };
}
