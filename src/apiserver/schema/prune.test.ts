// Proves prune drops what the structural schema does not specify and reports the paths kube-apiserver reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { JsonSchemaProps } from './json-schema.ts';
import { prune, unknownFieldMessage } from './prune.ts';

const network: JsonSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ipv4Blocks: { type: 'array', items: { type: 'string' } },
        regions: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { v: { type: 'string' } } },
        },
        providerConfig: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { linux: { type: 'object', properties: { bridge: { type: 'string' } } } },
        },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

describe('prune', () => {
  test('drops unknown fields and reports their paths', () => {
    const result = prune(network, { spec: { ipv4Blocks: ['10.0.0.0/16'], mtu: 1500 }, extra: true });
    assert.deepEqual(result.value, { spec: { ipv4Blocks: ['10.0.0.0/16'] } });
    assert.deepEqual(result.unknownFields, ['extra', 'spec.mtu']);
  });

  test('paths index list items and dot map keys', () => {
    const result = prune(network, {
      spec: { regions: [{ name: 'us', zone: 'a' }], labels: { 'team.a': { v: 'x', w: 'y' } } },
    });
    assert.deepEqual(result.value, { spec: { regions: [{ name: 'us' }], labels: { 'team.a': { v: 'x' } } } });
    assert.deepEqual(result.unknownFields, ['spec.labels.team.a.w', 'spec.regions[0].zone']);
  });

  test('keeps apiVersion, kind and metadata of the resource, whatever the schema says', () => {
    const value = {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'n', anything: 1 },
    };
    assert.deepEqual(prune(network, value), { value, unknownFields: [] });
  });

  test('x-kubernetes-preserve-unknown-fields keeps unknown fields but still prunes the known ones', () => {
    const result = prune(network, {
      spec: { providerConfig: { gcp: { region: 'us' }, linux: { bridge: 'br0', mode: 'x' } } },
    });
    assert.deepEqual(result.value, {
      spec: { providerConfig: { gcp: { region: 'us' }, linux: { bridge: 'br0' } } },
    });
    assert.deepEqual(result.unknownFields, ['spec.providerConfig.linux.mode']);
  });

  test('an embedded resource keeps its apiVersion, kind and metadata', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object' } },
        },
      },
    };
    const result = prune(schema, {
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {}, status: {} },
    });
    assert.deepEqual(result.value, {
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} },
    });
    assert.deepEqual(result.unknownFields, ['template.status']);
  });

  test('additionalProperties: true keeps the keys but not what is nested under them', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: { m: { type: 'object', additionalProperties: true } },
    };
    const result = prune(schema, { m: { a: 1, b: { c: 2 } } });
    assert.deepEqual(result.value, { m: { a: 1, b: {} } });
    assert.deepEqual(result.unknownFields, ['m.b.c']);
  });

  test('outside a resource root, a top-level metadata is dropped without being reported', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: { a: { type: 'string' } } };
    const result = prune(schema, { a: 'x', metadata: {}, b: 1 }, { isResourceRoot: false });
    assert.deepEqual(result.value, { a: 'x' });
    assert.deepEqual(result.unknownFields, ['b']);
  });

  test('paths are sorted byte-wise, as sort.Strings sorts them', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: {} };
    assert.deepEqual(prune(schema, { b: 1, B: 1, a: 1 }).unknownFields, ['B', 'a', 'b']);
  });

  test('the message for an unknown field', () => {
    assert.equal(unknownFieldMessage('spec.mtu'), 'unknown field "spec.mtu"');
  });

  test('never mutates its input; pruning twice finds nothing more', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (spec) => {
        const input = { spec, status: spec };
        const before = JSON.stringify(input);
        const once = prune(network, input);
        assert.equal(JSON.stringify(input), before);
        const twice = prune(network, once.value);
        assert.deepEqual(twice.value, once.value);
        assert.deepEqual(twice.unknownFields, []);
      }),
    );
  });
});
