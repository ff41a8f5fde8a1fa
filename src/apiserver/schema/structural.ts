import { embeddedResourceErrors } from './embedded-resource.ts';
import {
  type FieldError,
  forbidden,
  formatFieldError,
  invalid,
  notSupported,
  required,
} from './field-error.ts';
import { keyPath } from './field-path.ts';
import { compareBytes } from './go-format.ts';
import { compileGoRegexp } from './go-regexp.ts';
import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';
import { deepEqual } from './json-value.ts';
import { type FormatCheckers, openApiErrors } from './openapi-validator.ts';
import { prune } from './prune.ts';
import { hasRules, type RuleEvaluator, ruleErrors } from './rule-evaluation.ts';
import { parseRuleFieldPath, usesOldSelf } from './rule-field-path.ts';

export interface StructuralOptions {
  /** Formats checked when validating defaults. */
  readonly formats?: FormatCheckers;
  /** Evaluates x-kubernetes-validations against defaults; without it defaults are only schema-checked. */
  readonly rules?: RuleEvaluator;
}

/**
 * The openAPIV3Schema checks kube-apiserver runs on a v1 CRD version: structural schema rules, defaults
 * (valid and pruned), list/map extensions and rule shapes; errors carry Kubernetes' own messages.
 */
export function checkStructural(
  schema: JsonSchemaProps,
  path = 'spec.validation.openAPIV3Schema',
  options: StructuralOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  const conversion = conversionError(schema);
  let structural = false;
  if (conversion === undefined) {
    const invariants = [...structuralInvariants(schema, 'root', path), ...completeness(schema, path)];
    invariants.sort((a, b) => compareBytes(formatFieldError(a), formatFieldError(b)));
    if (invariants.length > 0) errs.push(...invariants);
    else {
      const defaults = defaultErrors(schema, path, options);
      errs.push(...defaults);
      structural = defaults.length === 0;
    }
  }
  const lists: SchemaLists = { schema: [], cel: [] };
  checkOpenApiSchema(schema, path, ROOT_VALIDATOR, true, structural, lists);
  errs.push(...lists.schema, ...lists.cel);
  if (errs.length === 0 && conversion !== undefined) errs.push(invalid(path, '', conversion));
  return errs;
}

const UNSUPPORTED: readonly [keyof JsonSchemaProps, string][] = [
  ['id', 'id'],
  ['$schema', 'schema'],
  ['$ref', '$ref'],
  ['patternProperties', 'patternProperties'],
  ['dependencies', 'dependencies'],
  ['additionalItems', 'additionalItems'],
  ['definitions', 'definitions'],
];

