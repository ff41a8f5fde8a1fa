// Proves validateValue gives kube-apiserver's field errors (paths, types, messages, order) for CRD schemas and
// runs x-kubernetes-validations with Kubernetes' transition-rule, correlation and blocking semantics.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type FieldError, formatFieldError } from './field-error.ts';
import type { JsonSchemaProps, ValidationRule } from './json-schema.ts';
import { type RuleEvaluator, type ValidateOptions, validateValue } from './validate.ts';

const lines = (errs: readonly FieldError[]): string[] => errs.map(formatFieldError);

function expectErrors(
  schema: JsonSchemaProps,
  value: unknown,
  expected: string[],
  options?: ValidateOptions,
): void {
  assert.deepEqual(lines(validateValue(schema, value, options)), expected);
}

const spec = (
  properties: Record<string, JsonSchemaProps>,
  extra: Partial<JsonSchemaProps> = {},
): JsonSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties, ...extra } },
});

describe('types', () => {
  test('a string where an integer belongs is a type error naming the JSON type', () => {
    expectErrors(spec({ mtu: { type: 'integer' } }), { spec: { mtu: 'string' } }, [
      'spec.mtu: Invalid value: "string": spec.mtu in body must be of type integer: "string"',
    ]);
  });

  test('1.5 is not an integer: a type error and the range check kube-openapi adds', () => {
    expectErrors(spec({ mtu: { type: 'integer' } }), { spec: { mtu: 1.5 } }, [
      'spec.mtu: Invalid value: "number": spec.mtu in body must be of type integer: "number"',
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.mtu',
    ]);
  });

  test('2.0 decodes to an integer and is accepted', () => {
    expectErrors(spec({ mtu: { type: 'integer' } }), JSON.parse('{"spec":{"mtu":2.0}}'), []);
  });

  test('an integer is a number', () => {
    expectErrors(spec({ ratio: { type: 'number' } }), { spec: { ratio: 3 } }, []);
  });

  test('null is rejected unless nullable', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: { field: { type: 'object' } } };
    expectErrors(schema, { field: null }, [
      'field: Invalid value: "null": field in body must be of type object: "null"',
    ]);
    const nullable: JsonSchemaProps = {
      type: 'object',
      properties: { field: { type: 'object', nullable: true } },
    };
    expectErrors(nullable, { field: null }, []);
  });

  test('arrays, booleans and objects are named by their JSON type', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: { field: { type: 'string' } } };
    expectErrors(schema, { field: [] }, [
      'field: Invalid value: "array": field in body must be of type string: "array"',
    ]);
    expectErrors(schema, { field: true }, [
      'field: Invalid value: "boolean": field in body must be of type string: "boolean"',
    ]);
    expectErrors(schema, { field: {} }, [
      'field: Invalid value: "object": field in body must be of type string: "object"',
    ]);
  });

  test('a wrong type at the root has the nil path and an empty name in its message', () => {
    expectErrors({ type: 'object' }, 'foo', [
      '<nil>: Invalid value: "string":  in body must be of type object: "string"',
    ]);
  });

  test('x-kubernetes-int-or-string accepts both and names both in its error', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { port: { 'x-kubernetes-int-or-string': true } },
    };
    expectErrors(schema, { port: 80 }, []);
    expectErrors(schema, { port: 'http' }, []);
    expectErrors(schema, { port: 1.2 }, [
      'port: Invalid value: "number": port in body must be of type integer,string: "number"',
    ]);
  });

  test('int-or-string with the anyOf form reports the best failing branch', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        field: {
          nullable: true,
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string' }],
        },
      },
    };
    expectErrors(schema, { field: null }, []);
    expectErrors(schema, { field: true }, [
      'field: Invalid value: "boolean": field in body must be of type integer,string: "boolean"',
      '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)',
      'field: Invalid value: "boolean": field in body must be of type integer: "boolean"',
    ]);
  });

  test('preserve-unknown-fields without a type accepts anything', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { raw: { 'x-kubernetes-preserve-unknown-fields': true } },
    };
    expectErrors(schema, { raw: { any: [1, 'two', null] } }, []);
    expectErrors(schema, { raw: 7 }, []);
  });
});

