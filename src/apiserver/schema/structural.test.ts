// Proves checkStructural accepts structural schemas and rejects the rest with kube-apiserver's CRD errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from './field-error.ts';
import type { JsonSchemaProps } from './json-schema.ts';
import type { RuleEvaluator } from './rule-evaluation.ts';
import { checkStructural } from './structural.ts';

const P = 'spec.validation.openAPIV3Schema';
const check = (schema: JsonSchemaProps, rules?: RuleEvaluator): string[] =>
  checkStructural(schema, P, rules ? { rules } : {}).map(formatFieldError);
const withSpec = (spec: JsonSchemaProps): JsonSchemaProps => ({ type: 'object', properties: { spec } });

const network: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['ipv4Blocks'],
      'x-kubernetes-validations': [{ rule: 'size(self.ipv4Blocks) > 0', message: 'at least one block' }],
      properties: {
        ipv4Blocks: {
          type: 'array',
          maxItems: 16,
          'x-kubernetes-list-type': 'set',
          items: { type: 'string', format: 'cidr' },
        },
        mtu: { type: 'integer', minimum: 576, maximum: 9000, default: 1460 },
        regions: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        providerConfig: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        selector: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string', enum: ['Pending', 'Ready'] } } },
  },
};

describe('structural schemas', () => {
  test('a structural schema passes', () => {
    assert.deepEqual(check(network), []);
  });

  test('every field needs a type', () => {
    assert.deepEqual(check(withSpec({ properties: { a: { type: 'string' } } })), [
      `${P}.properties[spec].type: Required value: must not be empty for specified object fields`,
    ]);
  });

  test('array items need a type, and arrays need items', () => {
    assert.deepEqual(check(withSpec({ type: 'object', properties: { l: { type: 'array', items: {} } } })), [
      `${P}.properties[spec].properties[l].items.type: Required value: must not be empty for specified array items`,
    ]);
    assert.deepEqual(check(withSpec({ type: 'object', properties: { l: { type: 'array' } } })), [
      `${P}.properties[spec].properties[l].items: Required value: must be specified`,
    ]);
  });

  test('the root is an object', () => {
    assert.deepEqual(check({ properties: {} }), [`${P}.type: Required value: must not be empty at the root`]);
    assert.deepEqual(check({ type: 'string' }), [
      `${P}.type: Invalid value: "string": must be object at the root`,
    ]);
  });

  test('int-or-string and preserve-unknown-fields may omit the type', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            a: { 'x-kubernetes-int-or-string': true },
            b: { 'x-kubernetes-preserve-unknown-fields': true },
          },
        }),
      ),
      [],
    );
  });

  test('additionalProperties is not allowed at the root nor beside properties', () => {
    assert.deepEqual(check({ type: 'object', additionalProperties: { type: 'string' } }), [
      `${P}.additionalProperties: Forbidden: must not be used at the root`,
    ]);
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'string' },
        }),
      ),
      [
        `${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      ],
    );
    assert.deepEqual(
      check(withSpec({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })),
      [
        `${P}.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      ],
    );
  });

  test('value validations may not declare types, defaults or descriptions', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: { a: { type: 'string' } },
          anyOf: [{ properties: { a: { type: 'string', description: 'x', default: 'y' } } }],
        }),
      ),
      [
        `${P}.properties[spec].anyOf[0].properties[a].default: Forbidden: must be undefined to be structural`,
        `${P}.properties[spec].anyOf[0].properties[a].description: Forbidden: must be empty to be structural`,
        `${P}.properties[spec].anyOf[0].properties[a].type: Forbidden: must be empty to be structural`,
      ],
    );
  });

  test('x-kubernetes extensions and rules are not allowed inside value validations', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          allOf: [{ nullable: true, 'x-kubernetes-validations': [{ rule: 'true' }] }],
        }),
      ),
      [
        `${P}.properties[spec].allOf[0].nullable: Forbidden: must be false to be structural`,
        `${P}.properties[spec].allOf[0].x-kubernetes-validations: Forbidden: must be empty to be structural`,
      ],
    );
  });

  test('int-or-string may use the anyOf and allOf forms with types', () => {
    const anyOf: JsonSchemaProps = {
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    };
    const allOf: JsonSchemaProps = {
      'x-kubernetes-int-or-string': true,
      allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^[0-9]+%?$' }],
    };
    assert.deepEqual(check(withSpec({ type: 'object', properties: { a: anyOf, b: allOf } })), []);
    const other: JsonSchemaProps = {
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    };
    assert.deepEqual(check(withSpec({ type: 'object', properties: { a: other } })), [
      `${P}.properties[spec].properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${P}.properties[spec].properties[a].anyOf[1].type: Forbidden: must be empty to be structural`,
    ]);
  });

  test('int-or-string excludes preserve-unknown-fields', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            a: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
      ],
    );
  });

  test('root metadata may only restrict name and generateName', () => {
    assert.deepEqual(
      check({
        type: 'object',
        properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63 } } } },
      }),
      [],
    );
    assert.deepEqual(
      check({
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      }),
      [
        `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      ],
    );
    assert.deepEqual(check({ type: 'object', properties: { metadata: { type: 'string' } } }), [
      `${P}.properties[metadata].type: Invalid value: "string": must be object`,
    ]);
  });

  test('metadata cannot be reasoned about in value validations', () => {
    assert.deepEqual(
      check({
        type: 'object',
        properties: { metadata: { type: 'object' } },
        anyOf: [{ properties: { metadata: {} } }],
      }),
      [`${P}.anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`],
    );
  });

  test('what value validations name at the root must exist', () => {
    assert.deepEqual(
      check({
        type: 'object',
        properties: { a: { type: 'string' } },
        oneOf: [{ required: ['a'] }, { properties: { b: {} } }],
      }),
      [`${P}.properties[b]: Required value: because it is defined in ${P}.oneOf[1].properties[b]`],
    );
  });

  test('embedded resources are objects with properties or preserve-unknown-fields', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            t: {
              type: 'string',
              'x-kubernetes-embedded-resource': true,
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[t].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true`,
      ],
    );
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: { t: { type: 'object', 'x-kubernetes-embedded-resource': true } },
        }),
      ),
      [
        `${P}.properties[spec].properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
      ],
    );
  });

  test('structural errors are sorted by their text', () => {
    const errs = check(withSpec({ type: 'object', properties: { z: {}, a: {} } }));
    assert.deepEqual(errs, [...errs].sort());
    assert.equal(errs.length, 2);
  });

  test('the root is not nullable', () => {
    assert.deepEqual(check({ ...network, nullable: true }), [
      `${P}.nullable: Forbidden: nullable cannot be true at the root`,
    ]);
  });
});

describe('OpenAPI features a CRD may not use', () => {
  test('uniqueItems, null type, unknown type', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: { l: { type: 'array', uniqueItems: true, items: { type: 'string' } } },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      ],
    );
    assert.deepEqual(check(withSpec({ type: 'object', properties: { n: { type: 'float' } } })), [
      `${P}.properties[spec].properties[n].type: Unsupported value: "float": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ]);
  });

  test('items must be a single schema', () => {
    assert.deepEqual(
      check(withSpec({ type: 'object', properties: { l: { type: 'array', items: [{ type: 'string' }] } } })),
      [
        `${P}.properties[spec].properties[l].items: Forbidden: items must be a schema object and not an array`,
      ],
    );
  });

  test('x-kubernetes-preserve-unknown-fields: false', () => {
    assert.deepEqual(check(withSpec({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false })), [
      `${P}.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]);
  });

  test('an invalid pattern', () => {
    const [error] = check(withSpec({ type: 'object', properties: { s: { type: 'string', pattern: '(' } } }));
    assert.ok(
      error?.startsWith(
        `${P}.properties[spec].properties[s].pattern: Invalid value: "(": must be a valid regular expression, but isn't: `,
      ),
    );
  });
});

