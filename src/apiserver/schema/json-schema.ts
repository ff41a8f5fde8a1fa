/** One x-kubernetes-validations entry: a CEL rule and how its failure is reported. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?:
    | 'FieldValueInvalid'
    | 'FieldValueForbidden'
    | 'FieldValueRequired'
    | 'FieldValueDuplicate';
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

/** apiextensions.k8s.io/v1 JSONSchemaProps as it appears in a CRD's openAPIV3Schema (plain JSON). */
export interface JsonSchemaProps {
  readonly type?: string;
  readonly format?: string;
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchemaProps>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchemaProps | readonly JsonSchemaProps[];
  readonly additionalProperties?: JsonSchemaProps | boolean;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly example?: unknown;
  readonly nullable?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly allOf?: readonly JsonSchemaProps[];
  readonly anyOf?: readonly JsonSchemaProps[];
  readonly oneOf?: readonly JsonSchemaProps[];
  readonly not?: JsonSchemaProps;
  readonly externalDocs?: { readonly description?: string; readonly url?: string };
  readonly id?: string;
  readonly $schema?: string;
  readonly $ref?: string;
  readonly definitions?: Readonly<Record<string, JsonSchemaProps>>;
  readonly patternProperties?: Readonly<Record<string, JsonSchemaProps>>;
  readonly dependencies?: Readonly<Record<string, JsonSchemaProps | readonly string[]>>;
  readonly additionalItems?: JsonSchemaProps | boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
}

/** The single `items` schema, or undefined when absent or (non-structurally) a tuple of schemas. */
export function itemsSchema(schema: JsonSchemaProps): JsonSchemaProps | undefined {
  const items = schema.items;
  return items === undefined || Array.isArray(items) ? undefined : (items as JsonSchemaProps);
}

/** The `additionalProperties` schema, or undefined when absent or a boolean. */
export function additionalPropertiesSchema(schema: JsonSchemaProps): JsonSchemaProps | undefined {
  const ap = schema.additionalProperties;
  return typeof ap === 'object' && ap !== null ? ap : undefined;
}

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
