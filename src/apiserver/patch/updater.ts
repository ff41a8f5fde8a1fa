import { compareUtf8 } from './byte-order.ts';
import type { Conflict } from './conflict.ts';
import {
  difference,
  EMPTY_FIELD_SET,
  type FieldSet,
  intersection,
  isEmptySet,
  recursiveDifference,
  setPaths,
  union,
} from './field-set.ts';
import type { TypeRef } from './field-type.ts';
import { type Managed, type ManagedSet, type ManagerIdentity, managerIdentifier } from './managed-fields.ts';
import { ensureNamedFieldsAreMembers } from './named-fields.ts';
import { pathString } from './path-element.ts';
import { removeItems } from './remove-items.ts';
import { toFieldSet } from './to-field-set.ts';
import { type Comparison, compareTyped } from './typed-compare.ts';
import { mergeTyped } from './typed-merge.ts';

/** The object's type and the fields this endpoint never manages (e.g. status on the main resource). */
export interface OwnershipContext {
  readonly type: TypeRef;
  readonly ignored: FieldSet;
}

interface Ownership {
  /** Fields that changed and that another manager owns, by that manager's identifier. */
  readonly taken: ReadonlyMap<string, FieldSet>;
  /** The sets once the taken fields are removed from their owners. */
  readonly managed: Managed;
  readonly comparison: Comparison;
}

// Updater.update: fields that changed from live to next and that another manager owns are conflicts, taken
// from that manager when forced. Removed fields leave every manager but the writer.
function transferOwnership(
  live: unknown,
  next: unknown,
  context: OwnershipContext,
  managed: Managed,
  writer: string,
): Ownership {
  const raw = compareTyped(live, next, context.type);
  const comparison: Comparison = {
    added: recursiveDifference(raw.added, context.ignored),
    modified: recursiveDifference(raw.modified, context.ignored),
    removed: recursiveDifference(raw.removed, context.ignored),
  };
  const changed = union(comparison.modified, comparison.added);
  const taken = new Map<string, FieldSet>();
  for (const [id, entry] of managed) {
    if (id === writer) continue;
    const owned = intersection(entry.set, changed);
    if (!isEmptySet(owned)) taken.set(id, owned);
  }
  const out = new Map<string, ManagedSet>();
  for (const [id, entry] of managed) {
    const set =
      id === writer
        ? entry.set
        : difference(difference(entry.set, taken.get(id) ?? EMPTY_FIELD_SET), comparison.removed);
    if (!isEmptySet(set)) out.set(id, { ...entry, set });
  }
  return { taken, managed: out, comparison };
}

// The conflicts of an ownership transfer, grouped by manager in identifier order.
function conflictsOf(ownership: Ownership, managed: Managed): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const id of [...ownership.taken.keys()].sort(compareUtf8)) {
    const { identity } = managed.get(id)!;
    conflicts.push(
      ...setPaths(ownership.taken.get(id)!).map((path) => ({ ...identity, field: pathString(path) })),
    );
  }
  return conflicts;
}

export type Applied =
  | { readonly ok: true; readonly object: unknown; readonly managed: Managed }
  | { readonly ok: false; readonly conflicts: readonly Conflict[] };

/**
 * Updater.Apply: merge the configuration into live, make the configuration's fields the applier's set, prune
 * what the applier owned last time and no longer applies (unless someone else owns it), then settle
 * conflicts and ownership against the live object.
 */
export function applyOwnership(
  live: unknown,
  config: unknown,
  context: OwnershipContext,
  managed: Managed,
  applier: ManagerIdentity,
  force: boolean,
): Applied {
  const id = managerIdentifier(applier);
  const last = managed.get(id);
  const set = recursiveDifference(toFieldSet(config, context.type), context.ignored);
  const withApplier = new Map(managed).set(id, { ...last, identity: applier, set });
  const merged = mergeTyped(live, config, context.type);
  const pruned = prune(merged, withApplier, last?.set, context.type);
  const ownership = transferOwnership(live, pruned, context, withApplier, id);
  if (!force && ownership.taken.size > 0)
    return { ok: false, conflicts: conflictsOf(ownership, withApplier) };
  return { ok: true, object: pruned, managed: ownership.managed };
}

// Updater.prune, addBackOwnedItems and addBackDanglingItems in one: remove what the applier owned last time,
// keep what anyone owns now, and never remove a field the applier did not own before.
function prune(merged: unknown, managed: Managed, lastSet: FieldSet | undefined, type: TypeRef): unknown {
  if (lastSet === undefined || isEmptySet(lastSet)) return merged;
  const named = (set: FieldSet) => ensureNamedFieldsAreMembers(set, type);
  const last = named(lastSet);
  const mergedSet = named(toFieldSet(merged, type));
  let owned = EMPTY_FIELD_SET;
  for (const entry of managed.values()) owned = union(owned, entry.set);
  const firstCut = removeItems(merged, last, type);
  const ownedBack = removeItems(
    merged,
    difference(mergedSet, union(named(toFieldSet(firstCut, type)), named(owned))),
    type,
  );
  const removable = intersection(difference(mergedSet, named(toFieldSet(ownedBack, type))), last);
  return removeItems(merged, removable, type);
}

// A non-apply writer has no set yet: every existing manager is someone else.
const NO_WRITER = '';

/**
 * Updater.Update for a non-apply write: the fields that changed are taken from their owners and returned as
 * the writer's new fields; fields removed leave every set.
 */
export function updateOwnership(
  live: unknown,
  next: unknown,
  context: OwnershipContext,
  managed: Managed,
): { readonly managed: Managed; readonly changed: FieldSet } {
  const ownership = transferOwnership(live, next, context, managed, NO_WRITER);
  const { added, modified } = ownership.comparison;
  return {
    managed: ownership.managed,
    changed: recursiveDifference(union(modified, added), context.ignored),
  };
}
