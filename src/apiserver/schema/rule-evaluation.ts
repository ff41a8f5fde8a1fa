import { duplicate, type FieldError, forbidden, invalid, OMIT_VALUE, required } from './field-error.ts';
import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { goJson } from './go-format.ts';
import { isJsonObject, type JsonSchemaProps, type ValidationRule } from './json-schema.ts';
import { parseRuleFieldPath, usesOldSelf } from './rule-field-path.ts';
import { schemaFacts } from './schema-facts.ts';

/**
 * Evaluates one x-kubernetes-validations rule (CEL) against `self`; injected so schema code needs no CEL.
 * On failure `message` is the evaluated messageExpression, or '' for the rule's message; `error` is a runtime error.
 */
export interface RuleEvaluator {
  evaluate(
    rule: EvaluatedRule,
    schema: JsonSchemaProps,
    self: unknown,
    oldSelf: unknown | undefined,
    hasOld: boolean,
  ): RuleOutcome;
  /**
   * Optionally, an evaluate for all the rules of one node, the same as `evaluate` with these arguments but
   * free to prepare `self` and `oldSelf` once for all of them.
   */
  forNode?(
    schema: JsonSchemaProps,
    self: unknown,
    oldSelf: unknown | undefined,
    hasOld: boolean,
  ): (rule: EvaluatedRule) => RuleOutcome;
}

export interface EvaluatedRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export type RuleOutcome = { ok: true } | { ok: false; message: string } | { ok: false; error: string };

/** Whether any node a value can reach (items, properties, additionalProperties) carries rules. */
export function hasRules(schema: JsonSchemaProps | undefined): boolean {
  return schema !== undefined && schemaFacts(schema).rules;
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
  const facts = schemaFacts(schema);
  if (!facts.rules) return;
  const hasOld = old !== null && old !== undefined;
  const rules = schema['x-kubernetes-validations'];
  if (rules !== undefined && rules.length > 0) {
    const oldSelf = hasOld ? old : undefined;
    const evaluate =
      evaluator.forNode?.(schema, value, oldSelf, hasOld) ??
      ((rule: EvaluatedRule) => evaluator.evaluate(rule, schema, value, oldSelf, hasOld));
    for (const rule of rules) {
      const error = evaluateRule(rule, schema, value, hasOld, path, evaluate);
      if (error) errs.push(error);
    }
  }
  if (Array.isArray(value)) {
    const items = facts.items;
    if (!items || !schemaFacts(items).rules) return;
    const correlation = mapListCorrelation(schema, items, Array.isArray(old) ? old : []);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      walk(items, item, correlated(correlation, item), keyPath(path, i), evaluator, errs);
    }
    return;
  }
  if (!isJsonObject(value)) return;
  const mapType = schema['x-kubernetes-map-type'];
  const correlatable = mapType === undefined || mapType === 'granular' || mapType === 'atomic';
  const oldObject = correlatable && isJsonObject(old) ? old : undefined;
  const additional = facts.additional;
  if (additional && schemaFacts(additional).rules)
    for (const k of Object.keys(value))
      walk(additional, value[k], oldAt(oldObject, k), keyPath(path, k), evaluator, errs);
  const properties = facts.properties;
  for (const k of Object.keys(value)) {
    if (Object.hasOwn(properties, k))
      walk(properties[k]!, value[k], oldAt(oldObject, k), childPath(path, k), evaluator, errs);
  }
}

function oldAt(oldObject: Record<string, unknown> | undefined, k: string): unknown {
  return oldObject !== undefined && Object.hasOwn(oldObject, k) ? oldObject[k] : undefined;
}

function evaluateRule(
  rule: ValidationRule,
  schema: JsonSchemaProps,
  value: unknown,
  hasOld: boolean,
  path: FieldPath,
  evaluate: (rule: EvaluatedRule) => RuleOutcome,
): FieldError | undefined {
  if (rule.rule.trim() === '') return undefined;
  if (usesOldSelf(rule.rule) && !hasOld && rule.optionalOldSelf !== true) return undefined;
  const outcome = evaluate(rule);
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

interface Correlation {
  readonly keys: readonly string[];
  readonly items: JsonSchemaProps;
  readonly byKey: ReadonlyMap<string, unknown>;
}

/** The old items of a list-type map by their keys; undefined when items of the list do not correlate. */
function mapListCorrelation(
  schema: JsonSchemaProps,
  items: JsonSchemaProps,
  oldItems: readonly unknown[],
): Correlation | undefined {
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  if (schema['x-kubernetes-list-type'] !== 'map' || keys.length === 0) return undefined;
  const byKey = new Map<string, unknown>();
  for (const item of oldItems) {
    const k = mapKeyOf(keys, items, item);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, item);
  }
  return { keys, items, byKey };
}

function correlated(correlation: Correlation | undefined, item: unknown): unknown {
  if (correlation === undefined) return undefined;
  const k = mapKeyOf(correlation.keys, correlation.items, item);
  return k === undefined ? undefined : correlation.byKey.get(k);
}

function mapKeyOf(keys: readonly string[], items: JsonSchemaProps, item: unknown): string | undefined {
  if (!isJsonObject(item)) return undefined;
  const parts: unknown[] = [];
  for (const k of keys) {
    const v = Object.hasOwn(item, k) ? item[k] : items.properties?.[k]?.default;
    if (v === undefined) return undefined;
    parts.push(v);
  }
  return goJson(parts);
}