describe('value validations', () => {
  test('maximum reports the value and the bound', () => {
    expectErrors(spec({ prefixLength: { type: 'integer', maximum: 32 } }), { spec: { prefixLength: 33 } }, [
      'spec.prefixLength: Invalid value: 33: spec.prefixLength in body should be less than or equal to 32',
    ]);
  });

  test('exclusive bounds use strict wording', () => {
    const schema = spec({
      n: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true },
    });
    expectErrors(schema, { spec: { n: 0 } }, [
      'spec.n: Invalid value: 0: spec.n in body should be greater than 0',
    ]);
    expectErrors(schema, { spec: { n: 10 } }, [
      'spec.n: Invalid value: 10: spec.n in body should be less than 10',
    ]);
  });

  test('a float value is compared with a float bound, printed as Go prints a float64', () => {
    expectErrors(spec({ n: { type: 'number', maximum: 1000000 } }), { spec: { n: 1000000.5 } }, [
      'spec.n: Invalid value: 1.0000005e+06: spec.n in body should be less than or equal to 1e+06',
    ]);
  });

  test('minimum below', () => {
    expectErrors(spec({ mtu: { type: 'integer', minimum: 576 } }), { spec: { mtu: 100 } }, [
      'spec.mtu: Invalid value: 100: spec.mtu in body should be greater than or equal to 576',
    ]);
  });

  test('multipleOf', () => {
    expectErrors(spec({ n: { type: 'integer', multipleOf: 8 } }), { spec: { n: 12 } }, [
      'spec.n: Invalid value: 12: spec.n in body should be a multiple of 8',
    ]);
  });

  test('maxLength is Too long in bytes, without the value', () => {
    expectErrors(
      { type: 'object', properties: { fieldX: { type: 'string', maxLength: 2 } } },
      { fieldX: 'abc' },
      ['fieldX: Too long: may not be more than 2 bytes'],
    );
    expectErrors(
      { type: 'object', properties: { fieldX: { type: 'string', maxLength: 1 } } },
      { fieldX: 'ab' },
      ['fieldX: Too long: may not be more than 1 byte'],
    );
  });

  test('maxLength counts characters, not bytes', () => {
    expectErrors({ type: 'object', properties: { s: { type: 'string', maxLength: 2 } } }, { s: 'éé' }, []);
  });

  test('minLength is an invalid value', () => {
    expectErrors(spec({ name: { type: 'string', minLength: 3 } }), { spec: { name: 'ab' } }, [
      'spec.name: Invalid value: "ab": spec.name in body should be at least 3 chars long',
    ]);
  });

  test('pattern', () => {
    expectErrors(spec({ name: { type: 'string', pattern: '^[a-z]+$' } }), { spec: { name: 'Abc' } }, [
      `spec.name: Invalid value: "Abc": spec.name in body should match '^[a-z]+$'`,
    ]);
  });

  test('an invalid pattern fails every value and says why', () => {
    const [error] = validateValue(
      { type: 'object', properties: { field: { type: 'string', pattern: '+' } } },
      { field: 'foo' },
    );
    assert.ok(error);
    assert.match(
      formatFieldError(error),
      /^field: Invalid value: "foo": field in body should match '\+, but pattern is invalid: /,
    );
  });

  test('only the first failing string check is reported', () => {
    expectErrors(spec({ s: { type: 'string', maxLength: 2, pattern: '^[0-9]+$' } }), { spec: { s: 'abc' } }, [
      'spec.s: Too long: may not be more than 2 bytes',
    ]);
  });

  test('enum is Unsupported value listing the members; members that are not strings are JSON', () => {
    expectErrors(spec({ mode: { type: 'string', enum: ['Dynamic', 'Static'] } }), { spec: { mode: 'Foo' } }, [
      'spec.mode: Unsupported value: "Foo": supported values: "Dynamic", "Static"',
    ]);
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        field: {
          type: 'object',
          properties: {
            nestedint: { type: 'integer', enum: [1, 2] },
            nestedstring: { type: 'string', enum: ['a', 'b'] },
          },
        },
      },
    };
    expectErrors(schema, { field: { nestedint: 'x', nestedstring: true } }, [
      'field.nestedint: Invalid value: "string": field.nestedint in body must be of type integer: "string"',
      'field.nestedint: Unsupported value: "x": supported values: "1", "2"',
      'field.nestedstring: Invalid value: "boolean": field.nestedstring in body must be of type string: "boolean"',
      'field.nestedstring: Unsupported value: true: supported values: "a", "b"',
    ]);
  });

  test('required properties are Required value at the property path', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      required: ['field'],
      properties: {
        field: { type: 'object', required: ['nested'], properties: { nested: { type: 'string' } } },
      },
    };
    expectErrors(schema, { test: 'a' }, ['field: Required value']);
    expectErrors(schema, { field: {} }, ['field.nested: Required value']);
  });

  test('minItems, maxItems (Too many) and uniqueItems', () => {
    const schema = spec({ blocks: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'string' } } });
    expectErrors(schema, { spec: { blocks: [] } }, [
      'spec.blocks: Invalid value: 0: spec.blocks in body should have at least 1 items',
    ]);
    expectErrors(schema, { spec: { blocks: Array.from({ length: 20 }, (_, i) => `b${i}`) } }, [
      'spec.blocks: Too many: 20: must have at most 16 items',
    ]);
    expectErrors(
      spec({ one: { type: 'array', maxItems: 1, items: { type: 'string' } } }),
      { spec: { one: ['a', 'b'] } },
      ['spec.one: Too many: 2: must have at most 1 item'],
    );
    expectErrors(
      spec({ u: { type: 'array', uniqueItems: true, items: { type: 'string' } } }),
      { spec: { u: ['a', 'a'] } },
      [`spec.u: Invalid value: "": spec.u in body shouldn't contain duplicates`],
    );
  });

  test('maxProperties is Too many; minProperties is an invalid value', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { fieldX: { type: 'object', maxProperties: 2, minProperties: 1 } },
    };
    expectErrors(schema, { fieldX: { a: true, b: true, c: true } }, [
      'fieldX: Too many: 3: must have at most 2 items',
    ]);
    expectErrors(schema, { fieldX: {} }, [
      'fieldX: Invalid value: 0: fieldX in body should have at least 1 properties',
    ]);
  });

  test('list items are indexed and map entries are dotted, as kube-openapi names them', () => {
    const schema = spec({
      ipv4Blocks: { type: 'array', items: { type: 'string', maxLength: 18 } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    });
    expectErrors(
      schema,
      {
        spec: { ipv4Blocks: ['10.0.0.0/16', '10.100.200.0/240000'], labels: { 'app.kubernetes.io/name': 5 } },
      },
      [
        'spec.ipv4Blocks[1]: Too long: may not be more than 18 bytes',
        'spec.labels.app.kubernetes.io/name: Invalid value: "integer": spec.labels.app.kubernetes.io/name in body must be of type string: "integer"',
      ],
    );
  });

  test('additionalProperties: false forbids every undeclared key', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { m: { type: 'object', additionalProperties: false } },
    };
    expectErrors(schema, { m: { a: 1 } }, ['m: Invalid value: "a": m.a in body is a forbidden property']);
  });

  test('unknown fields are not validated (pruning removes them)', () => {
    expectErrors(spec({ a: { type: 'string' } }), { spec: { b: 7 } }, []);
  });

  test('allOf, oneOf and not add their composite messages', () => {
    const oneOf: JsonSchemaProps = {
      type: 'object',
      properties: { x: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] } },
    };
    expectErrors(oneOf, { x: 5 }, [
      '<nil>: Invalid value: "": "x" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
    const not: JsonSchemaProps = {
      type: 'object',
      properties: { x: { type: 'string', not: { enum: ['forbidden'] } } },
    };
    expectErrors(not, { x: 'forbidden' }, [
      '<nil>: Invalid value: "": "x" must not validate the schema (not)',
    ]);
    const allOf: JsonSchemaProps = {
      type: 'object',
      properties: { x: { type: 'integer', allOf: [{ minimum: 3 }] } },
    };
    expectErrors(allOf, { x: 1 }, [
      'x: Invalid value: 1: x in body should be greater than or equal to 3',
      '<nil>: Invalid value: "": "x" must validate all the schemas (allOf). None validated',
    ]);
  });

  test('errors come in document order', () => {
    const schema = spec({ a: { type: 'integer' }, b: { type: 'integer' } });
    expectErrors(schema, { spec: { b: 'x', a: 'y' } }, [
      'spec.b: Invalid value: "string": spec.b in body must be of type integer: "string"',
      'spec.a: Invalid value: "string": spec.a in body must be of type integer: "string"',
    ]);
  });

  test('a root path prefixes the field but not the name in the message (the status subresource case)', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: { num: { type: 'integer', maximum: 10 } } };
    expectErrors(
      schema,
      { num: 15 },
      ['status.num: Invalid value: 15: num in body should be less than or equal to 10'],
      {
        path: 'status',
      },
    );
  });
});