function conversionError(s: JsonSchemaProps | undefined): string | undefined {
  if (s === undefined) return undefined;
  for (const [key, name] of UNSUPPORTED) {
    const v = s[key];
    const set = isJsonObject(v) ? Object.keys(v).length > 0 : v !== undefined && v !== '';
    if (set) return `OpenAPIV3Schema '${name}' is not supported`;
  }
  for (const sub of [s.not, ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
    const e = conversionError(sub);
    if (e) return e;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  }
  if (Array.isArray(s.items) && s.items.length > 0)
    return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  for (const sub of [itemsSchema(s), ...Object.values(s.properties ?? {}), additionalPropertiesSchema(s)]) {
    const e = conversionError(sub);
    if (e) return e;
  }
  return undefined;
}

type Level = 'root' | 'item' | 'field';

const isSet = (v: unknown): boolean => v !== undefined && v !== false && v !== '';
const nonEmpty = (v: readonly unknown[] | undefined): boolean => v !== undefined && v.length > 0;

function onlyType(s: JsonSchemaProps | undefined, type: string): boolean {
  if (s === undefined || s.type !== type) return false;
  return Object.entries(s).every(([k, v]) => k === 'type' || !isSet(v));
}

const intOrStringAnyOf = (anyOf: readonly JsonSchemaProps[] | undefined): boolean =>
  anyOf !== undefined && anyOf.length === 2 && onlyType(anyOf[0], 'integer') && onlyType(anyOf[1], 'string');

function structuralInvariants(s: JsonSchemaProps | undefined, level: Level, path: string): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (s.type === 'array' && s.items === undefined) errs.push(required(`${path}.items`, 'must be specified'));
  errs.push(...structuralInvariants(items, 'item', `${path}.items`));
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    errs.push(...structuralInvariants(prop, 'field', keyPath(`${path}.properties`, k)));
  }
  if (s.additionalProperties !== undefined) {
    if (level === 'root')
      errs.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    errs.push(
      ...structuralInvariants(additionalPropertiesSchema(s), 'field', `${path}.additionalProperties`),
    );
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    errs.push(
      invalid(
        `${path}.x-kubernetes-preserve-unknown-fields`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (intOrString && embedded) {
    errs.push(
      invalid(
        `${path}.x-kubernetes-embedded-resource`,
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  const skipAnyOf = intOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = nonEmpty(s.allOf) && intOrStringAnyOf(s.allOf![0]!.anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path));

  const type = s.type ?? '';
  if (embedded && type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(type === '' ? required(`${path}.type`, detail) : invalid(`${path}.type`, type, detail));
  } else if (type === '' && !intOrString && !preserve) {
    const where = {
      root: 'at the root',
      item: 'for specified array items',
      field: 'for specified object fields',
    }[level];
    errs.push(required(`${path}.type`, `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(
      forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
    );
  }
  if (level === 'root' && type !== '' && type !== 'object') {
    errs.push(invalid(`${path}.type`, type, 'must be object at the root'));
  }
  const checkMetadata = level === 'root' || embedded;
  const props = s.properties ?? {};
  for (const meta of ['kind', 'apiVersion']) {
    if (checkMetadata && Object.hasOwn(props, meta) && props[meta]!.type !== 'string') {
      errs.push(
        invalid(`${keyPath(`${path}.properties`, meta)}.type`, props[meta]!.type ?? '', 'must be string'),
      );
    }
  }
  if (Object.hasOwn(props, 'metadata')) {
    errs.push(
      ...metadataInvariants(props.metadata!, checkMetadata, level, keyPath(`${path}.properties`, 'metadata')),
    );
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  return errs;
}

function metadataInvariants(
  s: JsonSchemaProps,
  checkMetadata: boolean,
  level: Level,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object')
    errs.push(invalid(`${path}.type`, s.type ?? '', 'must be object'));
  if (level === 'root') {
    const names = Object.keys(s.properties ?? {});
    const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
    const rest = Object.entries(s).filter(
      ([k, v]) => k !== 'type' && k !== 'default' && !(k === 'properties' && onlyNames) && isSet(v),
    );
    if (rest.length > 0) {
      errs.push(
        forbidden(
          path,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
  return errs;
}

function valueValidation(
  s: JsonSchemaProps,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf)
    s.anyOf?.forEach((x, i) => {
      errs.push(...nested(x, false, keyPath(`${path}.anyOf`, i)));
    });
  s.allOf?.forEach((x, i) => {
    errs.push(...nested(x, skipFirstAllOfAnyOf && i === 0, keyPath(`${path}.allOf`, i)));
  });
  s.oneOf?.forEach((x, i) => {
    errs.push(...nested(x, false, keyPath(`${path}.oneOf`, i)));
  });
  if (s.not) errs.push(...nested(s.not, false, `${path}.not`));
  if (s.pattern !== undefined && s.pattern !== '') {
    const compiled = compileGoRegexp(s.pattern);
    if (!compiled.ok) {
      errs.push(
        invalid(
          `${path}.pattern`,
          s.pattern,
          `must be a valid regular expression, but isn't: ${compiled.error}`,
        ),
      );
    }
  }
  return errs;
}

const NESTED_FORBIDDEN: readonly [keyof JsonSchemaProps, string][] = [
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['nullable', 'must be false to be structural'],
  ['externalDocs', 'must be undefined to be structural'],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];

function nested(v: JsonSchemaProps, skipAnyOf: boolean, path: string): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, false, path);
  const items = itemsSchema(v);
  if (items) errs.push(...nested(items, false, `${path}.items`));
  for (const [k, prop] of Object.entries(v.properties ?? {}))
    errs.push(...nested(prop, false, keyPath(`${path}.properties`, k)));
  if (v.type !== undefined && v.type !== '')
    errs.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined && v.additionalProperties !== false) {
    errs.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  }
  for (const [key, detail] of NESTED_FORBIDDEN) {
    const value = v[key];
    const present =
      key === 'default'
        ? value !== undefined && value !== null
        : Array.isArray(value)
          ? value.length > 0
          : isSet(value);
    if (present) errs.push(forbidden(`${path}.${key}`, detail));
  }
  if (v.properties && Object.hasOwn(v.properties, 'metadata')) {
    errs.push(
      forbidden(keyPath(`${path}.properties`, 'metadata'), 'must not be specified in a nested context'),
    );
  }
  return errs;
}

