import { goQuote } from '../schema/go-format.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { compareUtf8 } from './byte-order.ts';
import type { FieldSet } from './field-set.ts';
import { decodeFieldsV1, encodeFieldsV1 } from './fields-v1.ts';
import { quoteJson } from './json-quote.ts';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** One metadata.managedFields entry, with the keys in the order Kubernetes writes them. */
export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly time?: string;
  readonly fieldsType: 'FieldsV1';
  readonly fieldsV1: Record<string, unknown>;
  readonly subresource?: string;
}

/** Who wrote a set of fields; Apply entries are identified without their apiVersion. */
export interface ManagerIdentity {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource?: string;
}

export interface ManagedSet {
  readonly identity: ManagerIdentity;
  readonly set: FieldSet;
  readonly time?: string;
}

/** Managed sets by manager identifier (see managerIdentifier). */
export type Managed = ReadonlyMap<string, ManagedSet>;

/**
 * BuildManagerIdentifier: the JSON of the entry without time, fields and (for Apply) apiVersion. Two entries
 * with the same identifier are the same manager; conflicts are grouped and sorted by it.
 */
export function managerIdentifier(identity: ManagerIdentity): string {
  const parts: string[] = [];
  if (identity.manager !== '') parts.push(`"manager":${quoteJson(identity.manager)}`);
  parts.push(`"operation":${quoteJson(identity.operation)}`);
  if (identity.operation === 'Update' && identity.apiVersion !== '') {
    parts.push(`"apiVersion":${quoteJson(identity.apiVersion)}`);
  }
  if (identity.subresource !== undefined && identity.subresource !== '') {
    parts.push(`"subresource":${quoteJson(identity.subresource)}`);
  }
  return `{${parts.join(',')}}`;
}

export type DecodedManagedFields =
  | { readonly ok: true; readonly managed: Managed }
  | { readonly ok: false; readonly message: string };

/** DecodeManagedFields over metadata.managedFields as stored (undefined or null: nothing is managed). */
export function decodeManagedFields(value: unknown): DecodedManagedFields {
  if (value === undefined || value === null) return { ok: true, managed: new Map() };
  if (!Array.isArray(value)) return { ok: false, message: 'managedFields must be a list' };
  const managed = new Map<string, ManagedSet>();
  for (const [i, entry] of value.entries()) {
    const decoded = decodeEntry(entry, i);
    if (typeof decoded === 'string') return { ok: false, message: decoded };
    managed.set(managerIdentifier(decoded.identity), decoded);
  }
  return { ok: true, managed };
}

/** Why a metadata.managedFields value cannot be decoded, or undefined when it can. */
export function validateManagedFields(value: unknown): string | undefined {
  const decoded = decodeManagedFields(value);
  return decoded.ok ? undefined : decoded.message;
}

const ENTRY_STRINGS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'subresource'] as const;

function decodeEntry(entry: unknown, i: number): ManagedSet | string {
  if (!isJsonObject(entry)) return `managed fields entry ${i} must be an object`;
  for (const key of ENTRY_STRINGS) {
    const v = entry[key];
    if (v !== undefined && v !== null && typeof v !== 'string')
      return `${key} of managed fields entry ${i} must be a string`;
  }
  const text = (key: (typeof ENTRY_STRINGS)[number]) =>
    typeof entry[key] === 'string' ? (entry[key] as string) : '';
  const operation = text('operation');
  if (operation !== 'Apply' && operation !== 'Update') return 'operation must be `Apply` or `Update`';
  if (text('apiVersion') === '') return 'apiVersion must not be empty';
  const fieldsType = text('fieldsType');
  if (fieldsType === '') return `missing fieldsType in managed fields entry ${i}`;
  if (fieldsType !== 'FieldsV1')
    return `invalid fieldsType ${goQuote(fieldsType)} in managed fields entry ${i}`;
  const time = text('time');
  if (time !== '' && Number.isNaN(Date.parse(time)))
    return `time of managed fields entry ${i} is not RFC 3339`;
  const fields = decodeFieldsV1(entry.fieldsV1 ?? {});
  if (!fields.ok)
    return `error decoding versioned set of managed fields entry ${i}: error decoding set: ${fields.message}`;
  const subresource = text('subresource');
  const identity: ManagerIdentity = {
    manager: text('manager'),
    operation,
    apiVersion: text('apiVersion'),
    ...(subresource === '' ? {} : { subresource }),
  };
  return { identity, set: fields.set, ...(time === '' ? {} : { time }) };
}

