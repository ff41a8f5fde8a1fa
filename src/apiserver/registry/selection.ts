import {
  checkFieldLabels,
  fieldValue,
  matchesFields,
  parseFieldSelector,
} from '../selectors/field-selector.ts';
import { matchesLabels, parseLabelSelector } from '../selectors/label-selector.ts';
import { badRequest } from '../status-errors.ts';
import type { ApiObject } from './object-codec.ts';
import type { ResourceInfo } from './resource-info.ts';

export interface Selection {
  /** No selector was given: every object matches. */
  readonly everything: boolean;
  matches(object: ApiObject): boolean;
}

const BASE_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Label and field selectors of a list or watch, checked up front (400 for a bad one) and then matched. */
export function compileSelection(
  resource: Pick<ResourceInfo, 'selectableFields' | 'namespaced'>,
  query: { readonly labelSelector?: string; readonly fieldSelector?: string },
  read: (object: ApiObject, label: string) => string | undefined = fieldValue,
): Selection {
  const labelText = query.labelSelector ?? '';
  const fieldText = query.fieldSelector ?? '';
  if (labelText.trim() === '' && fieldText.trim() === '') return { everything: true, matches: () => true };
  const labels = parseLabelSelector(labelText);
  if (!labels.ok) throw badRequest(labels.message);
  const fields = parseFieldSelector(fieldText);
  if (!fields.ok) throw badRequest(fields.message);
  const base = resource.namespaced ? BASE_FIELDS : ['metadata.name'];
  const unsupported = checkFieldLabels(fields.selector, [...base, ...resource.selectableFields]);
  if (unsupported !== undefined) throw badRequest(unsupported);
  const labelSelector = labels.selector;
  const fieldSelector = fields.selector;
  return {
    everything: false,
    matches: (object) =>
      matchesLabels(labelSelector, object.metadata.labels) &&
      matchesFields(fieldSelector, (label) => read(object, label)),
  };
}