describe('formats', () => {
  const longName = (value: string): string | undefined =>
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
      ? undefined
      : 'not a long name';
  const schema: JsonSchemaProps = {
    type: 'object',
    properties: { fieldX: { type: 'string', format: 'k8s-long-name' } },
  };

  test('a known format that does not match is a type error naming the format, then what is wrong', () => {
    expectErrors(
      schema,
      { fieldX: 'a.-' },
      ['fieldX: Invalid value: "a.-": fieldX in body must be of type k8s-long-name: "a.-" (not a long name)'],
      {
        formats: { 'k8s-long-name': longName },
      },
    );
  });

  test('an unknown format is ignored', () => {
    expectErrors(schema, { fieldX: 'a.-' }, []);
  });

  test('format names match without dashes, as go-openapi normalizes them', () => {
    expectErrors(
      schema,
      { fieldX: 'a.-' },
      ['fieldX: Invalid value: "a.-": fieldX in body must be of type k8s-long-name: "a.-"'],
      {
        formats: { k8slongname: (value) => (longName(value) === undefined ? undefined : '') },
      },
    );
  });

  test('int32 and float ranges are checked', () => {
    const numeric: JsonSchemaProps = {
      type: 'object',
      properties: {
        intThirtyTwo: { type: 'integer', format: 'int32' },
        floatThreeTwo: { type: 'number', format: 'float' },
      },
    };
    expectErrors(numeric, { intThirtyTwo: 2147483647, floatThreeTwo: 3.4e38 }, []);
    expectErrors(numeric, { intThirtyTwo: 2147483648 }, [
      '<nil>: Invalid value: "": Checked value must be of type integer with format int32 in intThirtyTwo',
    ]);
    expectErrors(numeric, { floatThreeTwo: 3.4028234663852886e38 * 1.1 }, [
      '<nil>: Invalid value: "": Checked value must be of type number with format float in floatThreeTwo',
    ]);
  });
});

