import type { FieldError } from '../schema/field-error.ts';
import type { ApiObject } from './object-codec.ts';

/** The kind-specific part of the registry store, as kube-apiserver's RESTCreateStrategy/RESTUpdateStrategy. */
export interface Strategy {
  /** Fills server-owned fields on create (after generic metadata such as uid and creationTimestamp). */
  prepareForCreate?(object: ApiObject): void;
  /** Adjusts an update before validation, e.g. the Namespace keeps spec.finalizers unless finalizing. */
  prepareForUpdate?(object: ApiObject, old: ApiObject, subresource: string | undefined): void;
  /** Checks beyond the schema: cross-field and kind rules (an Event's involvedObject, a CRD's schema). */
  validate?(object: ApiObject, old: ApiObject | undefined): FieldError[];
  /** How a field-selector label reads this kind (an Event's `source` is source.component). */
  readonly fieldValue?: (object: ApiObject, label: string) => string | undefined;
  /** A PUT of a missing object creates it, as Leases allow (leader election's first acquire). */
  readonly allowCreateOnUpdate?: boolean;
  /** Finalizers the server adds to every new object of this kind (Namespace, CRD). */
  readonly defaultFinalizers?: readonly string[];
  /** Finalizers still to run; by default metadata.finalizers (a Namespace adds its spec.finalizers). */
  pendingFinalizers?(object: ApiObject): readonly string[];
  /** Adjusts an object that a delete marks rather than removes, e.g. a Namespace becomes Terminating. */
  prepareForDelete?(object: ApiObject): void;
}

export const NO_STRATEGY: Strategy = {};
