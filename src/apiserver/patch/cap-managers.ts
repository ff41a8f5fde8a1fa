import { compareUtf8 } from './byte-order.ts';
import { union } from './field-set.ts';
import { type Managed, type ManagedSet, managerIdentifier, timeSeconds } from './managed-fields.ts';

/** DefaultMaxUpdateManagers: beyond this many Update entries the oldest are merged into buckets. */
export const MAX_UPDATE_MANAGERS = 10;

const BUCKET_MANAGER = 'ancient-changes';

/**
 * capManagers: while there are too many Update entries, the oldest are merged, per apiVersion, into an
 * "ancient-changes" entry that takes the time of the latest entry merged into it.
 */
export function capUpdateManagers(managed: Managed): Managed {
  const updaters = [...managed.keys()].filter((id) => managed.get(id)!.identity.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managed;
  updaters.sort(
    (a, b) => timeSeconds(managed.get(a)!.time) - timeSeconds(managed.get(b)!.time) || compareUtf8(a, b),
  );
  const out = new Map(managed);
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const id of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const entry = out.get(id)!;
    const apiVersion = entry.identity.apiVersion;
    const first = firstOfVersion.get(apiVersion);
    if (first === undefined) {
      firstOfVersion.set(apiVersion, id);
      continue;
    }
    const bucketIdentity = { manager: BUCKET_MANAGER, operation: 'Update', apiVersion } as const;
    const bucketId = managerIdentifier(bucketIdentity);
    if (!out.has(bucketId)) {
      out.set(bucketId, { ...out.get(first)!, identity: bucketIdentity });
      out.delete(first);
    }
    const bucket: ManagedSet = {
      identity: bucketIdentity,
      set: union(entry.set, out.get(bucketId)!.set),
      ...(entry.time === undefined ? {} : { time: entry.time }),
    };
    out.delete(id);
    out.set(bucketId, bucket);
    length--;
  }
  return out;
}
