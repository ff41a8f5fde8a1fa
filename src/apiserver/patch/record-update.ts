import { capUpdateManagers } from './cap-managers.ts';
import { EMPTY_FIELD_SET, isEmptySet, setsEqual, union } from './field-set.ts';
import { type Managed, type ManagerIdentity, managerIdentifier } from './managed-fields.ts';
import { withoutUnmanaged } from './unmanaged-fields.ts';
import { type OwnershipContext, updateOwnership } from './updater.ts';

/**
 * The managed sets after a non-apply write (capManagers, managedFieldsUpdater, stripMeta, Updater.Update):
 * what changed becomes the writer's, stamped with now; a write that changed nothing leaves the writer's
 * entry and time as they were.
 */
export function recordUpdate(
  live: unknown,
  next: unknown,
  context: OwnershipContext,
  managed: Managed,
  writer: ManagerIdentity,
  now: string,
): Managed {
  const ownership = updateOwnership(live, next, context, managed);
  const mine = withoutUnmanaged(ownership.changed);
  if (isEmptySet(mine)) return capUpdateManagers(ownership.managed);
  const id = managerIdentifier(writer);
  const previous = ownership.managed.get(id)?.set ?? EMPTY_FIELD_SET;
  const set = union(mine, previous);
  // A writer that changes the fields it already owns ends with the set it started with: keeping that very
  // set lets its encoding be reused (equal sets encode alike).
  const before = managed.get(id)?.set;
  const kept = before !== undefined && setsEqual(set, before) ? before : set;
  const out = new Map(ownership.managed).set(id, { identity: writer, set: kept, time: now });
  return capUpdateManagers(out);
}
