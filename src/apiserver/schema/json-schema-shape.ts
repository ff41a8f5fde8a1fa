import { type FieldError, typeInvalid } from './field-error.ts';
import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { isJsonObject } from './json-schema.ts';

type Kind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'strings'
  | 'list'
  | 'schema'
  | 'schemas'
  | 'schema map';

const KEYWORDS: Readonly<Record<string, Kind | readonly Kind[]>> = {
  type: 'string',
  format: 'string',
  title: 'string',
  description: 'string',
  pattern: 'string',
  id: 'string',
  $schema: 'string',
  $ref: 'string',
  'x-kubernetes-list-type': 'string',
  'x-kubernetes-map-type': 'string',
  minimum: 'number',
  maximum: 'number',
  multipleOf: 'number',
  minLength: 'integer',
  maxLength: 'integer',
  minItems: 'integer',
  maxItems: 'integer',
  minProperties: 'integer',
  maxProperties: 'integer',
  exclusiveMinimum: 'boolean',
  exclusiveMaximum: 'boolean',
  uniqueItems: 'boolean',
  nullable: 'boolean',
  'x-kubernetes-preserve-unknown-fields': 'boolean',
  'x-kubernetes-int-or-string': 'boolean',
  'x-kubernetes-embedded-resource': 'boolean',
  required: 'strings',
  'x-kubernetes-list-map-keys': 'strings',
  enum: 'list',
  not: 'schema',
  items: ['schema', 'schemas'],
  additionalProperties: ['schema', 'boolean'],
  additionalItems: ['schema', 'boolean'],
  properties: 'schema map',
  patternProperties: 'schema map',
  definitions: 'schema map',
  allOf: 'schemas',
  anyOf: 'schemas',
  oneOf: 'schemas',
};

const RULE_FIELDS: Readonly<Record<string, Kind>> = {
  rule: 'string',
  message: 'string',
  messageExpression: 'string',
  reason: 'string',
  fieldPath: 'string',
  optionalOldSelf: 'boolean',
};

const GO_TYPE: Readonly<Record<Kind, string>> = {
  string: 'string',
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  strings: 'array of strings',
  list: 'array',
  schema: 'object',
  schemas: 'array of objects',
  'schema map': 'object of objects',
};

/**
 * The JSONSchemaProps a CRD's openAPIV3Schema must decode into, checked before any schema rule reads it: each
 * keyword of the right JSON type (kube refuses the rest when decoding the CRD), nested schemas included.
 */
export function jsonSchemaShapeErrors(value: unknown, path: FieldPath, depth = 0): FieldError[] {
  if (!isJsonObject(value)) return [typeInvalid(path, value, 'must be of type object')];
  if (depth > 64) return [typeInvalid(path, '', 'must not nest deeper than 64 schemas')];
  const errors: FieldError[] = [];
  for (const [keyword, kinds] of Object.entries(KEYWORDS)) {
    if (!Object.hasOwn(value, keyword)) continue;
    const at = childPath(path, keyword);
    const item = value[keyword];
    const accepted = typeof kinds === 'string' ? [kinds] : kinds;
    const kind = accepted.find((k) => hasKind(item, k));
    if (kind === undefined) {
      errors.push(typeInvalid(at, item, `must be of type ${accepted.map((k) => GO_TYPE[k]).join(' or ')}`));
    } else if (kind === 'schema') {
      errors.push(...jsonSchemaShapeErrors(item, at, depth + 1));
    } else if (kind === 'schemas') {
      for (const [i, s] of (item as unknown[]).entries()) {
        errors.push(...jsonSchemaShapeErrors(s, keyPath(at, i), depth + 1));
      }
    } else if (kind === 'schema map') {
      for (const [name, s] of Object.entries(item as object)) {
        errors.push(...jsonSchemaShapeErrors(s, keyPath(at, name), depth + 1));
      }
    }
  }
  if (Object.hasOwn(value, 'x-kubernetes-validations')) {
    errors.push(
      ...ruleShapeErrors(value['x-kubernetes-validations'], childPath(path, 'x-kubernetes-validations')),
    );
  }
  return errors;
}

function ruleShapeErrors(rules: unknown, path: string): FieldError[] {
  if (!Array.isArray(rules)) return [typeInvalid(path, rules, 'must be of type array')];
  return rules.flatMap((rule, i) => {
    const at = keyPath(path, i);
    if (!isJsonObject(rule)) return [typeInvalid(at, rule, 'must be of type object')];
    return Object.entries(RULE_FIELDS)
      .filter(([field, kind]) => Object.hasOwn(rule, field) && !hasKind(rule[field], kind))
      .map(([field, kind]) =>
        typeInvalid(childPath(at, field), rule[field], `must be of type ${GO_TYPE[kind]}`),
      );
  });
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'list':
      return Array.isArray(value);
    case 'schema':
      return isJsonObject(value);
    case 'schemas':
      return Array.isArray(value) && value.every(isJsonObject);
    case 'schema map':
      return isJsonObject(value) && Object.values(value).every(isJsonObject);
  }
}
