// Proves JSON reaches CEL typed as Kubernetes types it: ints as bigint, escaped names, sets without order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonSchema } from './json-schema.ts';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';
import { toCelValue, withTypeAndObjectMeta } from './to-cel-value.ts';

const record = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.assign(Object.create(null), entries);

const PORT: JsonSchema = { 'x-kubernetes-int-or-string': true };
const SPEC: JsonSchema = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    ratio: { type: 'number' },
    enabled: { type: 'boolean' },
    name: { type: 'string' },
    ports: {
      type: 'array',
      items: { type: 'object', properties: { port: PORT, endPort: { type: 'integer' } } },
    },
    limits: { type: 'object', additionalProperties: { type: 'integer' } },
    matrix: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
  },
};

test('integers become bigint through properties, items, nested items and additionalProperties', () => {
  const value = toCelValue(
    {
      replicas: 3,
      ratio: 2,
      enabled: true,
      name: 'web',
      ports: [{ port: 80, endPort: 90 }, { port: 'http' }],
      limits: { cpu: 4, memory: 512 },
      matrix: [[1, 2], [3]],
    },
    SPEC,
  );
  assert.deepEqual(
    value,
    record({
      replicas: 3n,
      ratio: 2,
      enabled: true,
      name: 'web',
      ports: [record({ port: 80n, endPort: 90n }), record({ port: 'http' })],
      limits: record({ cpu: 4n, memory: 512n }),
      matrix: [[1n, 2n], [3n]],
    }),
  );
});

test('int-or-string keeps strings and turns whole numbers into ints, so type(x) == int tells them apart', () => {
  assert.equal(toCelValue(8080, PORT), 8080n);
  assert.equal(toCelValue('http', PORT), 'http');
  assert.equal(KUBERNETES_CEL.evaluate('type(self) == int', { self: toCelValue(8080, PORT) }), true);
  assert.equal(KUBERNETES_CEL.evaluate('type(self) == string', { self: toCelValue('http', PORT) }), true);
});

test('a number field stays a double even when it is whole, as Kubernetes types it', () => {
  assert.equal(toCelValue(2, { type: 'number' }), 2);
  assert.equal(
    KUBERNETES_CEL.evaluate('type(self) == double', { self: toCelValue(2, { type: 'number' }) }),
    true,
  );
});

test('properties take their escaped CEL names; additionalProperties keys are kept as written', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      'x-forwarded': { type: 'string' },
      namespace: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  };
  const value = toCelValue(
    { 'x-forwarded': 'yes', namespace: 'ns', labels: { 'app.kubernetes.io/name': 'web' } },
    schema,
  );
  assert.deepEqual(
    value,
    record({
      x__dash__forwarded: 'yes',
      __namespace__: 'ns',
      labels: record({ 'app.kubernetes.io/name': 'web' }),
    }),
  );
  assert.equal(
    KUBERNETES_CEL.evaluate("self.labels['app.kubernetes.io/name'] == 'web'", { self: value }),
    true,
  );
});

test('a null property reads as absent, a null map value stays null', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      note: { type: 'string', nullable: true },
      tags: { type: 'object', additionalProperties: { type: 'string', nullable: true } },
    },
  };
  const value = toCelValue({ note: null, tags: { a: null } }, schema);
  assert.deepEqual(value, record({ tags: record({ a: null }) }));
  assert.equal(KUBERNETES_CEL.evaluate('!has(self.note) && self.tags.a == null', { self: value }), true);
  assert.equal(toCelValue(null, { type: 'string' }), null);
});

test('a list-type set equals a reordering of itself, an atomic list does not', () => {
  const set: JsonSchema = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
  const atomic: JsonSchema = { type: 'array', items: { type: 'string' } };
  const equal = (schema: JsonSchema) =>
    KUBERNETES_CEL.evaluate('self == oldSelf', {
      self: toCelValue(['a', 'b'], schema),
      oldSelf: toCelValue(['b', 'a'], schema),
    });
  assert.equal(equal(set), true);
  assert.equal(equal(atomic), false);
});

test('a list-type set still indexes, iterates, measures and joins like a list', () => {
  const self = toCelValue(['10.0.0.0/8', '192.168.0.0/16'], {
    type: 'array',
    'x-kubernetes-list-type': 'set',
    items: { type: 'string' },
  });
  const evaluate = (expression: string) => KUBERNETES_CEL.evaluate(expression, { self });
  assert.equal(evaluate('self[1]'), '192.168.0.0/16');
  assert.equal(evaluate('size(self)'), 2n);
  assert.equal(evaluate("self.join(', ')"), '10.0.0.0/8, 192.168.0.0/16');
  assert.equal(evaluate("'10.0.0.0/8' in self"), true);
  assert.deepEqual(evaluate('self.map(c, cidr(c).prefixLength())'), [8n, 16n]);
});

test('data under x-kubernetes-preserve-unknown-fields keeps its shape, with ints as bigint', () => {
  const value = toCelValue(
    { a: [1, 'x', { b: 2.5 }] },
    { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  );
  assert.deepEqual(value, record({ a: [1n, 'x', record({ b: 2.5 })] }));
});

test('an embedded resource shows apiVersion, kind and metadata name fields, typed as strings', () => {
  const schema: JsonSchema = {
    type: 'object',
    'x-kubernetes-embedded-resource': true,
    'x-kubernetes-preserve-unknown-fields': true,
    properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
  };
  const value = toCelValue(
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { size: 1 } },
    schema,
  );
  assert.deepEqual(
    value,
    record({ apiVersion: 'v1', kind: 'Pod', metadata: record({ name: 'p' }), spec: record({ size: 1n }) }),
  );
  assert.deepEqual(Object.keys(withTypeAndObjectMeta({ type: 'object' }).properties ?? {}), [
    'apiVersion',
    'kind',
    'metadata',
  ]);
});

test('date-time, date and byte strings become timestamps and bytes', () => {
  const time = toCelValue('2024-05-01T10:00:00Z', { type: 'string', format: 'date-time' });
  assert.equal(KUBERNETES_CEL.evaluate("self > timestamp('2024-01-01T00:00:00Z')", { self: time }), true);
  const day = toCelValue('2024-05-01', { type: 'string', format: 'date' });
  assert.equal(KUBERNETES_CEL.evaluate("self == timestamp('2024-05-01T00:00:00Z')", { self: day }), true);
  const bytes = toCelValue('aGk=', { type: 'string', format: 'byte' });
  assert.equal(KUBERNETES_CEL.evaluate("self == b'hi'", { self: bytes }), true);
});