function completeness(s: JsonSchemaProps, path: string): FieldError[] {
  return valueValidationCompleteness(s, s, path, path);
}

function valueValidationCompleteness(
  v: JsonSchemaProps,
  s: JsonSchemaProps | undefined,
  sPath: string,
  vPath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (v.not) errs.push(...nestedCompleteness(v.not, s, sPath, `${vPath}.not`));
  v.allOf?.forEach((x, i) => {
    errs.push(...nestedCompleteness(x, s, sPath, keyPath(`${vPath}.allOf`, i)));
  });
  v.anyOf?.forEach((x, i) => {
    errs.push(...nestedCompleteness(x, s, sPath, keyPath(`${vPath}.anyOf`, i)));
  });
  v.oneOf?.forEach((x, i) => {
    errs.push(...nestedCompleteness(x, s, sPath, keyPath(`${vPath}.oneOf`, i)));
  });
  return errs;
}

function nestedCompleteness(
  v: JsonSchemaProps | undefined,
  s: JsonSchemaProps | undefined,
  sPath: string,
  vPath: string,
): FieldError[] {
  if (v === undefined) return [];
  if (s === undefined) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs = valueValidationCompleteness(v, s, sPath, vPath);
  errs.push(...nestedCompleteness(itemsSchema(v), itemsSchema(s), `${sPath}.items`, `${vPath}.items`));
  for (const [k, vField] of Object.entries(v.properties ?? {})) {
    const sField = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    const at = keyPath(`${sPath}.properties`, k);
    const from = keyPath(`${vPath}.properties`, k);
    if (sField === undefined) errs.push(required(at, `because it is defined in ${from}`));
    else errs.push(...nestedCompleteness(vField, sField, at, from));
  }
  return errs;
}

const META_FIELDS = new Set(['metadata', 'apiVersion', 'kind']);

function defaultErrors(schema: JsonSchemaProps, path: string, options: StructuralOptions): FieldError[] {
  const root: JsonSchemaProps = { ...schema, 'x-kubernetes-embedded-resource': true };
  const errs: FieldError[] = [];
  walkDefaults(root, path, false, options, errs);
  return errs;
}

function walkDefaults(
  s: JsonSchemaProps | undefined,
  path: string,
  insideMeta: boolean,
  options: StructuralOptions,
  errs: FieldError[],
): void {
  if (s === undefined) return;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const inMeta = embedded ? false : insideMeta;
  if (s.default !== undefined && s.default !== null)
    errs.push(...defaultProblems(s, `${path}.default`, inMeta, options));
  walkDefaults(itemsSchema(s), `${path}.items`, inMeta, options, errs);
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    const sub = inMeta || (embedded && META_FIELDS.has(k));
    walkDefaults(prop, keyPath(`${path}.properties`, k), sub, options, errs);
  }
}

