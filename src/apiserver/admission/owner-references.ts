import { type FieldError, required } from '../schema/field-error.ts';

export type OwnerLookup = (owner: { apiVersion: string; kind: string; name: string }) => string | undefined;

/**
 * Fills in the uid of owner references that name an owner but omit its uid (as the specification's Subnet
 * example does), from the owner in the same namespace; refuses references whose owner cannot be found.
 */
export function resolveOwnerReferences(
  object: Record<string, unknown>,
  lookup: OwnerLookup,
): { object: Record<string, unknown>; errors: FieldError[] } {
  const metadata = object.metadata as { ownerReferences?: Record<string, unknown>[] } | undefined;
  const references = metadata?.ownerReferences;
  if (
    !Array.isArray(references) ||
    references.every((ref) => typeof ref?.uid === 'string' && ref.uid !== '')
  ) {
    return { object, errors: [] };
  }
  const errors: FieldError[] = [];
  const resolved = references.map((ref, i) => {
    if (typeof ref?.uid === 'string' && ref.uid !== '') return ref;
    if (typeof ref !== 'object' || ref === null) return ref;
    const { apiVersion, kind, name } = ref as { apiVersion?: unknown; kind?: unknown; name?: unknown };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return ref;
    const uid = lookup({ apiVersion, kind, name });
    if (uid === undefined) {
      errors.push(
        required(
          `metadata.ownerReferences[${i}].uid`,
          `${kind} ${JSON.stringify(name)} was not found in this namespace; create it first or give its uid`,
        ),
      );
      return ref;
    }
    return { ...ref, uid };
  });
  return { object: { ...object, metadata: { ...metadata, ownerReferences: resolved } }, errors };
}
