import { type FieldPath, pathString } from './field-path.ts';
import { goQuote, goValue } from './go-format.ts';

export const FIELD_ERROR_REASONS = [
  'FieldValueInvalid',
  'FieldValueRequired',
  'FieldValueNotSupported',
  'FieldValueTypeInvalid',
  'FieldValueDuplicate',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueForbidden',
  'FieldValueNotFound',
] as const;

export type FieldErrorReason = (typeof FIELD_ERROR_REASONS)[number];

/** One cause of a 422: the field path as field.Path.String() prints it and the message of a Status cause. */
export interface FieldError {
  readonly reason: FieldErrorReason;
  readonly field: string;
  readonly message: string;
}

/** The line kubectl prints for a cause: `spec.mtu: Invalid value: ...`. */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${e.message}`;
}

/** Marks a bad value that field.Error leaves out of its message (field.OmitValueType). */
export const OMIT_VALUE: unique symbol = Symbol('omit value');

const withDetail = (head: string, detail: string): string => (detail === '' ? head : `${head}: ${detail}`);
const shown = (head: string, value: unknown): string =>
  value === OMIT_VALUE ? head : `${head}: ${goValue(value)}`;

function make(reason: FieldErrorReason, path: FieldPath, message: string): FieldError {
  return { reason, field: pathString(path), message };
}

export function invalid(path: FieldPath, value: unknown, detail: string): FieldError {
  return make('FieldValueInvalid', path, withDetail(shown('Invalid value', value), detail));
}

export function typeInvalid(path: FieldPath, value: unknown, detail: string): FieldError {
  return make('FieldValueTypeInvalid', path, withDetail(shown('Invalid value', value), detail));
}

export function required(path: FieldPath, detail = ''): FieldError {
  return make('FieldValueRequired', path, withDetail('Required value', detail));
}

export function forbidden(path: FieldPath, detail: string): FieldError {
  return make('FieldValueForbidden', path, withDetail('Forbidden', detail));
}

export function duplicate(path: FieldPath, value: unknown): FieldError {
  return make('FieldValueDuplicate', path, shown('Duplicate value', value));
}

export function notFound(path: FieldPath, value: unknown): FieldError {
  return make('FieldValueNotFound', path, shown('Not found', value));
}

/** field.NotSupported: the supported values are listed quoted, in the order given. */
export function notSupported(path: FieldPath, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length === 0 ? '' : `supported values: ${supported.map(goQuote).join(', ')}`;
  return make('FieldValueNotSupported', path, withDetail(shown('Unsupported value', value), detail));
}

/** field.TooLong: the value is never shown. */
export function tooLong(path: FieldPath, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`
      : 'value is too long';
  return make('FieldValueTooLong', path, withDetail('Too long', detail));
}

export function tooMany(path: FieldPath, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  return make(
    'FieldValueTooMany',
    path,
    withDetail(shown('Too many', actual >= 0 ? actual : OMIT_VALUE), detail),
  );
}
