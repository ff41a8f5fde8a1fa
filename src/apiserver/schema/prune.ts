import { compareBytes, goQuote } from './go-format.ts';
import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';
import { deepClone } from './json-value.ts';

export interface PruneResult {
  readonly value: unknown;
  /** Paths of the dropped fields (`spec.foo`, `spec.items[0].bar`), sorted as Kubernetes sorts them. */
  readonly unknownFields: string[];
}

export interface PruneOptions {
  /** The value is a whole resource, whose apiVersion, kind and metadata are never pruned. Default true. */
  readonly isResourceRoot?: boolean;
}

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** pruning.PruneWithOptions on a copy: drops fields the structural schema does not specify. */
export function prune(
  schema: JsonSchemaProps | undefined,
  value: unknown,
  options: PruneOptions = {},
): PruneResult {
  const copy = deepClone(value);
  const unknown: string[] = [];
  let s = schema;
  if (options.isResourceRoot ?? true) s = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  pruneNode(copy, s, '', unknown);
  return { value: copy, unknownFields: unknown.sort(compareBytes) };
}

/** The warning or strict-decoding error kube-apiserver gives for a pruned field. */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

const append = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

function pruneNode(x: unknown, s: JsonSchemaProps | undefined, path: string, unknown: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, path, unknown);
    return;
  }
  if (Array.isArray(x)) {
    const items = s === undefined ? undefined : itemsSchema(s);
    x.forEach((v, i) => {
      pruneNode(v, items, `${path}[${i}]`, unknown);
    });
    return;
  }
  if (!isJsonObject(x)) return;
  for (const k of Object.keys(x)) {
    if (s === undefined) {
      unknown.push(append(path, k));
      delete x[k];
      continue;
    }
    if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
    if (s.properties && Object.hasOwn(s.properties, k))
      pruneNode(x[k], s.properties[k], append(path, k), unknown);
    else if (s.additionalProperties !== undefined) {
      pruneNode(x[k], additionalPropertiesSchema(s), append(path, k), unknown);
    } else {
      if (!META_FIELDS.has(k) || path !== '') unknown.push(append(path, k));
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: JsonSchemaProps, path: string, unknown: string[]): void {
  if (Array.isArray(x)) {
    const items = itemsSchema(s);
    if (items)
      x.forEach((v, i) => {
        skipPrune(v, items, `${path}[${i}]`, unknown);
      });
    return;
  }
  if (!isJsonObject(x)) return;
  for (const k of Object.keys(x)) {
    if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
    if (s.properties && Object.hasOwn(s.properties, k))
      pruneNode(x[k], s.properties[k], append(path, k), unknown);
    else if (s.additionalProperties !== undefined)
      pruneNode(x[k], additionalPropertiesSchema(s), append(path, k), unknown);
  }
}
