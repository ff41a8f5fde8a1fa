import { Type } from 'typebox';

/**
 * Schema builders that stay structural in Kubernetes' sense (enums are typed strings, maps use
 * additionalProperties, int-or-string is marked), so one definition serves TypeScript, validation and CRDs.
 */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?:
    | 'FieldValueInvalid'
    | 'FieldValueForbidden'
    | 'FieldValueRequired'
    | 'FieldValueDuplicate';
}

export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const StringMap = (options: Record<string, unknown> = {}) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    ...options,
  });

/** A count that is an integer while it fits in 2^53 and a decimal string beyond (an IPv6 /64 has 2^64). */
export const BigCount = (description: string) =>
  Type.Unsafe<number | string>({ 'x-kubernetes-int-or-string': true, description });

export const IntOrString = (options: Record<string, unknown> = {}) =>
  Type.Unsafe<number | string>({ 'x-kubernetes-int-or-string': true, ...options });

/** A typed string constant such as an apiVersion: plain `type: string` in the CRD, a literal in TypeScript. */
export const StringConstant = <const T extends string>(_value: T, description: string) =>
  Type.Unsafe<T>({ type: 'string', description });

export const rules = (...list: ValidationRule[]) => ({ 'x-kubernetes-validations': list });

export const Immutable = (field: string): ValidationRule => ({
  rule: 'self == oldSelf',
  message: `${field} is immutable; delete and re-create the object to change it`,
});
