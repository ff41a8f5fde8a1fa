import { isJsonObject, type JsonSchemaProps } from '../schema/json-schema.ts';
import { deepClone } from '../schema/json-value.ts';
import type { FieldNames } from './apply.ts';
import { fieldSetOf } from './field-set.ts';
import { rootType } from './field-type.ts';
import {
  decodeManagedFields,
  type Managed,
  storedManagedFields,
  withManagedFields,
  withStoredManagedFields,
} from './managed-fields.ts';
import { fieldPath } from './path-element.ts';
import { recordUpdate } from './record-update.ts';
import { typedValueErrors } from './typed-validation.ts';

type JsonObject = Readonly<Record<string, unknown>>;

export interface UpdateInput {
  /** The stored object, or undefined for a create. */
  readonly old: JsonObject | undefined;
  /** The object about to be stored (after the merge or JSON patch, or the PUT/POST body). */
  readonly next: JsonObject;
  readonly manager: string;
  readonly schema: JsonSchemaProps;
  readonly apiVersion: string;
  /** RFC 3339, second precision. */
  readonly now: string;
  readonly subresource?: 'status';
  /** Fields this endpoint never manages: ['status'] on the main resource, ['spec'] on status. */
  readonly ignoredFields: readonly FieldNames[];
}

/**
 * FieldManager.Update for create, update, merge and JSON patch: next, with this write recorded as the
 * manager's Update entry on top of the managedFields the client sent (when they decode) or the stored ones.
 */
export function updateManagedFields(input: UpdateInput): JsonObject {
  // kubectl's client-side to server-side migration rewrites managedFields with a JSON patch and relies on
  // the client's entries being kept; `[]` resets, and an object nobody tracks stays so until applied.
  const managed = startingManaged(input);
  const next = withStoredManagedFields(input.next, undefined);
  if (managed.size === 0 && input.old !== undefined) return deepClone(next);
  const type = rootType(input.schema);
  if (typedValueErrors(next, type, true).length > 0) {
    return deepClone(withStoredManagedFields(next, storedManagedFields(input.old)));
  }
  const old = withStoredManagedFields(input.old ?? {}, undefined);
  const writer = {
    manager: input.manager === '' ? 'unknown' : input.manager,
    operation: 'Update',
    apiVersion: input.apiVersion,
    ...(input.subresource === undefined ? {} : { subresource: input.subresource }),
  } as const;
  const context = { type, ignored: fieldSetOf(input.ignoredFields.map((names) => fieldPath(...names))) };
  return deepClone(withManagedFields(next, recordUpdate(old, next, context, managed, writer, input.now)));
}

// decodeLiveOrNew: a subresource never takes managed fields from the request.
function startingManaged(input: UpdateInput): Managed {
  const stored = decodeManagedFields(storedManagedFields(input.old));
  const live: Managed = stored.ok ? stored.managed : new Map();
  if (input.subresource !== undefined) return live;
  const sent = storedManagedFields(input.next);
  if (isReset(sent)) return new Map();
  const decoded = sent === storedManagedFields(input.old) ? stored : decodeManagedFields(sent);
  return decoded.ok && decoded.managed.size > 0 ? decoded.managed : live;
}

// isResetManagedFields: `[]`, or a single empty entry.
function isReset(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  if (value.length === 0) return true;
  const [only] = value;
  return value.length === 1 && isJsonObject(only) && Object.values(only).every((v) => v === null || v === '');
}
