import type { TObject } from 'typebox';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description: string;
  /** 0 is shown by `kubectl get`; 1 only with `-o wide`. */
  readonly priority?: number;
}

/**
 * Everything nso knows about a kind, declared once: it becomes the CRD (config/crd), the reference docs
 * (docs/api.md), the API server's registry entry and its validation.
 */
export interface KindDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly description: string;
  /** The whole object: apiVersion, kind, metadata, spec and status. */
  readonly schema: TObject;
  readonly printerColumns: readonly PrinterColumn[];
  /** JSON paths usable in field selectors beyond metadata.name and metadata.namespace. */
  readonly selectableFields: readonly string[];
}

export const NETWORKING_GROUP = 'networking.datumapis.com';
export const COMPUTE_GROUP = 'compute.datumapis.com';
export const VERSION = 'v1alpha1';
export const CATEGORIES = ['datum'] as const;

export const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'How long ago the object was created.',
};

export const conditionColumn = (type: string): PrinterColumn => ({
  name: type,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
  description: `The status of the ${type} condition.`,
});
