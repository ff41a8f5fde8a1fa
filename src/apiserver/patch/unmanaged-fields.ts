import { difference, type FieldSet, fieldSetOf } from './field-set.ts';
import { fieldPath } from './path-element.ts';

const META = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'clusterName',
] as const;

const UNMANAGED = fieldSetOf([
  fieldPath('apiVersion'),
  fieldPath('kind'),
  fieldPath('metadata'),
  ...META.map((name) => fieldPath('metadata', name)),
]);

/**
 * A writer's set without the fields no manager ever owns (stripMeta): type and identity metadata, the
 * server-maintained metadata, and metadata itself (its labels and annotations stay managed).
 */
export function withoutUnmanaged(set: FieldSet): FieldSet {
  return difference(set, UNMANAGED);
}