describe('list and map types', () => {
  test('a map list needs keys that are item properties', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: { l: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' } } },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      ],
    );
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            l: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['id'],
              items: { type: 'object', properties: { name: { type: 'string' } } },
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].x-kubernetes-list-map-keys: Invalid value: ["id"]: entries must all be names of item properties`,
      ],
    );
  });

  test('map keys must be required or defaulted scalars, and items objects', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            l: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object', properties: { name: { type: 'string' } } },
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      ],
    );
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            l: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['k'],
              items: { type: 'object', required: ['k'], properties: { k: { type: 'object' } } },
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].items.properties[k].type: Invalid value: "object": must be a scalar type if parent array's x-kubernetes-list-type is map`,
      ],
    );
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            l: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['k'],
              items: { type: 'string' },
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].items.type: Invalid value: "string": must be object if parent array's x-kubernetes-list-type is map`,
      ],
    );
  });

  test('list-type belongs on arrays, map-type on objects', () => {
    assert.deepEqual(
      check(
        withSpec({ type: 'object', properties: { s: { type: 'string', 'x-kubernetes-list-type': 'set' } } }),
      ),
      [
        `${P}.properties[spec].properties[s].type: Invalid value: "string": must be array if x-kubernetes-list-type is specified`,
      ],
    );
    assert.deepEqual(check(withSpec({ type: 'object', 'x-kubernetes-map-type': 'fancy' as 'atomic' })), [
      `${P}.properties[spec].x-kubernetes-map-type: Unsupported value: "fancy": supported values: "atomic", "granular"`,
    ]);
  });

  test('set items that are objects must be atomic maps', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            l: {
              type: 'array',
              'x-kubernetes-list-type': 'set',
              items: { type: 'object', properties: { a: { type: 'string' } } },
            },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[l].items.x-kubernetes-map-type: Invalid value: null: must be atomic as item of a list with x-kubernetes-list-type=set`,
      ],
    );
  });
});

describe('defaults', () => {
  test('a default must validate against its schema', () => {
    assert.deepEqual(
      check(withSpec({ type: 'object', properties: { port: { type: 'integer', default: 'http' } } })),
      [
        `${P}.properties[spec].properties[port].default: Invalid value: "string":  in body must be of type integer: "string"`,
      ],
    );
  });

  test('errors inside an object default name the field under the default', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            c: { type: 'object', properties: { foo: { type: 'string' } }, default: { foo: 42 } },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[c].default.foo: Invalid value: "integer": foo in body must be of type string: "integer"`,
      ],
    );
  });

  test('a default must not have fields pruning would drop', () => {
    assert.deepEqual(
      check(
        withSpec({
          type: 'object',
          properties: {
            a: { type: 'object', properties: { foo: { type: 'string' } }, default: { foo: 'abc', bar: 42 } },
          },
        }),
      ),
      [
        `${P}.properties[spec].properties[a].default: Invalid value: {"bar":42,"foo":"abc"}: must not have unknown fields`,
      ],
    );
  });

  test('defaults are forbidden in top-level metadata', () => {
    assert.deepEqual(
      check({
        type: 'object',
        properties: { metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } } },
      }),
      [
        `${P}.properties[metadata].properties[name].default: Forbidden: must not be set in top-level metadata`,
      ],
    );
  });

  test('defaults must satisfy the rules of their schema', () => {
    const rules: RuleEvaluator = {
      evaluate: (_rule, _schema, self) => (self === 7 ? { ok: false, message: '' } : { ok: true }),
    };
    const schema = withSpec({
      type: 'object',
      properties: { n: { type: 'integer', default: 7, 'x-kubernetes-validations': [{ rule: 'self != 7' }] } },
    });
    assert.deepEqual(check(schema, rules), [
      `${P}.properties[spec].properties[n].default: Invalid value: 7: failed rule: self != 7`,
    ]);
  });
});

