import { embeddedResourceErrors } from './embedded-resource.ts';
import { type FieldError, invalid } from './field-error.ts';
import { rootPath } from './field-path.ts';
import type { JsonSchemaProps } from './json-schema.ts';
import { listTypeErrors } from './list-type.ts';
import { type FormatCheckers, openApiErrors } from './openapi-validator.ts';
import { hasRules, type RuleEvaluator, ruleErrors } from './rule-evaluation.ts';

export type { FormatCheckers } from './openapi-validator.ts';
export type { RuleEvaluator } from './rule-evaluation.ts';

export interface ValidateOptions {
  /** Field path of `value`; '' (the default) is the object root, which Kubernetes prints as `<nil>`. */
  readonly path?: string;
  /** The value before an update: enables transition rules and list-type ratcheting. */
  readonly old?: unknown;
  /** Without an evaluator, x-kubernetes-validations are not checked. */
  readonly rules?: RuleEvaluator;
  /** Formats kube-apiserver validates; a format not listed here is ignored, as an unsupported one is. */
  readonly formats?: FormatCheckers;
  /** Errors already found elsewhere (e.g. metadata) that, like kube-apiserver, keep CEL rules from running. */
  readonly precedingErrors?: readonly FieldError[];
}

const BLOCKING: ReadonlySet<FieldError['reason']> = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

export const RULES_NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/**
 * The custom resource strategy's Validate(Update) for one value: OpenAPI schema, embedded resources, list-type
 * uniqueness, then CEL rules unless an earlier error blocks them. Errors come in that order, each part in
 * document order.
 */
export function validateValue(
  schema: JsonSchemaProps,
  value: unknown,
  options: ValidateOptions = {},
): FieldError[] {
  const root = rootPath(options.path);
  const hasOld = options.old !== undefined && options.old !== null;
  const errs = [
    ...openApiErrors(schema, value, root, options.formats ?? {}),
    ...embeddedResourceErrors(schema, value, root),
  ];
  if (!hasOld || listTypeErrors(schema, options.old, root).length === 0)
    errs.push(...listTypeErrors(schema, value, root));
  if (options.rules && hasRules(schema)) {
    const blocked = [...(options.precedingErrors ?? []), ...errs].some((e) => BLOCKING.has(e.reason));
    if (blocked) errs.push(invalid(undefined, null, RULES_NOT_CHECKED));
    else errs.push(...ruleErrors(schema, value, hasOld ? options.old : undefined, root, options.rules));
  }
  return errs;
}
