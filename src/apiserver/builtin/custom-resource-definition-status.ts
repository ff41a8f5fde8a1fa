import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionStatus,
} from './custom-resource-definition.ts';

export const CRD_CONDITION_TYPES = ['NamesAccepted', 'Established'] as const;
export const NAMES_ACCEPTED_REASONS = [
  'NoConflicts',
  'PluralConflict',
  'SingularConflict',
  'ShortNamesConflict',
  'KindConflict',
  'ListKindConflict',
] as const;
export const ESTABLISHED_REASONS = ['InitialNamesAccepted', 'NotAccepted'] as const;

type Condition = CustomResourceDefinitionCondition;

export type ComputedStatus = CustomResourceDefinitionStatus & {
  readonly conditions: Condition[];
  readonly acceptedNames: CustomResourceDefinitionNames;
  readonly storedVersions: string[];
};

/**
 * The status apiextensions' naming and establishing controllers converge on: each requested name is accepted
 * unless another CRD of the group already serves it (`"networks" is already in use`), Established turns True
 * once all names are accepted and stays so, and storedVersions gains the storage version. Unchanged
 * conditions keep their lastTransitionTime; `now` stamps the changed ones.
 */
export function customResourceDefinitionStatus(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  now: Date = new Date(),
): ComputedStatus {
  const previous = crd.status ?? {};
  const accepted = previous.acceptedNames ?? { plural: '', kind: '' };
  const naming = acceptNames(crd.spec.names, accepted, namesInUse(crd, others));
  const at = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const established = establishedCondition(previous.conditions ?? [], naming.condition);
  const conditions = setCondition(
    setCondition(previous.conditions ?? [], naming.condition, at),
    established,
    at,
  );
  return { ...previous, conditions, acceptedNames: naming.names, storedVersions: storedVersions(crd) };
}

interface NamesInUse {
  readonly resources: ReadonlySet<string>;
  readonly kinds: ReadonlySet<string>;
}

function namesInUse(crd: CustomResourceDefinition, others: readonly CustomResourceDefinition[]): NamesInUse {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  const group = [crd, ...others.filter((o) => o.metadata.name !== crd.metadata.name)].filter(
    (o) => o.spec.group === crd.spec.group,
  );
  for (const { status } of group) {
    const names = status?.acceptedNames;
    if (names === undefined) continue;
    for (const name of [names.plural, names.singular ?? '', ...(names.shortNames ?? [])]) resources.add(name);
    for (const kind of [names.kind, names.listKind ?? '']) kinds.add(kind);
  }
  resources.delete('');
  kinds.delete('');
  return { resources, kinds };
}

type Problem = { readonly reason: (typeof NAMES_ACCEPTED_REASONS)[number]; readonly message: string };

function acceptNames(
  requested: CustomResourceDefinitionNames,
  accepted: CustomResourceDefinitionNames,
  inUse: NamesInUse,
): { names: CustomResourceDefinitionNames; condition: Condition } {
  let names: CustomResourceDefinitionNames = { ...accepted };
  let problem: Problem | undefined;
  const take = <K extends keyof CustomResourceDefinitionNames>(
    key: K,
    used: ReadonlySet<string>,
    reason: Problem['reason'],
  ): void => {
    const want = (requested[key] ?? '') as string;
    if (want === (accepted[key] ?? '') || !used.has(want)) names = { ...names, [key]: requested[key] };
    else problem = { reason, message: `"${want}" is already in use` };
  };
  take('plural', inUse.resources, 'PluralConflict');
  take('singular', inUse.resources, 'SingularConflict');
  const wantShort = requested.shortNames ?? [];
  const haveShort = accepted.shortNames ?? [];
  if (wantShort.join('\0') !== haveShort.join('\0')) {
    const taken = wantShort.filter((s) => !haveShort.includes(s) && inUse.resources.has(s));
    if (taken.length > 0) problem = { reason: 'ShortNamesConflict', message: aggregate(taken) };
    else names = { ...names, shortNames: [...wantShort] };
  }
  take('kind', inUse.kinds, 'KindConflict');
  take('listKind', inUse.kinds, 'ListKindConflict');
  const { categories: _, ...withoutCategories } = names;
  names =
    requested.categories === undefined
      ? withoutCategories
      : { ...names, categories: [...requested.categories] };
  const condition: Condition =
    problem === undefined
      ? { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }
      : { type: 'NamesAccepted', status: 'False', reason: problem.reason, message: problem.message };
  return { names, condition };
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several deduplicated in brackets. */
function aggregate(taken: readonly string[]): string {
  const messages = [...new Set(taken.map((name) => `"${name}" is already in use`))];
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

function establishedCondition(conditions: readonly Condition[], namesAccepted: Condition): Condition {
  const old = conditions.find((c) => c.type === 'Established');
  if (old?.status === 'True') return old;
  if (namesAccepted.status === 'True') {
    return {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    };
  }
  return (
    old ?? {
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    }
  );
}

/** SetCRDCondition: replace in place or append; the transition time moves only when the status does. */
function setCondition(conditions: readonly Condition[], next: Condition, at: string): Condition[] {
  const index = conditions.findIndex((c) => c.type === next.type);
  const existing = conditions[index];
  const moved = existing === undefined || existing.status !== next.status || !existing.lastTransitionTime;
  const stamped: Condition = {
    type: next.type,
    status: next.status,
    lastTransitionTime: moved ? at : existing.lastTransitionTime!,
    ...(next.reason === undefined ? {} : { reason: next.reason }),
    ...(next.message === undefined ? {} : { message: next.message }),
  };
  return index < 0 ? [...conditions, stamped] : conditions.map((c, i) => (i === index ? stamped : c));
}

function storedVersions(crd: CustomResourceDefinition): string[] {
  const stored = [...(crd.status?.storedVersions ?? [])];
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  return stored;
}