describe('list types', () => {
  test('a set reports each repeated value at its second occurrence', () => {
    const schema = spec({
      blocks: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    });
    expectErrors(schema, { spec: { blocks: ['10.0.0.0/16', '10.1.0.0/16', '10.0.0.0/16', '10.0.0.0/16'] } }, [
      'spec.blocks[2]: Duplicate value: "10.0.0.0/16"',
    ]);
  });

  test('a map list reports the repeated key', () => {
    const schema = spec({
      regions: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
    });
    expectErrors(schema, { spec: { regions: [{ name: 'us' }, { name: 'eu' }, { name: 'us' }] } }, [
      'spec.regions[2]: Duplicate value: {"name":"us"}',
    ]);
  });

  test('a map list with two keys compares both', () => {
    const schema = spec({
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['port', 'protocol'],
        items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' } } },
      },
    });
    expectErrors(
      schema,
      {
        spec: {
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 80, protocol: 'UDP' },
            { protocol: 'TCP', port: 80 },
          ],
        },
      },
      ['spec.ports[2]: Duplicate value: {"port":80,"protocol":"TCP"}'],
    );
  });

  test('a map list item must be an object', () => {
    const schema = spec({
      m: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k'],
        items: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
    expectErrors(schema, { spec: { m: [{ k: 'a' }, 'x'] } }, [
      'spec.m[1]: Invalid value: "x": must be an object for an array of list-type map',
    ]);
  });

  test('on update, duplicates already in the old object are not reported', () => {
    const schema = spec({
      blocks: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    });
    const old = { spec: { blocks: ['a', 'a'] } };
    expectErrors(schema, { spec: { blocks: ['a', 'a', 'b'] } }, [], { old });
  });
});

