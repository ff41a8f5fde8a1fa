import { isJsonObject } from '../schema/json-schema.ts';

// Typed reads of a decoded object for printers: an absent or wrongly typed field reads as Go's zero value,
// as it would after decoding into the typed struct.

/** A field's raw value, for timestamps that instantOf interprets. */
export const valueAt = (value: unknown, key: string): unknown =>
  isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;

export const objectAt = (value: unknown, key: string): Record<string, unknown> | undefined => {
  const field = valueAt(value, key);
  return isJsonObject(field) ? field : undefined;
};

export const stringAt = (value: unknown, key: string): string => {
  const field = valueAt(value, key);
  return typeof field === 'string' ? field : '';
};

export const numberAt = (value: unknown, key: string): number => {
  const field = valueAt(value, key);
  return typeof field === 'number' ? field : 0;
};

export const booleanAt = (value: unknown, key: string): boolean => valueAt(value, key) === true;

export const arrayAt = (value: unknown, key: string): readonly unknown[] => {
  const field = valueAt(value, key);
  return Array.isArray(field) ? field : [];
};
