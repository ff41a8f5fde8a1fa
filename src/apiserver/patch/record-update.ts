import { capUpdateManagers } from './cap-managers.ts';
import { EMPTY_FIELD_SET, isEmptySet, union } from './field-set.ts';
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
  const out = new Map(ownership.managed).set(id, { identity: writer, set: union(mine, previous), time: now });
  return capUpdateManagers(out);
}
