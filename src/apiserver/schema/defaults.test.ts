// Proves applyDefaults defaults as kube-apiserver's structural defaulting does, without touching its input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyDefaults, pruneNonNullableNulls } from './defaults.ts';
import type { JsonSchemaProps } from './json-schema.ts';

const claim: JsonSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        ipFamily: { type: 'string', default: 'IPv4' },
        prefixLength: { type: 'integer' },
        location: { type: 'object', default: {}, properties: { zone: { type: 'string', default: 'a' } } },
        allocation: { type: 'object', properties: { type: { type: 'string', default: 'Dynamic' } } },
        note: { type: 'string', nullable: true, default: 'n/a' },
      },
    },
  },
};

describe('applyDefaults', () => {
  test('fills missing properties of objects that exist, and defaults inside defaults', () => {
    assert.deepEqual(applyDefaults(claim, { spec: { prefixLength: 24 } }), {
      spec: { prefixLength: 24, ipFamily: 'IPv4', location: { zone: 'a' }, note: 'n/a' },
    });
  });

  test('does not create objects that are absent', () => {
    assert.deepEqual(applyDefaults(claim, {}), {});
    assert.equal(
      (applyDefaults(claim, { spec: {} }) as { spec: { allocation?: unknown } }).spec.allocation,
      undefined,
    );
  });

  test('keeps values that are set', () => {
    assert.deepEqual(
      applyDefaults(claim, { spec: { ipFamily: 'IPv6', location: { zone: 'b' }, note: 'x' } }),
      {
        spec: { ipFamily: 'IPv6', location: { zone: 'b' }, note: 'x' },
      },
    );
  });

  test('replaces a null the schema does not allow; keeps a nullable null', () => {
    assert.deepEqual(applyDefaults(claim, { spec: { ipFamily: null, note: null, location: null } }), {
      spec: { ipFamily: 'IPv4', note: null, location: { zone: 'a' } },
    });
  });

  test('defaults objects inside lists and null list items', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          items: {
            type: 'object',
            default: { protocol: 'TCP' },
            properties: { protocol: { type: 'string', default: 'TCP' }, port: { type: 'integer' } },
          },
        },
      },
    };
    assert.deepEqual(applyDefaults(schema, { ports: [{ port: 80 }, null] }), {
      ports: [{ port: 80, protocol: 'TCP' }, { protocol: 'TCP' }],
    });
  });

  test('defaults values of a map through additionalProperties', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        zones: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            default: { weight: 1 },
            properties: { weight: { type: 'integer', default: 1 }, name: { type: 'string' } },
          },
        },
      },
    };
    assert.deepEqual(applyDefaults(schema, { zones: { a: null, b: { name: 'b' } } }), {
      zones: { a: { weight: 1 }, b: { name: 'b', weight: 1 } },
    });
  });

  test('a default of null is no default', () => {
    const schema: JsonSchemaProps = { type: 'object', properties: { a: { type: 'string', default: null } } };
    assert.deepEqual(applyDefaults(schema, {}), {});
  });

  test('each defaulted value is a fresh copy', () => {
    const first = applyDefaults(claim, { spec: {} }) as { spec: { location: { zone: string } } };
    first.spec.location.zone = 'changed';
    const second = applyDefaults(claim, { spec: {} }) as { spec: { location: { zone: string } } };
    assert.equal(second.spec.location.zone, 'a');
    assert.deepEqual(claim.properties?.spec?.properties?.location?.default, {});
  });

  test('never mutates its input, and defaulting twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (spec) => {
        const input = { spec };
        const before = JSON.stringify(input);
        const once = applyDefaults(claim, input);
        assert.equal(JSON.stringify(input), before);
        assert.deepEqual(applyDefaults(claim, once), once);
      }),
    );
  });
});

describe('pruneNonNullableNulls', () => {
  test('drops nulls that are neither nullable nor defaulted, keeps the others for defaulting', () => {
    const schema: JsonSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            a: { type: 'string' },
            b: { type: 'string', default: 'x' },
            c: { type: 'string', nullable: true },
          },
        },
      },
    };
    assert.deepEqual(pruneNonNullableNulls(schema, { spec: { a: null, b: null, c: null, unknown: null } }), {
      spec: { b: null, c: null, unknown: null },
    });
  });
});
