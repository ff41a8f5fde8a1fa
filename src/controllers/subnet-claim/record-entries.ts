import {
  formatAllocationEntry,
  type NetworkAllocationEntry,
  parseAllocationEntry,
} from '../../api/network-allocation.ts';
import { keyOf } from '../../client/kube-object.ts';
import type { RecordObject } from './indexes.ts';

const parsed = new WeakMap<RecordObject, readonly NetworkAllocationEntry[]>();
const byUid = new WeakMap<RecordObject, ReadonlyMap<string, NetworkAllocationEntry>>();

/**
 * The record's entries, parsed from their stored lines once per cached object (cached objects are never
 * changed). A line that is not an entry is skipped: the API server's schema refuses those.
 */
export function recordEntries(record: RecordObject | undefined): readonly NetworkAllocationEntry[] {
  if (record === undefined) return [];
  let entries = parsed.get(record);
  if (entries === undefined) {
    entries = record.spec.allocations.flatMap((line) => parseAllocationEntry(line) ?? []);
    parsed.set(record, entries);
  }
  return entries;
}

/** The spec of a record holding `entries`, as the API stores them. */
export function allocationSpec(network: string, entries: readonly NetworkAllocationEntry[]) {
  return {
    networkRef: { name: network },
    allocations: entries.map(formatAllocationEntry),
    count: entries.length,
  };
}

/** The record's entry for the holder with this uid; records are indexed once, as cached objects are never changed. */
export function entryOf(record: RecordObject | undefined, uid: string): NetworkAllocationEntry | undefined {
  if (record === undefined) return undefined;
  let entries = byUid.get(record);
  if (entries === undefined) {
    entries = new Map(recordEntries(record).map((entry) => [entry.uid, entry]));
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
  for (const entry of recordEntries(after)) {
    if (entryOf(before, entry.uid)?.cidr !== entry.cidr) claimKey(entry);
  }
  for (const entry of recordEntries(before)) {
    if (entryOf(after, entry.uid) === undefined) claimKey(entry);
  }
  return keys;
}
