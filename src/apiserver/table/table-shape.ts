/** meta.k8s.io/v1 TableColumnDefinition: every field is always present on the wire. */
export type TableColumnDefinition = {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
};

/** The only row condition Kubernetes defines: the object has run to completion. */
export type TableRowCondition = {
  readonly type: 'Completed';
  readonly status: 'True';
  readonly reason: string;
  readonly message: string;
};

export type TableRow = {
  readonly cells: readonly unknown[];
  readonly conditions?: readonly TableRowCondition[];
  /** PartialObjectMetadata, the full object, or null for includeObject=None (a nil RawExtension). */
  readonly object: unknown;
};

// Type aliases rather than interfaces, so a Table is assignable to Record<string, unknown>.
export type Table = {
  readonly kind: 'Table';
  readonly apiVersion: 'meta.k8s.io/v1';
  readonly metadata: {
    readonly resourceVersion?: string;
    readonly continue?: string;
    readonly remainingItemCount?: number;
  };
  /** null when the request asked for no headers, as a nil slice marshals. */
  readonly columnDefinitions: readonly TableColumnDefinition[] | null;
  readonly rows: readonly TableRow[];
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';