/**
 * encodeManagedFields: one entry per manager, sorted by operation, time, manager, apiVersion, subresource.
 * The fieldsV1 values are shared with other calls' results: copy the entries before changing them.
 */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  return [...managed.values()].sort(compareEntries).map(encodeEntry);
}

// Assigned key by key, in Kubernetes' order, rather than spread: this runs for every entry of every write.
function encodeEntry({ identity, set, time }: ManagedSet): ManagedFieldsEntry {
  const entry = {} as { -readonly [K in keyof ManagedFieldsEntry]: ManagedFieldsEntry[K] };
  if (identity.manager !== '') entry.manager = identity.manager;
  entry.operation = identity.operation;
  entry.apiVersion = identity.apiVersion;
  if (time !== undefined) entry.time = time;
  entry.fieldsType = 'FieldsV1';
  entry.fieldsV1 = encodedFields(set);
  if (identity.subresource !== undefined) entry.subresource = identity.subresource;
  return entry;
}

// Managers a write leaves alone keep the very set their entry decoded to (decodeFieldsV1 caches it), so
// their FieldsV1 is encoded once and then shared.
const encodedSets = new WeakMap<FieldSet, Record<string, unknown>>();

function encodedFields(set: FieldSet): Record<string, unknown> {
  let encoded = encodedSets.get(set);
  if (encoded === undefined) {
    encoded = encodeFieldsV1(set);
    encodedSets.set(set, encoded);
  }
  return encoded;
}

function compareEntries(a: ManagedSet, b: ManagedSet): number {
  const p = a.identity;
  const q = b.identity;
  if (p.operation !== q.operation) return compareUtf8(p.operation, q.operation);
  const byTime = timeSeconds(a.time) - timeSeconds(b.time);
  if (byTime !== 0) return byTime;
  if (p.manager !== q.manager) return compareUtf8(p.manager, q.manager);
  if (p.apiVersion !== q.apiVersion) return compareUtf8(p.apiVersion, q.apiVersion);
  return compareUtf8(p.subresource ?? '', q.subresource ?? '');
}

/** Unix seconds of an entry's time; an entry without one sorts as the epoch, as in Kubernetes. */
export function timeSeconds(time: string | undefined): number {
  return time === undefined ? 0 : Math.floor(Date.parse(time) / 1000);
}

type JsonObject = Readonly<Record<string, unknown>>;

/** metadata.managedFields as the object stores it (undefined when absent). */
export function storedManagedFields(object: JsonObject | undefined): unknown {
  const metadata = object?.metadata;
  return isJsonObject(metadata) ? metadata.managedFields : undefined;
}

/**
 * The object with metadata.managedFields set to the encoded sets, or removed when nothing is managed; like
 * encodeManagedFields, it shares the fieldsV1 values, so callers copy the result.
 */
export function withManagedFields(object: JsonObject, managed: Managed): Record<string, unknown> {
  return withStoredManagedFields(object, managed.size === 0 ? undefined : encodeManagedFields(managed));
}

/** The object with metadata.managedFields set to a raw value, or removed when the value is undefined. */
export function withStoredManagedFields(object: JsonObject, value: unknown): Record<string, unknown> {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  const { managedFields: _dropped, ...rest } = metadata;
  if (value === undefined && !isJsonObject(object.metadata)) return { ...object };
  return { ...object, metadata: value === undefined ? rest : { ...rest, managedFields: value } };
}
