import { goJson, utf8Length } from '../schema/go-format.ts';
import { isJsonObject } from '../schema/json-schema.ts';
import { setKey } from '../schema/json-value.ts';
import { difference, type FieldSet } from './field-set.ts';
import type { TypeRef } from './field-type.ts';
import { toFieldSet } from './to-field-set.ts';
import { compareTyped } from './typed-compare.ts';
import { typedValueErrors } from './typed-validation.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies take over client-side apply (kubectl apply --server-side by default). */
export const KUBECTL_MANAGER = 'kubectl';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

type JsonObject = Readonly<Record<string, unknown>>;

function lastApplied(object: JsonObject): string | undefined {
  const metadata = object.metadata;
  const annotations = isJsonObject(metadata) ? metadata.annotations : undefined;
  const value = isJsonObject(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * lastAppliedManager: the fields of the client-side last-applied configuration that the live object still
 * holds unchanged. A kubectl server-side apply may take these from their owners without a conflict.
 */
export function lastAppliedFields(live: JsonObject, type: TypeRef, apiVersion: string): FieldSet | undefined {
  const text = lastApplied(live);
  if (text === undefined) return undefined;
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(applied) || applied.apiVersion !== apiVersion) return undefined;
  if (typedValueErrors(applied, type, false).length > 0) return undefined;
  const { added, modified, removed } = compareTyped(applied, live, type);
  return difference(difference(difference(toFieldSet(applied, type), modified), added), removed);
}

/**
 * lastAppliedUpdater: when kubectl applies server-side to an object that still carries the client-side
 * annotation, the annotation becomes the applied configuration, so a later client-side apply agrees.
 */
export function withLastAppliedOf(object: JsonObject, config: JsonObject): JsonObject {
  if (lastApplied(object) === undefined) return object;
  const metadata = object.metadata as Record<string, unknown>;
  const annotations: Record<string, unknown> = { ...(metadata.annotations as Record<string, unknown>) };
  setKey(annotations, LAST_APPLIED_ANNOTATION, `${goJson(withoutLastApplied(config))}\n`);
  if (annotationsSize(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
  return { ...object, metadata: { ...metadata, annotations } };
}

function withoutLastApplied(config: JsonObject): JsonObject {
  const metadata = config.metadata;
  if (!isJsonObject(metadata) || !isJsonObject(metadata.annotations)) return config;
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...annotations } = metadata.annotations;
  return { ...config, metadata: { ...metadata, annotations } };
}

function annotationsSize(annotations: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += utf8Length(k) + utf8Length(String(v));
  return total;
}
