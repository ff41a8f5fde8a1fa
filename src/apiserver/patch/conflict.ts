import { goQuote } from '../schema/go-format.ts';
import { compareUtf8 } from './byte-order.ts';
import { type ManagerIdentity, managerIdentifier } from './managed-fields.ts';

/** A field an apply would change that another manager owns; field is printed like `.spec.mtu`. */
export interface Conflict extends ManagerIdentity {
  readonly field: string;
}

/** One details.causes entry of the 409 Conflict Status. */
export interface ConflictCause {
  readonly reason: 'FieldManagerConflict';
  readonly message: string;
  readonly field: string;
}

/**
 * The Status message kube-apiserver gives a refused apply: "Apply failed with 1 conflict: conflict with
 * "m" using g/v: .spec.mtu", or with several, one "conflicts with" block per manager in identifier order.
 */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const [only] = conflicts as [Conflict];
    return `Apply failed with 1 conflict: conflict with ${printManager(only)}: ${only.field}`;
  }
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const id = managerIdentifier(c);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const lines = [...byManager.keys()].sort(compareUtf8).flatMap((id) => {
    const group = byManager.get(id)!;
    return [`conflicts with ${printManager(group[0]!)}:`, ...group.map((c) => `- ${c.field}`)];
  });
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export function conflictCauses(conflicts: readonly Conflict[]): ConflictCause[] {
  return conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c)}`,
    field: c.field,
  }));
}

// Managers are identified without a time, so an Update manager never prints "at <time>".
function printManager(identity: ManagerIdentity): string {
  let text = goQuote(identity.manager);
  if (identity.subresource) text += ` with subresource ${goQuote(identity.subresource)}`;
  return identity.operation === 'Update' ? `${text} using ${identity.apiVersion}` : text;
}
