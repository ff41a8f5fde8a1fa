import type { JsonSchema } from './json-schema.ts';
import { escapePropertyName } from './property-name-escaping.ts';

type Json = Readonly<Record<string, unknown>>;

const STRING: JsonSchema = { type: 'string' };
const TYPE_AND_OBJECT_META: Readonly<Record<string, JsonSchema>> = {
  apiVersion: STRING,
  kind: STRING,
  metadata: { type: 'object', properties: { name: STRING, generateName: STRING } },
};
const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

/** The schema CEL sees at a resource root or an embedded resource: apiVersion, kind, metadata name fields. */
export function withTypeAndObjectMeta(schema: JsonSchema): JsonSchema {
  return { ...schema, properties: { ...schema.properties, ...TYPE_AND_OBJECT_META } };
}

/**
 * A JSON value as Kubernetes shows it to CEL under this schema: integers become bigint, properties take their
 * escaped CEL names, a null property reads as absent, and a list-type set compares without regard to order.
 */
export function toCelValue(value: unknown, schema: JsonSchema): unknown {
  if (value === null || value === undefined) return null;
  if (schema['x-kubernetes-int-or-string']) return integer(value);
  switch (schema.type) {
    case 'integer':
      return integer(value);
    case 'number':
    case 'boolean':
      return value;
    case 'string':
      return typeof value === 'string' ? formatted(value, schema.format) : untyped(value);
    case 'array':
      return Array.isArray(value) && schema.items ? list(value, schema) : untyped(value);
    case 'object':
      return isRecord(value) ? object(value, schema) : untyped(value);
    default:
      return untyped(value);
  }
}

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const integer = (value: unknown): unknown =>
  typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;

/** Data under x-kubernetes-preserve-unknown-fields: JSON integers are CEL ints, as Kubernetes decodes them. */
function untyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untyped);
  if (!isRecord(value)) return integer(value);
  const result: Record<string, unknown> = Object.create(null);
  for (const [key, field] of Object.entries(value)) result[key] = untyped(field);
  return result;
}

function formatted(value: string, format: string | undefined): unknown {
  switch (format) {
    case 'date-time': {
      const time = Date.parse(value);
      return Number.isNaN(time) ? value : new Date(time);
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : value;
    case 'byte':
      return new Uint8Array(Buffer.from(value, 'base64'));
    default:
      return value;
  }
}

function list(value: readonly unknown[], schema: JsonSchema): unknown {
  const items = schema.items!;
  const elements = value.map((item) => toCelValue(item, items));
  const scalar = items['x-kubernetes-int-or-string'] || SCALAR_TYPES.has(items.type ?? '');
  return schema['x-kubernetes-list-type'] === 'set' && scalar ? setList(elements) : elements;
}

/** cel-js compares a Set with any list regardless of order; its join() calls the receiver's own join(). */
function setList(elements: readonly unknown[]): ReadonlySet<unknown> {
  const set = new Set(elements);
  Object.defineProperty(set, 'join', { value: (separator: string) => elements.join(separator) });
  return set;
}

function object(value: Json, schema: JsonSchema): unknown {
  const { properties, additionalProperties } = schema['x-kubernetes-embedded-resource']
    ? withTypeAndObjectMeta(schema)
    : schema;
  const result: Record<string, unknown> = Object.create(null);
  if (properties === undefined) {
    if (typeof additionalProperties !== 'object') return untyped(value);
    for (const key of Object.keys(value)) result[key] = toCelValue(value[key], additionalProperties);
    return result;
  }
  for (const key of Object.keys(value)) {
    const field = value[key];
    const declared = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (declared === undefined) result[key] ??= untyped(field);
    else if (field !== null) result[escapePropertyName(key) ?? key] = toCelValue(field, declared);
  }
  return result;
}
