import assert from 'node:assert/strict';
import { setPaths } from '../field-set.ts';
import { decodeFieldsV1 } from '../fields-v1.ts';
import { type ManagedFieldsEntry, storedManagedFields } from '../managed-fields.ts';
import { pathString } from '../path-element.ts';

type JsonObject = Readonly<Record<string, unknown>>;

export function managedEntries(object: JsonObject): ManagedFieldsEntry[] {
  return (storedManagedFields(object) ?? []) as ManagedFieldsEntry[];
}

/** The entry of one manager and operation; fails the test when there is none. */
export function entryOf(
  object: JsonObject,
  manager: string,
  operation: 'Apply' | 'Update' = 'Apply',
): ManagedFieldsEntry {
  const entry = managedEntries(object).find((e) => e.manager === manager && e.operation === operation);
  assert.ok(entry, `${manager} has an ${operation} entry`);
  return entry;
}

/** The paths a manager's entry owns, printed like conflicts (`.spec.mtu`), sorted. */
export function ownedBy(
  object: JsonObject,
  manager: string,
  operation: 'Apply' | 'Update' = 'Apply',
): string[] {
  const decoded = decodeFieldsV1(entryOf(object, manager, operation).fieldsV1);
  assert.ok(decoded.ok, 'the entry decodes');
  return setPaths(decoded.set).map(pathString).sort();
}

export function managers(object: JsonObject): string[] {
  return managedEntries(object).map((e) => `${e.manager}/${e.operation}`);
}