describe('rules', () => {
  test('a rule must be present, its reason known and its fieldPath valid', () => {
    const schema = withSpec({
      type: 'object',
      properties: { a: { type: 'string' } },
      'x-kubernetes-validations': [
        { rule: ' ' },
        { rule: 'true', reason: 'FieldValueNope' as 'FieldValueInvalid' },
        { rule: 'true', fieldPath: '.b' },
      ],
    });
    assert.deepEqual(check(schema), [
      `${P}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`,
      `${P}.properties[spec].x-kubernetes-validations[1].reason: Unsupported value: "FieldValueNope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
      `${P}.properties[spec].x-kubernetes-validations[2].fieldPath: Invalid value: ".b": must be a valid path`,
    ]);
  });

  test('a multi-line rule needs a message', () => {
    assert.deepEqual(
      check(withSpec({ type: 'object', 'x-kubernetes-validations': [{ rule: 'true &&\ntrue' }] })),
      [
        `${P}.properties[spec].x-kubernetes-validations[0].message: Required value: message must be specified if rule contains line breaks`,
      ],
    );
  });

  test('oldSelf cannot be used under a list that does not correlate items', () => {
    const schema = withSpec({
      type: 'object',
      properties: {
        l: {
          type: 'array',
          items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
        },
      },
    });
    assert.deepEqual(check(schema), [
      `${P}.properties[spec].properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${P}.properties[spec].properties[l]`,
    ]);
  });

  test('optionalOldSelf only with oldSelf', () => {
    assert.deepEqual(
      check(
        withSpec({ type: 'object', 'x-kubernetes-validations': [{ rule: 'true', optionalOldSelf: true }] }),
      ),
      [
        `${P}.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`,
      ],
    );
  });
});

test('a schema that cannot be converted is reported once, with the conversion error if nothing else explains it', () => {
  assert.deepEqual(check({ type: 'object', $schema: 'http://json-schema.org/draft-04/schema#' }), [
    `${P}: Invalid value: "": OpenAPIV3Schema 'schema' is not supported`,
  ]);
});