function defaultProblems(
  s: JsonSchemaProps,
  at: string,
  insideMeta: boolean,
  options: StructuralOptions,
): FieldError[] {
  const value = s.default;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (!insideMeta) {
    const pruned = prune(s, value, { isResourceRoot: embedded }).value;
    const unpruned = deepEqual(pruned, value) ? [] : [invalid(at, value, 'must not have unknown fields')];
    const meta = embeddedResourceErrors(s, value, at);
    if (meta.length > 0) return [...unpruned, ...meta];
    const schemaErrs = openApiErrors(s, value, at, options.formats ?? {});
    if (schemaErrs.length > 0) return [...unpruned, ...schemaErrs];
    return [...unpruned, ...defaultRuleErrors(s, value, at, options)];
  }
  const schemaErrs = openApiErrors(s, value, at, options.formats ?? {});
  return schemaErrs.length > 0 ? schemaErrs : defaultRuleErrors(s, value, at, options);
}

function defaultRuleErrors(
  s: JsonSchemaProps,
  value: unknown,
  at: string,
  options: StructuralOptions,
): FieldError[] {
  if (!options.rules || !hasRules(s)) return [];
  const withOld = ruleErrors(s, value, value, at, options.rules);
  return withOld.length > 0 ? withOld : ruleErrors(s, value, undefined, at, options.rules);
}

interface SchemaValidator {
  readonly allowDefaults: boolean;
  readonly disallowDefaultsReason: string;
  readonly insideResourceMeta: boolean;
  readonly uncorrelatablePath: string | undefined;
}

const ROOT_VALIDATOR: SchemaValidator = {
  allowDefaults: true,
  disallowDefaultsReason: '',
  insideResourceMeta: false,
  uncorrelatablePath: undefined,
};

const withForbiddenDefaults = (v: SchemaValidator, reason: string): SchemaValidator => ({
  ...v,
  allowDefaults: false,
  disallowDefaultsReason: reason,
});
const withForbiddenOldSelf = (v: SchemaValidator, path: string): SchemaValidator =>
  v.uncorrelatablePath === undefined ? { ...v, uncorrelatablePath: path } : v;

interface SchemaLists {
  readonly schema: FieldError[];
  readonly cel: FieldError[];
}

const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const RULE_REASONS = [
  'FieldValueDuplicate',
  'FieldValueForbidden',
  'FieldValueInvalid',
  'FieldValueRequired',
];
const hasNewlines = (s: string): boolean => /[\n\r]/.test(s);

