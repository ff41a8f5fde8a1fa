import type { JsonSchemaProps } from '../schema/json-schema.ts';
import { openApiErrors } from '../schema/openapi-validator.ts';

/**
 * Whether an object has every field its schema requires, with the declared types, so a kind's own rules can
 * read it. Kind rules skip objects that fail: the schema's errors already say what to fix first.
 */
export function wellTyped(schema: JsonSchemaProps, object: unknown): boolean {
  return openApiErrors(schema, object, undefined, {}).length === 0;
}