describe('embedded resources', () => {
  const schema = spec({
    template: {
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    },
  });

  test('apiVersion and kind are required', () => {
    expectErrors(schema, { spec: { template: {} } }, [
      'spec.template.apiVersion: Required value',
      'spec.template.kind: Required value',
    ]);
  });

  test('kind may have mixed case but must otherwise be a DNS-1035 label; metadata is validated', () => {
    expectErrors(
      schema,
      { spec: { template: { apiVersion: 'v1', kind: 'Pod_Thing', metadata: { name: 'a/b' } } } },
      [
        `spec.template.kind: Invalid value: "Pod_Thing": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        `spec.template.metadata.name: Invalid value: "a/b": may not contain '/'`,
      ],
    );
  });
});

interface Call {
  readonly rule: string;
  readonly self: unknown;
  readonly oldSelf: unknown;
  readonly hasOld: boolean;
}

function fakeEvaluator(
  outcomes: Record<string, (self: unknown, oldSelf: unknown) => ReturnType<RuleEvaluator['evaluate']>>,
): RuleEvaluator & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    evaluate(rule, _schema, self, oldSelf, hasOld) {
      calls.push({ rule: rule.rule, self, oldSelf, hasOld });
      const outcome = outcomes[rule.rule];
      if (!outcome) throw new Error(`unexpected rule ${rule.rule}`);
      return outcome(self, oldSelf);
    },
  };
}

const pass = (): { ok: true } => ({ ok: true });
const fail = (message = ''): { ok: false; message: string } => ({ ok: false, message });

describe('x-kubernetes-validations', () => {
  test('a failing rule on an object omits the value; on a scalar it shows it', () => {
    const schema = spec(
      { name: { type: 'string', 'x-kubernetes-validations': [{ rule: "self == 'x'" }] } },
      {
        'x-kubernetes-validations': [
          { rule: 'size(self.ipv4Blocks) > 0', message: 'must have at least one block' },
        ],
      },
    );
    const rules = fakeEvaluator({ 'size(self.ipv4Blocks) > 0': () => fail(), "self == 'x'": () => fail() });
    expectErrors(
      schema,
      { spec: { name: 'y' } },
      [
        'spec: Invalid value: must have at least one block',
        `spec.name: Invalid value: "y": failed rule: self == 'x'`,
      ],
      { rules },
    );
  });

  test('a transition rule runs only when an old value exists, and gets it', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { field: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
    };
    const rules = fakeEvaluator({ 'self == oldSelf': (self, old) => (self === old ? pass() : fail()) });
    expectErrors(schema, { field: 'y' }, [], { rules });
    assert.equal(rules.calls.length, 0);
    expectErrors(schema, { field: 'y' }, ['field: Invalid value: "y": failed rule: self == oldSelf'], {
      rules,
      old: { field: 'x' },
    });
    assert.deepEqual(rules.calls, [{ rule: 'self == oldSelf', self: 'y', oldSelf: 'x', hasOld: true }]);
  });

  test('a rule mentioning oldSelf only inside a string is not a transition rule', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { f: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'oldSelf'" }] } },
    };
    const rules = fakeEvaluator({ "self != 'oldSelf'": pass });
    validateValue(schema, { f: 'a' }, { rules });
    assert.equal(rules.calls.length, 1);
  });

  test('optionalOldSelf rules run on create with hasOld false', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        f: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: 'oldSelf.orValue(self) == self', optionalOldSelf: true }],
        },
      },
    };
    const rules = fakeEvaluator({ 'oldSelf.orValue(self) == self': pass });
    validateValue(schema, { f: 'a' }, { rules });
    assert.deepEqual(rules.calls, [
      { rule: 'oldSelf.orValue(self) == self', self: 'a', oldSelf: undefined, hasOld: false },
    ]);
  });

  test('items of a map list correlate with old items by key; items of an atomic list do not', () => {
    const item = (rules: readonly ValidationRule[]): JsonSchemaProps => ({
      type: 'object',
      properties: {
        k1: { type: 'string' },
        k2: { type: 'string' },
        v1: { type: 'number', 'x-kubernetes-validations': rules },
      },
    });
    const rules = fakeEvaluator({
      'self >= oldSelf': (self, old) => ((self as number) >= (old as number) ? pass() : fail()),
    });
    const mapList: JsonSchemaProps = {
      type: 'object',
      properties: {
        field: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k1', 'k2'],
          items: item([{ rule: 'self >= oldSelf' }]),
        },
      },
    };
    expectErrors(
      mapList,
      {
        field: [
          { k1: 'z', k2: 'z', v1: 0.1 },
          { k1: 'a', k2: 'b', v1: 0.9 },
        ],
      },
      ['field[1].v1: Invalid value: 0.9: failed rule: self >= oldSelf'],
      { rules, old: { field: [{ k1: 'a', k2: 'b', v1: 1.0 }] } },
    );
    assert.equal(rules.calls.length, 1);
    const atomic: JsonSchemaProps = {
      type: 'object',
      properties: { field: { type: 'array', items: item([{ rule: 'self >= oldSelf' }]) } },
    };
    expectErrors(atomic, { field: [{ k1: 'a', k2: 'b', v1: 0.9 }] }, [], {
      rules,
      old: { field: [{ k1: 'a', k2: 'b', v1: 1.0 }] },
    });
    assert.equal(rules.calls.length, 1);
  });

  test('fieldPath moves the error to the named field', () => {
    const schema = spec(
      { ipv4Blocks: { type: 'array', items: { type: 'string' } } },
      {
        'x-kubernetes-validations': [
          { rule: 'self.ipv4Blocks.all(b, true)', message: 'blocks overlap', fieldPath: '.ipv4Blocks' },
        ],
      },
    );
    const rules = fakeEvaluator({ 'self.ipv4Blocks.all(b, true)': () => fail() });
    expectErrors(
      schema,
      { spec: { ipv4Blocks: ['10.0.0.0/8'] } },
      ['spec.ipv4Blocks: Invalid value: blocks overlap'],
      { rules },
    );
  });

  test('reason chooses the error type', () => {
    const schema = spec({
      a: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: 'r1', message: 'no', reason: 'FieldValueForbidden' }],
      },
      b: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: 'r2', message: 'needed', reason: 'FieldValueRequired' }],
      },
      c: { type: 'string', 'x-kubernetes-validations': [{ rule: 'r3', reason: 'FieldValueDuplicate' }] },
      d: { type: 'object', 'x-kubernetes-validations': [{ rule: 'r4', reason: 'FieldValueDuplicate' }] },
    });
    const rules = fakeEvaluator({ r1: () => fail(), r2: () => fail(), r3: () => fail(), r4: () => fail() });
    const errs = validateValue(schema, { spec: { a: 'x', b: 'y', c: 'z', d: {} } }, { rules });
    assert.deepEqual(lines(errs), [
      'spec.a: Forbidden: no',
      'spec.b: Required value: needed',
      'spec.c: Duplicate value: "z"',
      'spec.d: Duplicate value',
    ]);
    assert.deepEqual(
      errs.map((e) => e.reason),
      ['FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate', 'FieldValueDuplicate'],
    );
  });

  test('an evaluated messageExpression replaces the message', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        n: {
          type: 'integer',
          'x-kubernetes-validations': [{ rule: 'self < 5', messageExpression: "'too big'" }],
        },
      },
    };
    const rules = fakeEvaluator({ 'self < 5': () => fail('7 is too big') });
    expectErrors(schema, { n: 7 }, ['n: Invalid value: 7: 7 is too big'], { rules });
  });

  test('an evaluation error is an invalid value of the schema type with the error and the rule', () => {
    const schema = spec(
      {},
      {
        'x-kubernetes-validations': [{ rule: 'self.x > 0' }, { rule: 'self.y == 1', message: 'y must be 1' }],
      },
    );
    const rules = fakeEvaluator({
      'self.x > 0': () => ({ ok: false, error: 'no such key: x' }),
      'self.y == 1': () => ({ ok: false, error: 'no such overload: _==_(string, int)' }),
    });
    expectErrors(
      schema,
      { spec: {} },
      [
        'spec: Invalid value: "object": no such key: x evaluating rule: self.x > 0',
        `spec: Invalid value: "object": 'no such overload: _==_(string, int)': call arguments did not match a supported operator, function or macro signature for rule: y must be 1`,
      ],
      { rules },
    );
  });

  test('a type error anywhere keeps every rule from running and says so', () => {
    const schema = spec({
      mtu: { type: 'integer' },
      name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'r' }] },
    });
    const rules = fakeEvaluator({ r: () => fail() });
    expectErrors(
      schema,
      { spec: { mtu: 'big', name: 'x' } },
      [
        'spec.mtu: Invalid value: "string": spec.mtu in body must be of type integer: "string"',
        '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      ],
      { rules },
    );
    assert.equal(rules.calls.length, 0);
  });

  test('value errors that do not block (a bound, a pattern) still let rules run', () => {
    const schema = spec({
      mtu: { type: 'integer', maximum: 9000 },
      name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'r' }] },
    });
    const rules = fakeEvaluator({ r: () => fail() });
    expectErrors(
      schema,
      { spec: { mtu: 9001, name: 'x' } },
      [
        'spec.mtu: Invalid value: 9001: spec.mtu in body should be less than or equal to 9000',
        'spec.name: Invalid value: "x": failed rule: r',
      ],
      { rules },
    );
  });

  test('errors found before (e.g. a missing metadata.name) also block rules', () => {
    const schema = spec({ name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'r' }] } });
    const rules = fakeEvaluator({ r: () => fail() });
    const precedingErrors: FieldError[] = [
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value' },
    ];
    assert.equal(validateValue(schema, { spec: { name: 'x' } }, { rules, precedingErrors }).length, 1);
    assert.equal(rules.calls.length, 0);
  });

  test('null values are not evaluated; map values are keyed in paths', () => {
    const schema = spec({
      maybe: { type: 'string', nullable: true, 'x-kubernetes-validations': [{ rule: 'r' }] },
      labels: {
        type: 'object',
        additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'r' }] },
      },
    });
    const rules = fakeEvaluator({ r: () => fail() });
    expectErrors(
      schema,
      { spec: { maybe: null, labels: { 'a.b/c': 'v' } } },
      ['spec.labels[a.b/c]: Invalid value: "v": failed rule: r'],
      {
        rules,
      },
    );
    assert.equal(rules.calls.length, 1);
  });

  test('without an evaluator rules are not checked', () => {
    expectErrors(spec({}, { 'x-kubernetes-validations': [{ rule: 'false' }] }), { spec: {} }, []);
  });
});

test('validation is deterministic and never throws on arbitrary JSON', () => {
  const schema = spec({
    a: { type: 'integer', maximum: 5 },
    b: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string', pattern: '^[a-z]$' } },
    c: { type: 'object', additionalProperties: { type: 'boolean' } },
  });
  fc.assert(
    fc.property(fc.jsonValue(), (spec) => {
      const once = validateValue(schema, { spec });
      assert.deepEqual(validateValue(schema, { spec }), once);
    }),
  );
});
