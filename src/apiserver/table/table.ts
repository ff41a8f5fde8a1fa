import type { ResourceInfo, TableColumn } from '../registry/resource-info.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { evaluate, type JsonPath, parseJsonPath } from './jsonpath.ts';
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN } from './object-meta-columns.ts';
import { printerColumnCell } from './printer-column-cell.ts';
import { type RowRenderer, rowRendererFor } from './row-renderer.ts';
import type { IncludeObject, Table, TableColumnDefinition, TableRow } from './table-shape.ts';
import { stringAt } from './zero-valued-fields.ts';

export type {
  IncludeObject,
  Table,
  TableColumnDefinition,
  TableRow,
  TableRowCondition,
} from './table-shape.ts';

export interface BuildTableOptions {
  readonly resource: ResourceInfo;
  /** Decoded objects in list order; one for a single get or a watch event. */
  readonly objects: readonly unknown[];
  /** The clock, in milliseconds since the epoch, that ages are measured against. */
  readonly now: number;
  readonly includeObject: IncludeObject;
  readonly resourceVersion?: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
  /** False for TableOptions.noHeaders (watch events after the first). */
  readonly columnDefinitions: boolean;
}

/**
 * The meta.k8s.io/v1 Table the API server answers for `as=Table`: a registered row renderer's cells for
 * built-in kinds, otherwise the CRD table convertor's Name column plus printer columns (Name and Age without).
 */
export function buildTable(options: BuildTableOptions): Table {
  const printer = rowRendererFor(options.resource) ?? convertorFor(options.resource);
  const rows = options.objects.map((object): TableRow => {
    const row = printer.render(object, options.now);
    return { ...row, object: rowObject(object, options.includeObject) };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
      ...(options.remainingItemCount === undefined ? {} : { remainingItemCount: options.remainingItemCount }),
    },
    columnDefinitions: options.columnDefinitions ? printer.columns : null,
    rows,
  };
}

/** The default printer column of a CRD without any: serveDefaultColumnsIfEmpty. */
const AGE_COLUMN: TableColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: CREATION_TIMESTAMP_DESCRIPTION,
};

const convertors = new WeakMap<ResourceInfo, RowRenderer>();

function convertorFor(resource: ResourceInfo): RowRenderer {
  let convertor = convertors.get(resource);
  if (!convertor) {
    convertor = printerColumnConvertor(
      resource.printerColumns.length > 0 ? resource.printerColumns : [AGE_COLUMN],
    );
    convertors.set(resource, convertor);
  }
  return convertor;
}

/**
 * tableconvertor.New: a column whose JSONPath does not parse ends the list there, since kube keeps the
 * convertor built so far (and only logs the error).
 */
function printerColumnConvertor(printerColumns: readonly TableColumn[]): RowRenderer {
  const columns: {
    readonly definition: TableColumnDefinition;
    readonly path: JsonPath;
    readonly type: TableColumn['type'];
  }[] = [];
  for (const column of printerColumns) {
    const parsed = parseJsonPath(column.jsonPath);
    if (!parsed.ok) break;
    columns.push({
      path: parsed.path,
      type: column.type,
      definition: {
        name: column.name,
        type: column.type,
        format: column.format ?? '',
        description:
          column.description || `Custom resource definition column (in JSONPath format): ${column.jsonPath}`,
        priority: column.priority ?? 0,
      },
    });
  }
  return {
    columns: [NAME_COLUMN, ...columns.map((c) => c.definition)],
    render: (object, now) => ({
      cells: [
        stringAt(metadataOf(object), 'name'),
        ...columns.map((c) => printerColumnCell(c.type, evaluate(c.path, object), now)),
      ],
    }),
  };
}

function metadataOf(object: unknown): Record<string, unknown> {
  const metadata = isJsonObject(object) ? object.metadata : undefined;
  return isJsonObject(metadata) ? metadata : {};
}

function rowObject(object: unknown, includeObject: IncludeObject): unknown {
  switch (includeObject) {
    case 'Object':
      return object;
    case 'None':
      return null;
    case 'Metadata':
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: partialMetadata(metadataOf(object)),
      };
  }
}

// ObjectMeta's fields as meta.AsPartialObjectMetadata copies them, with their omitempty rules.
const META_STRINGS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion'] as const;
const META_COLLECTIONS = ['labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'] as const;

function partialMetadata(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of META_STRINGS) if (typeof meta[key] === 'string' && meta[key] !== '') out[key] = meta[key];
  if (typeof meta.generation === 'number' && meta.generation !== 0) out.generation = meta.generation;
  // A struct-typed Time ignores omitempty: a missing creationTimestamp marshals as null.
  out.creationTimestamp = meta.creationTimestamp ?? null;
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null) {
    out.deletionTimestamp = meta.deletionTimestamp;
  }
  if (typeof meta.deletionGracePeriodSeconds === 'number') {
    out.deletionGracePeriodSeconds = meta.deletionGracePeriodSeconds;
  }
  for (const key of META_COLLECTIONS) if (isNonEmpty(meta[key])) out[key] = meta[key];
  return out;
}

const isNonEmpty = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : isJsonObject(value) && Object.keys(value).length > 0;
