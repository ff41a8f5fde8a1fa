import { isJsonObject, type JsonSchemaProps } from '../schema/json-schema.ts';
import { deepClone, deepEqual } from '../schema/json-value.ts';
import type { Conflict } from './conflict.ts';
import { type FieldSet, fieldSetOf, isEmptySet, setPaths } from './field-set.ts';
import { rootType } from './field-type.ts';
import { KUBECTL_MANAGER, lastAppliedFields, withLastAppliedOf } from './last-applied.ts';
import {
  decodeManagedFields,
  type Managed,
  type ManagerIdentity,
  managerIdentifier,
  storedManagedFields,
  withManagedFields,
  withStoredManagedFields,
} from './managed-fields.ts';
import { fieldPath, pathString } from './path-element.ts';
import { recordUpdate } from './record-update.ts';
import { joinTypedErrors, typedValueErrors } from './typed-validation.ts';
import { withoutUnmanaged } from './unmanaged-fields.ts';
import { applyOwnership, type OwnershipContext } from './updater.ts';

type JsonObject = Readonly<Record<string, unknown>>;

/** A path of field names, such as ['status']. */
export type FieldNames = readonly string[];

export interface ApplyInput {
  /** The stored object, or undefined when the apply creates it. */
  readonly live: JsonObject | undefined;
  /** The applied configuration (the request body). */
  readonly config: JsonObject;
  readonly manager: string;
  readonly force: boolean;
  /** The CRD's openAPIV3Schema for this version; metadata is always treated as ObjectMeta. */
  readonly schema: JsonSchemaProps;
  readonly apiVersion: string;
  /** RFC 3339, second precision: the time of the entries this write stamps. */
  readonly now: string;
  /** Fields this endpoint never manages: ['status'] on the main resource, ['spec'] on status. */
  readonly ignoredFields: readonly FieldNames[];
  readonly subresource?: 'status';
}

export type ApplyResult =
  | { readonly ok: true; readonly object: JsonObject }
  | { readonly ok: false; readonly reason: 'Conflict'; readonly conflicts: readonly Conflict[] }
  /**
   * BadRequest and InternalError as kube-apiserver answers them; Invalid where it answers 500 for a configuration
   * that does not fit the schema (kubernetes/kubernetes#122480), which is the client's mistake, not the server's.
   */
  | {
      readonly ok: false;
      readonly reason: 'BadRequest' | 'Invalid' | 'InternalError';
      readonly message: string;
    };

const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * Server-side apply as kube-apiserver's field manager does it: merge, conflicts unless forced, removal of
 * what this manager applied before and dropped (unless owned by another), and metadata.managedFields. The
 * result shares nothing with the inputs; the caller still resets ignored fields, defaults and validates.
 */
export function applyConfiguration(input: ApplyInput): ApplyResult {
  if (Array.isArray(storedManagedFields(input.config))) {
    return { ok: false, reason: 'BadRequest', message: 'metadata.managedFields must be nil' };
  }
  const context: OwnershipContext = {
    type: rootType(input.schema),
    ignored: ignoredSet(input.ignoredFields),
  };
  const decoded = decodeManagedFields(storedManagedFields(input.live));
  if (!decoded.ok) {
    return {
      ok: false,
      reason: 'InternalError',
      message: `failed to decode managed fields: ${decoded.message}`,
    };
  }
  const errors = typedValueErrors(input.config, context.type, false);
  if (errors.length > 0) {
    const message = `failed to create typed patch object (${describeObject(input.config)}): ${joinTypedErrors(errors)}`;
    return { ok: false, reason: 'Invalid', message };
  }
  const live = withStoredManagedFields(input.live ?? {}, undefined);
  const outcome = applyTakingOverClientSide(live, decoded.managed, input, context);
  if (!outcome.ok) return { ok: false, reason: 'Conflict', conflicts: outcome.conflicts };
  const object =
    input.manager === KUBECTL_MANAGER ? withLastAppliedOf(outcome.object, input.config) : outcome.object;
  return { ok: true, object: deepClone(withManagedFields(object, outcome.managed)) };
}

// lastAppliedManager: kubectl's own apply may take, without a conflict, the fields its client-side apply
// (the last-applied annotation) set and nobody changed since.
function applyTakingOverClientSide(
  live: JsonObject,
  managed: Managed,
  input: ApplyInput,
  context: OwnershipContext,
): Outcome {
  const outcome = applyAs(live, managed, input, context, input.force);
  if (outcome.ok || input.manager !== KUBECTL_MANAGER) return outcome;
  const allowed = lastAppliedFields(live, context.type, input.apiVersion);
  if (allowed === undefined) return outcome;
  const fields = new Set(setPaths(allowed).map(pathString));
  const remaining = outcome.conflicts.filter((c) => !fields.has(c.field));
  return remaining.length > 0
    ? { ok: false, conflicts: remaining }
    : applyAs(live, managed, input, context, true);
}

type Outcome =
  | { readonly ok: true; readonly object: JsonObject; readonly managed: Managed }
  | { readonly ok: false; readonly conflicts: readonly Conflict[] };

function applyAs(
  live: JsonObject,
  stored: Managed,
  input: ApplyInput,
  context: OwnershipContext,
  force: boolean,
): Outcome {
  const subresource = input.subresource === undefined ? {} : { subresource: input.subresource };
  // skipNonApplied: an object whose fields nobody tracks yet is first attributed to a pseudo-manager.
  const managed =
    stored.size > 0
      ? stored
      : recordUpdate(
          {},
          live,
          context,
          stored,
          { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: input.apiVersion, ...subresource },
          input.now,
        );
  const applier: ManagerIdentity = {
    manager: input.manager,
    operation: 'Apply',
    apiVersion: input.apiVersion,
    ...subresource,
  };
  const applied = applyOwnership(live, input.config, context, managed, applier, force);
  if (!applied.ok) return applied;
  const id = managerIdentifier(applier);
  const changed = !deepEqual(live, applied.object);
  const out = new Map(applied.managed);
  const entry = out.get(id);
  const mine = entry === undefined ? undefined : withoutUnmanaged(entry.set);
  if (entry === undefined || mine === undefined || isEmptySet(mine)) out.delete(id);
  else out.set(id, { ...entry, set: mine, ...(changed ? { time: input.now } : {}) });
  const object = changed && isJsonObject(applied.object) ? applied.object : live;
  return { ok: true, object, managed: out };
}

function ignoredSet(ignored: readonly FieldNames[]): FieldSet {
  return fieldSetOf(ignored.map((names) => fieldPath(...names)));
}

// objectGVKNN: "namespace/name; group/version, Kind=Kind".
function describeObject(object: JsonObject): string {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const apiVersion = text(object.apiVersion);
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${text(metadata.namespace)}/${text(metadata.name)}; ${group}/${version}, Kind=${text(object.kind)}`;
}
