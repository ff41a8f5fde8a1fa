import { compileRule, toCelValue, withTypeAndObjectMeta } from '../cel/environment.ts';
import { applyDefaultsInPlace } from '../schema/defaults.ts';
import type { FieldError } from '../schema/field-error.ts';
import type { JsonSchemaProps } from '../schema/json-schema.ts';
import { validateObjectMeta } from '../schema/object-meta.ts';
import { prune } from '../schema/prune.ts';
import type { EvaluatedRule, RuleEvaluator, RuleOutcome } from '../schema/rule-evaluation.ts';
import { validateValue } from '../schema/validate.ts';
import { FORMATS } from './formats.ts';

/** x-kubernetes-validations evaluated with nso's Kubernetes CEL environment. */
export const celRules: RuleEvaluator = {
  evaluate(rule, schema, self, oldSelf, hasOld) {
    return celNode(schema, self, oldSelf, hasOld)(rule);
  },
  forNode: celNode,
};

/** A node's rules share one conversion of `self`, and of `oldSelf` if any of them reads it at all. */
function celNode(
  schema: JsonSchemaProps,
  self: unknown,
  oldSelf: unknown,
  hasOld: boolean,
): (rule: EvaluatedRule) => RuleOutcome {
  const celSchema = schema as Parameters<typeof toCelValue>[1];
  let celSelf: unknown;
  let celOldSelf: unknown;
  return (rule) => {
    const compiled = compileRule(rule);
    if (!compiled.ok) return { ok: false, error: compiled.message };
    celSelf ??= toCelValue(self, celSchema);
    if (hasOld && compiled.compiled.readsOldSelf) celOldSelf ??= toCelValue(oldSelf, celSchema);
    return compiled.compiled.evaluate(
      celSelf,
      hasOld && compiled.compiled.readsOldSelf ? celOldSelf : undefined,
    );
  };
}

export interface Decoded {
  readonly object: Record<string, unknown>;
  /** Paths of fields the schema does not know, dropped from the object (fieldValidation decides what to say). */
  readonly unknownFields: readonly string[];
}

/**
 * One CRD version's schema as kube-apiserver applies it: decode (prune unknown fields, drop nulls, apply
 * defaults), then validate metadata, the schema and its CEL rules, reporting every error with its field path.
 */
export class ResourceSchema {
  readonly #root: JsonSchemaProps;
  readonly #namespaced: boolean;

  constructor(openAPIV3Schema: JsonSchemaProps, options: { namespaced: boolean }) {
    this.#root = withTypeAndObjectMeta(
      openAPIV3Schema as Parameters<typeof withTypeAndObjectMeta>[0],
    ) as JsonSchemaProps;
    this.#namespaced = options.namespaced;
  }

  decode(object: Record<string, unknown>): Decoded {
    const pruned = prune(this.#root, object, { dropNonNullableNulls: true });
    applyDefaultsInPlace(this.#root, pruned.value);
    return { object: pruned.value as Record<string, unknown>, unknownFields: pruned.unknownFields };
  }

  validate(object: Record<string, unknown>, old?: Record<string, unknown>): FieldError[] {
    const metadata = validateObjectMeta(object.metadata, { namespaced: this.#namespaced });
    return [
      ...metadata,
      ...validateValue(this.#root, object, {
        rules: celRules,
        formats: FORMATS,
        precedingErrors: metadata,
        ...(old === undefined ? {} : { old }),
      }),
    ];
  }
}
