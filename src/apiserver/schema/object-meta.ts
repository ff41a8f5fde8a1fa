import { type FieldError, forbidden, invalid, required, tooLong } from './field-error.ts';
import { childPath, keyPath } from './field-path.ts';
import { goJson, utf8Length } from './go-format.ts';
import { isJsonObject } from './json-schema.ts';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  parseGroupVersion,
} from './k8s-names.ts';

export interface ObjectMetaOptions {
  readonly namespaced: boolean;
  /** Where the metadata sits; 'metadata' unless it belongs to an embedded resource. */
  readonly path?: string;
  /** Custom resources' names are DNS-1123 subdomains; embedded resources only need to be path segments. */
  readonly names?: 'dns1123-subdomain' | 'path-segment';
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateObjectMetaAccessor for a create: name, namespace, labels, annotations, owners, finalizers. */
export function validateObjectMeta(meta: unknown, options: ObjectMetaOptions): FieldError[] {
  const path = options.path ?? 'metadata';
  const decodeError = objectMetaDecodeError(meta);
  if (decodeError !== undefined) return [invalid(path, meta, decodeError)];
  const m = (meta ?? {}) as Record<string, unknown>;
  const nameFn = options.names === 'path-segment' ? isPathSegmentName : subdomainName;
  const errs: FieldError[] = [];

  const generateName = str(m.generateName);
  if (generateName !== '') {
    for (const msg of nameFn(generateName, true)) {
      errs.push(invalid(childPath(path, 'generateName'), generateName, msg));
    }
  }
  const name = str(m.name);
  if (name === '') errs.push(required(childPath(path, 'name'), 'name or generateName is required'));
  else for (const msg of nameFn(name, false)) errs.push(invalid(childPath(path, 'name'), name, msg));

  const namespace = str(m.namespace);
  if (options.namespaced) {
    if (namespace === '') errs.push(required(childPath(path, 'namespace')));
    else
      for (const msg of isDns1123Label(namespace))
        errs.push(invalid(childPath(path, 'namespace'), namespace, msg));
  } else if (namespace !== '') {
    errs.push(forbidden(childPath(path, 'namespace'), 'not allowed on this type'));
  }

  const generation = typeof m.generation === 'number' ? m.generation : 0;
  if (generation < 0) {
    errs.push(invalid(childPath(path, 'generation'), generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(stringMap(m.labels), childPath(path, 'labels')));
  errs.push(...validateAnnotations(stringMap(m.annotations), childPath(path, 'annotations')));
  errs.push(
    ...validateOwnerReferences(
      Array.isArray(m.ownerReferences) ? m.ownerReferences : [],
      childPath(path, 'ownerReferences'),
    ),
  );
  errs.push(
    ...validateFinalizers(
      Array.isArray(m.finalizers) ? m.finalizers.map(str) : [],
      childPath(path, 'finalizers'),
    ),
  );
  return errs;
}

function validateLabels(labels: Readonly<Record<string, string>>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
  return errs;
}

function validateAnnotations(annotations: Readonly<Record<string, string>>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    size += utf8Length(k) + utf8Length(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

function ownerReference(value: unknown): OwnerReference {
  const o = isJsonObject(value) ? value : {};
  const ref: OwnerReference = {
    apiVersion: str(o.apiVersion),
    kind: str(o.kind),
    name: str(o.name),
    uid: str(o.uid),
  };
  const controller = typeof o.controller === 'boolean' ? { controller: o.controller } : {};
  const block = typeof o.blockOwnerDeletion === 'boolean' ? { blockOwnerDeletion: o.blockOwnerDeletion } : {};
  return { ...ref, ...controller, ...block };
}

function ownerReferenceJson(ref: OwnerReference): string {
  const fields = [
    `"apiVersion":${goJson(ref.apiVersion)}`,
    `"kind":${goJson(ref.kind)}`,
    `"name":${goJson(ref.name)}`,
    `"uid":${goJson(ref.uid)}`,
  ];
  if (ref.controller !== undefined) fields.push(`"controller":${ref.controller}`);
  if (ref.blockOwnerDeletion !== undefined) fields.push(`"blockOwnerDeletion":${ref.blockOwnerDeletion}`);
  return `{${fields.join(',')}}`;
}

function validateOwnerReferences(values: readonly unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const refs = values.map(ownerReference);
  let firstController = '';
  refs.forEach((ref, i) => {
    const at = keyPath(path, i);
    const gv = parseGroupVersion(ref.apiVersion);
    if (ref.apiVersion === '') errs.push(required(childPath(at, 'apiVersion'), 'must not be empty'));
    else if (!gv.ok || gv.version === '') {
      errs.push(
        invalid(childPath(at, 'apiVersion'), ref.apiVersion, 'must be <group>/<version> or <version>'),
      );
    }
    if (ref.kind === '') errs.push(required(childPath(at, 'kind'), 'must not be empty'));
    if (ref.name === '') errs.push(required(childPath(at, 'name'), 'must not be empty'));
    if (ref.uid === '') errs.push(required(childPath(at, 'uid'), 'must not be empty'));
    const group = gv.ok ? gv.group : '';
    const version = gv.ok ? gv.version : '';
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(
        invalidRaw(
          at,
          ownerReferenceJson(ref),
          `${group}/${version}, Kind=${ref.kind} is disallowed from being an owner`,
        ),
      );
    }
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          invalidRaw(
            path,
            `[${refs.map(ownerReferenceJson).join(',')}]`,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  });
  return errs;
}

function invalidRaw(path: string, json: string, detail: string): FieldError {
  return { reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${json}: ${detail}` };
}

function validateFinalizers(finalizers: readonly string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function subdomainName(name: string, prefix: boolean): string[] {
  return isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function stringMap(v: unknown): Readonly<Record<string, string>> {
  if (!isJsonObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)]));
}

const STRING_FIELDS = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'selfLink'];

/** The error Go's json.Unmarshal into metav1.ObjectMeta gives for this value, or undefined if it decodes. */
export function objectMetaDecodeError(meta: unknown): string | undefined {
  if (meta === null || meta === undefined) return undefined;
  if (!isJsonObject(meta))
    return `json: cannot unmarshal ${jsonKind(meta)} into Go value of type v1.ObjectMeta`;
  for (const [k, v] of Object.entries(meta)) {
    if (v === null) continue;
    if (STRING_FIELDS.includes(k) && typeof v !== 'string') return fieldError(k, v, 'string');
    if (
      (k === 'generation' || k === 'deletionGracePeriodSeconds') &&
      !(typeof v === 'number' && Number.isInteger(v))
    ) {
      return fieldError(k, v, 'int64');
    }
    if (k === 'labels' || k === 'annotations') {
      if (!isJsonObject(v)) return fieldError(k, v, 'map[string]string');
      const bad = Object.values(v).find((x) => x !== null && typeof x !== 'string');
      if (bad !== undefined) return fieldError(k, bad, 'string');
    }
    if (k === 'finalizers') {
      if (!Array.isArray(v)) return fieldError(k, v, '[]string');
      const bad = v.find((x) => x !== null && typeof x !== 'string');
      if (bad !== undefined) return fieldError(k, bad, 'string');
    }
    if (k === 'ownerReferences') {
      if (!Array.isArray(v)) return fieldError(k, v, '[]v1.OwnerReference');
      const bad = v.find((x) => x !== null && !isJsonObject(x));
      if (bad !== undefined) return fieldError(k, bad, 'v1.OwnerReference');
    }
  }
  return undefined;
}

function fieldError(field: string, v: unknown, goType: string): string {
  return `json: cannot unmarshal ${jsonKind(v, goType === 'int64')} into Go struct field ObjectMeta.${field} of type ${goType}`;
}

function jsonKind(v: unknown, intTarget = false): string {
  if (typeof v === 'number') return intTarget && !Number.isInteger(v) ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
