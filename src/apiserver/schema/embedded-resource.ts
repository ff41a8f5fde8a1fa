import { type FieldError, invalid, required } from './field-error.ts';
import { childPath, type FieldPath, keyPath, pathString } from './field-path.ts';
import { isJsonObject, type JsonSchemaProps } from './json-schema.ts';
import { isDns1035Label, parseGroupVersion } from './k8s-names.ts';
import { objectMetaDecodeError, validateObjectMeta } from './object-meta.ts';
import { schemaFacts } from './schema-facts.ts';

/** objectmeta.Validate: every x-kubernetes-embedded-resource value needs apiVersion, kind and valid metadata. */
export function embeddedResourceErrors(
  schema: JsonSchemaProps,
  value: unknown,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, path, errs);
  return errs;
}

function walk(s: JsonSchemaProps | undefined, value: unknown, path: FieldPath, errs: FieldError[]): void {
  if (s === undefined || typeof value !== 'object' || value === null) return;
  const facts = schemaFacts(s);
  if (!facts.embeddedResources) return;
  if (Array.isArray(value)) {
    const items = facts.items;
    for (let i = 0; i < value.length; i++) walk(items, value[i], keyPath(path, i), errs);
    return;
  }
  const object = value as Record<string, unknown>;
  if (s['x-kubernetes-embedded-resource']) errs.push(...embeddedErrors(object, path));
  const properties = facts.properties;
  for (const k of Object.keys(object)) {
    if (Object.hasOwn(properties, k)) walk(properties[k], object[k], childPath(path, k), errs);
    else if (s.additionalProperties !== undefined) walk(facts.additional, object[k], keyPath(path, k), errs);
  }
}

function embeddedErrors(x: Record<string, unknown>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Object.hasOwn(x, 'apiVersion')) errs.push(required(childPath(path, 'apiVersion')));
  if (!Object.hasOwn(x, 'kind')) errs.push(required(childPath(path, 'kind')));
  for (const [k, v] of Object.entries(x)) {
    if (k === 'apiVersion') {
      const at = childPath(path, k);
      if (typeof v !== 'string') errs.push(invalid(at, v, 'must be a string'));
      else if (v === '') errs.push(invalid(at, v, 'must not be empty'));
      else {
        const gv = parseGroupVersion(v);
        if (!gv.ok) errs.push(invalid(at, v, gv.error));
      }
    } else if (k === 'kind') {
      const at = childPath(path, k);
      if (typeof v !== 'string') errs.push(invalid(at, v, 'must be a string'));
      else if (v === '') errs.push(invalid(at, v, 'must not be empty'));
      else {
        const problems = isDns1035Label(v.toLowerCase());
        if (problems.length > 0) {
          errs.push(invalid(at, v, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
        }
      }
    } else if (k === 'metadata') {
      const at = childPath(path, k);
      const decodeError = objectMetaDecodeError(v);
      if (decodeError !== undefined) {
        errs.push(invalid(at, v, decodeError));
        continue;
      }
      const meta = isJsonObject(v) ? v : {};
      const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'fakename';
      const namespaced = typeof meta.namespace === 'string' && meta.namespace !== '';
      errs.push(
        ...validateObjectMeta({ ...meta, name }, { namespaced, path: pathString(at), names: 'path-segment' }),
      );
    }
  }
  return errs;
}