function standardChecks(s: JsonSchemaProps, path: string, v: SchemaValidator): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type !== undefined && s.type !== '' && !OPENAPI_TYPES.includes(s.type)) {
    errs.push(notSupported(`${path}.type`, s.type, OPENAPI_TYPES));
  }
  if (s.default !== undefined && s.default !== null && !v.allowDefaults) {
    const reason = v.disallowDefaultsReason === '' ? '' : ` ${v.disallowDefaultsReason}`;
    errs.push(forbidden(`${path}.default`, `must not be set${reason}`));
  }
  if (s.id !== undefined && s.id !== '') errs.push(forbidden(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined)
    errs.push(forbidden(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (Object.keys(s.patternProperties ?? {}).length > 0) {
    errs.push(forbidden(`${path}.patternProperties`, 'patternProperties is not supported'));
  }
  if (Object.keys(s.definitions ?? {}).length > 0)
    errs.push(forbidden(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined)
    errs.push(forbidden(`${path}.dependencies`, 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null')
    errs.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length > 0) {
    errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  }
  if (v.insideResourceMeta && s['x-kubernetes-embedded-resource']) {
    errs.push(
      forbidden(`${path}.x-kubernetes-embedded-resource`, 'must not be used inside of resource meta'),
    );
  }
  return errs;
}

function checkOpenApiSchema(
  s: JsonSchemaProps | undefined,
  path: string,
  v: SchemaValidator,
  isRoot: boolean,
  structural: boolean,
  out: SchemaLists,
): void {
  if (s === undefined) return;
  const before = out.schema.length;
  out.schema.push(...standardChecks(s, path, v));
  if (s.uniqueItems) {
    out.schema.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const properties = s.properties ?? {};
  const hasProperties = Object.keys(properties).length > 0;
  if (s.additionalProperties !== undefined) {
    if (hasProperties && (s.additionalProperties === false || isJsonObject(s.additionalProperties))) {
      out.schema.push(
        forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
      );
    }
    const sub = v.insideResourceMeta
      ? withForbiddenDefaults(v, 'inside additionalProperties applying to object metadata')
      : v;
    checkOpenApiSchema(
      additionalPropertiesSchema(s),
      `${path}.additionalProperties`,
      sub,
      false,
      structural,
      out,
    );
  }
  const mapType = s['x-kubernetes-map-type'];
  for (const [k, prop] of Object.entries(properties)) {
    let sub = v;
    if (mapType !== undefined && mapType !== 'granular' && mapType !== 'atomic')
      sub = withForbiddenOldSelf(sub, path);
    if ((isRoot || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = withForbiddenDefaults(sub, `in top-level ${k}`);
    }
    checkOpenApiSchema(prop, keyPath(`${path}.properties`, k), sub, false, structural, out);
  }
  checkOpenApiSchema(s.not, `${path}.not`, v, false, false, out);
  s.allOf?.forEach((x, i) => {
    checkOpenApiSchema(x, keyPath(`${path}.allOf`, i), v, false, false, out);
  });
  s.oneOf?.forEach((x, i) => {
    checkOpenApiSchema(x, keyPath(`${path}.oneOf`, i), v, false, false, out);
  });
  s.anyOf?.forEach((x, i) => {
    checkOpenApiSchema(x, keyPath(`${path}.anyOf`, i), v, false, false, out);
  });
  for (const [k, x] of Object.entries(s.definitions ?? {})) {
    checkOpenApiSchema(x, keyPath(`${path}.definitions`, k), v, false, false, out);
  }
  const listType = s['x-kubernetes-list-type'];
  if (s.items !== undefined) {
    const sub = listType !== 'map' ? withForbiddenOldSelf(v, path) : v;
    checkOpenApiSchema(itemsSchema(s), `${path}.items`, sub, false, structural, out);
    if (Array.isArray(s.items)) {
      s.items.forEach((x: JsonSchemaProps, i: number) => {
        checkOpenApiSchema(x, keyPath(`${path}.items`, i), sub, false, structural, out);
      });
    }
  }
  out.schema.push(...extensionChecks(s, path));
  out.schema.push(...ruleShapeChecks(s, path));
  if ((s['x-kubernetes-validations'] ?? []).length > 0 && out.schema.length === before && structural) {
    out.cel.push(...oldSelfChecks(s, path, v));
  }
}

function extensionChecks(s: JsonSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = s.type ?? '';
  const mapType = s['x-kubernetes-map-type'];
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const items = itemsSchema(s);
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  }
  if (mapType !== undefined && type !== 'object') {
    const detail = 'must be object if x-kubernetes-map-type is specified';
    errs.push(type === '' ? required(`${path}.type`, detail) : invalid(`${path}.type`, type, detail));
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  }
  if (listType !== undefined && type !== 'array') {
    const detail = 'must be array if x-kubernetes-list-type is specified';
    errs.push(type === '' ? required(`${path}.type`, detail) : invalid(`${path}.type`, type, detail));
  } else if (listType === 'set' && items) {
    const detail = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    const itemList = items['x-kubernetes-list-type'];
    if (items.type === 'array' && itemList !== undefined && itemList !== 'atomic') {
      errs.push(invalid(`${path}.items.x-kubernetes-list-type`, itemList, detail));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(invalid(`${path}.items.x-kubernetes-map-type`, itemList ?? null, detail));
    }
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) {
    errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  }
  if (keys.length > 0) {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined) errs.push(required(`${path}.x-kubernetes-list-type`, detail));
    else if (listType !== 'map') errs.push(invalid(`${path}.x-kubernetes-list-type`, listType, detail));
  }
  if (listType === 'map') {
    if (keys.length === 0) {
      errs.push(
        required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'),
      );
    }
    if (s.items === undefined)
      errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) {
      errs.push(
        invalid(`${path}.items`, s.items, 'must only have a single schema if x-kubernetes-list-type is map'),
      );
    }
    if (items && items.type !== 'object') {
      errs.push(
        invalid(
          `${path}.items.type`,
          items.type ?? '',
          "must be object if parent array's x-kubernetes-list-type is map",
        ),
      );
    }
    if (items && items.type === 'object') {
      const seen = new Set<string>();
      for (const k of keys) {
        const prop = items.properties && Object.hasOwn(items.properties, k) ? items.properties[k] : undefined;
        if (prop === undefined) {
          errs.push(
            invalid(
              `${path}.x-kubernetes-list-map-keys`,
              keys,
              'entries must all be names of item properties',
            ),
          );
        } else if (prop.type === 'array' || prop.type === 'object') {
          errs.push(
            invalid(
              `${keyPath(`${path}.items.properties`, k)}.type`,
              items.type,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          );
        }
        if (seen.has(k))
          errs.push(
            invalid(`${path}.x-kubernetes-list-map-keys`, keys, 'must not contain duplicate entries'),
          );
        seen.add(k);
      }
    }
  }
  if (items && (listType === 'set' || listType === 'map')) {
    if (items.nullable)
      errs.push(
        forbidden(`${path}.items.nullable`, `cannot be nullable when x-kubernetes-list-type is ${listType}`),
      );
    if (listType === 'map') {
      for (const k of keys) {
        const prop = items.properties && Object.hasOwn(items.properties, k) ? items.properties[k] : undefined;
        if (prop === undefined) continue;
        const at = keyPath(`${path}.items.properties`, k);
        if (!(items.required ?? []).includes(k) && (prop.default === undefined || prop.default === null)) {
          errs.push(
            required(
              `${at}.default`,
              'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
            ),
          );
        }
        if (prop.nullable)
          errs.push(
            forbidden(
              `${at}.nullable`,
              'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
            ),
          );
      }
    }
  }
  return errs;
}

function ruleShapeChecks(s: JsonSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = keyPath(`${path}.x-kubernetes-validations`, i);
    const ruleText = (rule.rule ?? '').trim();
    const message = rule.message ?? '';
    const trimmedMessage = message.trim();
    if (ruleText === '') errs.push(required(`${at}.rule`, 'rule is not specified'));
    else if (message !== '' && trimmedMessage === '')
      errs.push(invalid(`${at}.message`, message, 'must be non-empty if specified'));
    else if (hasNewlines(trimmedMessage))
      errs.push(invalid(`${at}.message`, message, 'must not contain line breaks'));
    else if (hasNewlines(ruleText) && trimmedMessage === '') {
      errs.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'));
    }
    const messageExpression = rule.messageExpression ?? '';
    if (messageExpression !== '' && messageExpression.trim() === '') {
      errs.push(required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'));
    }
    if (rule.reason !== undefined && !RULE_REASONS.includes(rule.reason)) {
      errs.push(notSupported(`${at}.reason`, rule.reason, RULE_REASONS));
    }
    const fieldPath = rule.fieldPath ?? '';
    if (fieldPath !== '' && fieldPath.trim() === '')
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must be non-empty if specified'));
    if (hasNewlines(fieldPath))
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must not contain line breaks'));
    if (fieldPath !== '' && conversionError(s) === undefined && !parseRuleFieldPath(fieldPath, s).ok) {
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must be a valid path'));
    }
  });
  return errs;
}

function oldSelfChecks(s: JsonSchemaProps, path: string, v: SchemaValidator): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const at = keyPath(`${path}.x-kubernetes-validations`, i);
    if (usesOldSelf(rule.rule ?? '')) {
      if (v.uncorrelatablePath !== undefined) {
        errs.push(
          invalid(
            `${at}.rule`,
            rule.rule,
            `oldSelf cannot be used on the uncorrelatable portion of the schema within ${v.uncorrelatablePath}`,
          ),
        );
      }
    } else if (rule.optionalOldSelf !== undefined) {
      errs.push(
        invalid(
          `${at}.optionalOldSelf`,
          rule.optionalOldSelf,
          'may not be set if oldSelf is not used in rule',
        ),
      );
    }
  });
  return errs;
}
