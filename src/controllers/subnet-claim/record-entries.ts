import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { keyOf } from '../../client/kube-object.ts';
import type { RecordObject } from './indexes.ts';

const byUid = new WeakMap<RecordObject, ReadonlyMap<string, NetworkAllocationEntry>>();

/** The record's entry for the holder with this uid; records are indexed once, as cached objects are never changed. */
export function entryOf(record: RecordObject | undefined, uid: string): NetworkAllocationEntry | undefined {
  if (record === undefined) return undefined;
  let entries = byUid.get(record);
  if (entries === undefined) {
    entries = new Map(record.spec.allocations.map((entry) => [entry.uid, entry]));
    byUid.set(record, entries);
  }
  return entries.get(uid);
}

/** The keys of the claims whose entries differ between two versions of a record. */
export function changedClaimKeys(
  before: RecordObject | undefined,
  after: RecordObject | undefined,
): string[] {
  const namespace = (after ?? before)?.metadata.namespace;
  const keys: string[] = [];
  const claimKey = (entry: NetworkAllocationEntry): void => {
    if (entry.kind === 'SubnetClaim') keys.push(keyOf(namespace, entry.name));
  };
  for (const entry of after?.spec.allocations ?? []) {
    if (entryOf(before, entry.uid)?.cidr !== entry.cidr) claimKey(entry);
  }
  for (const entry of before?.spec.allocations ?? []) {
    if (entryOf(after, entry.uid) === undefined) claimKey(entry);
  }
  return keys;
}
