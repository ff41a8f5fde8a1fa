import { type CompiledPattern, compileGoRegexp } from './go-regexp.ts';
import {
  additionalPropertiesSchema,
  isJsonObject,
  itemsSchema,
  type JsonSchemaProps,
} from './json-schema.ts';

/**
 * What validation, defaulting and pruning ask of a schema node, worked out once per node object: a schema
 * is read for every object written under it and is never changed, so the walks over values can skip
 * subtrees whose schema has nothing for them to do.
 */
export interface SchemaFacts {
  /** kube-openapi's types: ['integer', 'string'] for int-or-string, else the one `type`, if any. */
  readonly types: readonly string[];
  readonly properties: Readonly<Record<string, JsonSchemaProps>>;
  readonly items: JsonSchemaProps | undefined;
  readonly additional: JsonSchemaProps | undefined;
  readonly combinators: boolean;
  readonly pattern: CompiledPattern | undefined;
  /** Whether this node or one a value can reach under it (items, properties, additionalProperties) has… */
  readonly rules: boolean;
  /** …a default other than null, */
  readonly defaults: boolean;
  /** …x-kubernetes-embedded-resource, */
  readonly embeddedResources: boolean;
  /** …or a set or map x-kubernetes-list-type. */
  readonly uniqueLists: boolean;
}

const NO_PROPERTIES: Readonly<Record<string, JsonSchemaProps>> = Object.freeze({});
const known = new WeakMap<JsonSchemaProps, SchemaFacts>();

export function schemaFacts(schema: JsonSchemaProps): SchemaFacts {
  let facts = known.get(schema);
  if (facts === undefined) {
    facts = compute(schema);
    known.set(schema, facts);
  }
  return facts;
}

function compute(s: JsonSchemaProps): SchemaFacts {
  const items = itemsSchema(s);
  const additional = additionalPropertiesSchema(s);
  const properties = s.properties ?? NO_PROPERTIES;
  const children: SchemaFacts[] = [];
  if (isJsonObject(items)) children.push(schemaFacts(items));
  if (additional !== undefined) children.push(schemaFacts(additional));
  for (const key of Object.keys(properties)) {
    const property = properties[key];
    if (isJsonObject(property)) children.push(schemaFacts(property));
  }
  const listType = s['x-kubernetes-list-type'];
  return {
    types: s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type ? [s.type] : [],
    properties,
    items,
    additional,
    combinators: !!(s.anyOf?.length || s.oneOf?.length || s.allOf?.length || s.not),
    pattern: typeof s.pattern === 'string' && s.pattern !== '' ? compileGoRegexp(s.pattern) : undefined,
    rules: (s['x-kubernetes-validations'] ?? []).length > 0 || children.some((c) => c.rules),
    defaults: (s.default !== undefined && s.default !== null) || children.some((c) => c.defaults),
    embeddedResources: !!s['x-kubernetes-embedded-resource'] || children.some((c) => c.embeddedResources),
    uniqueLists: listType === 'set' || listType === 'map' || children.some((c) => c.uniqueLists),
  };
}
