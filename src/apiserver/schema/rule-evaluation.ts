import { duplicate, type FieldError, forbidden, invalid, OMIT_VALUE, required } from './field-error.ts';
import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { goJson } from './go-format.ts';
import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
  type ValidationRule,
} from './json-schema.ts';
import { parseRuleFieldPath, usesOldSelf } from './rule-field-path.ts';

/**
 * Evaluates one x-kubernetes-validations rule (CEL) against `self`; injected so schema code needs no CEL.
 * On failure `message` is the evaluated messageExpression, or '' for the rule's message; `error` is a runtime error.
 */
export interface RuleEvaluator {
  evaluate(
    rule: {
      rule: string;
      message?: string;
      messageExpression?: string;
      reason?: string;
      fieldPath?: string;
      optionalOldSelf?: boolean;
    },
    schema: JsonSchemaProps,
    self: unknown,
    oldSelf: unknown | undefined,
    hasOld: boolean,
  ): { ok: true } | { ok: false; message: string } | { ok: false; error: string };
}

/** Whether any node a value can reach (items, properties, additionalProperties) carries rules. */
export function hasRules(schema: JsonSchemaProps | undefined): boolean {
  if (schema === undefined) return false;
  if ((schema['x-kubernetes-validations'] ?? []).length > 0) return true;
  if (hasRules(itemsSchema(schema)) || hasRules(additionalPropertiesSchema(schema))) return true;
  return Object.values(schema.properties ?? {}).some(hasRules);
}

const ruleErrorString = (r: ValidationRule): string =>
  r.message !== undefined && r.message !== '' ? r.message.trim() : r.rule.trim();

const messageOrDefault = (r: ValidationRule): string =>
  r.message !== undefined && r.message !== '' ? r.message.trim() : `failed rule: ${ruleErrorString(r)}`;

/** cel.Validator.Validate: runs every rule on non-null values, transition rules only where an old value correlates. */
export function ruleErrors(
  schema: JsonSchemaProps,
  value: unknown,
  old: unknown,
  path: FieldPath,
  evaluator: RuleEvaluator,
): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, old, path, evaluator, errs);
  return errs;
}

function walk(
  schema: JsonSchemaProps,
  value: unknown,
  old: unknown,
  path: FieldPath,
  evaluator: RuleEvaluator,
  errs: FieldError[],
): void {
  if (value === null || value === undefined) return;
  const hasOld = old !== null && old !== undefined;
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    const error = evaluateRule(rule, schema, value, hasOld ? old : undefined, hasOld, path, evaluator);
    if (error) errs.push(error);
  }
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (!items) return;
    const correlate = mapListCorrelation(schema, items, Array.isArray(old) ? old : []);
    value.forEach((item, i) => {
      walk(items, item, correlate(item), keyPath(path, i), evaluator, errs);
    });
    return;
  }
  if (!isJsonObject(value)) return;
  const oldObject = isJsonObject(old) ? old : {};
  const correlatable =
    schema['x-kubernetes-map-type'] === undefined ||
    ['granular', 'atomic'].includes(schema['x-kubernetes-map-type']);
  const oldAt = (k: string): unknown =>
    correlatable && Object.hasOwn(oldObject, k) ? oldObject[k] : undefined;
  const additional = additionalPropertiesSchema(schema);
  if (additional)
    for (const [k, v] of Object.entries(value))
      walk(additional, v, oldAt(k), keyPath(path, k), evaluator, errs);
  const properties = schema.properties ?? {};
  for (const [k, v] of Object.entries(value)) {
    if (Object.hasOwn(properties, k)) walk(properties[k]!, v, oldAt(k), childPath(path, k), evaluator, errs);
  }
}

function evaluateRule(
  rule: ValidationRule,
  schema: JsonSchemaProps,
  value: unknown,
  old: unknown,
  hasOld: boolean,
  path: FieldPath,
  evaluator: RuleEvaluator,
): FieldError | undefined {
  if (rule.rule.trim() === '') return undefined;
  if (usesOldSelf(rule.rule) && !hasOld && rule.optionalOldSelf !== true) return undefined;
  const outcome = evaluator.evaluate(rule, schema, value, old, hasOld);
  if (outcome.ok) return undefined;
  const type = schema.type ?? '';
  if ('error' in outcome) {
    const detail = outcome.error.startsWith('no such overload')
      ? `'${outcome.error}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
      : `${outcome.error} evaluating rule: ${ruleErrorString(rule)}`;
    return invalid(path, type, detail);
  }
  let at = path;
  if (rule.fieldPath !== undefined && rule.fieldPath !== '') {
    const resolved = parseRuleFieldPath(rule.fieldPath, schema);
    if (resolved.ok) at = childPath(at, resolved.path);
  }
  const detail = outcome.message.trim() !== '' ? outcome.message.trim() : messageOrDefault(rule);
  const shown = type === 'object' || type === 'array' ? OMIT_VALUE : value;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return forbidden(at, detail);
    case 'FieldValueRequired':
      return required(at, detail);
    case 'FieldValueDuplicate':
      return duplicate(at, shown);
    default:
      return invalid(at, shown, detail);
  }
}

function mapListCorrelation(
  schema: JsonSchemaProps,
  items: JsonSchemaProps,
  oldItems: readonly unknown[],
): (item: unknown) => unknown {
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (schema['x-kubernetes-list-type'] !== 'map' || keys.length === 0) return () => undefined;
  const keyOf = (item: unknown): string | undefined => {
    if (!isJsonObject(item)) return undefined;
    const parts: unknown[] = [];
    for (const k of keys) {
      const v = Object.hasOwn(item, k) ? item[k] : items.properties?.[k]?.default;
      if (v === undefined) return undefined;
      parts.push(v);
    }
    return goJson(parts);
  };
  const byKey = new Map<string, unknown>();
  for (const item of oldItems) {
    const k = keyOf(item);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, item);
  }
  return (item) => {
    const k = keyOf(item);
    return k === undefined ? undefined : byKey.get(k);
  };
}
