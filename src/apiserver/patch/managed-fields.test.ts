// Proves the managedFields codec: kube's manager identifiers, entry order and the refusals of DecodeManagedFields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldSetOf } from './field-set.ts';
import {
  decodeManagedFields,
  encodeManagedFields,
  type ManagedSet,
  managerIdentifier,
  validateManagedFields,
} from './managed-fields.ts';
import { fieldPath } from './path-element.ts';

const entry = (overrides: Record<string, unknown>) => ({
  manager: 'kubectl',
  operation: 'Apply',
  apiVersion: 'example.com/v1',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:mtu': {} } },
  ...overrides,
});

describe('managed fields', () => {
  test('identifies Apply managers without their apiVersion, Update managers with it', () => {
    assert.equal(
      managerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'example.com/v1' }),
      '{"manager":"kubectl","operation":"Apply"}',
      'Apply',
    );
    assert.equal(
      managerIdentifier({
        manager: 'op',
        operation: 'Update',
        apiVersion: 'example.com/v1',
        subresource: 'status',
      }),
      '{"manager":"op","operation":"Update","apiVersion":"example.com/v1","subresource":"status"}',
      'Update on a subresource',
    );
  });

  test('orders entries by operation, then time, then manager', () => {
    const set = fieldSetOf([fieldPath('spec', 'mtu')]);
    const sets: ManagedSet[] = [
      {
        identity: { manager: 'b', operation: 'Update', apiVersion: 'v1' },
        set,
        time: '2024-01-01T00:00:00Z',
      },
      {
        identity: { manager: 'a', operation: 'Update', apiVersion: 'v1' },
        set,
        time: '2024-01-01T00:00:05Z',
      },
      { identity: { manager: 'z', operation: 'Apply', apiVersion: 'v1' }, set, time: '2024-01-02T00:00:00Z' },
      { identity: { manager: 'c', operation: 'Update', apiVersion: 'v1' }, set },
    ];
    const managed = new Map(sets.map((s) => [managerIdentifier(s.identity), s]));
    assert.deepEqual(
      encodeManagedFields(managed).map((e) => e.manager),
      ['z', 'c', 'b', 'a'],
      'Apply first; no time sorts first',
    );
  });

  test('decodes what it encodes', () => {
    const stored = [
      entry({ time: '2024-01-01T00:00:00Z' }),
      entry({ manager: 'op', operation: 'Update', subresource: 'status' }),
    ];
    const decoded = decodeManagedFields(stored);
    assert.ok(decoded.ok, 'decodes');
    assert.deepEqual(encodeManagedFields(decoded.managed), stored, 'round trip');
  });

  const refusals: readonly [string, unknown, string][] = [
    ['a value that is not a list', {}, 'managedFields must be a list'],
    ['an unknown operation', [entry({ operation: 'Patch' })], 'operation must be `Apply` or `Update`'],
    ['an empty apiVersion', [entry({ apiVersion: '' })], 'apiVersion must not be empty'],
    [
      'a missing fieldsType',
      [entry({ fieldsType: undefined })],
      'missing fieldsType in managed fields entry 0',
    ],
    [
      'another fieldsType',
      [entry({ fieldsType: 'FieldsV2' })],
      'invalid fieldsType "FieldsV2" in managed fields entry 0',
    ],
    [
      'a manager that is not a string',
      [entry({ manager: 7 })],
      'manager of managed fields entry 0 must be a string',
    ],
  ];
  for (const [name, value, message] of refusals) {
    test(`refuses ${name}`, () => {
      assert.equal(validateManagedFields(value), message, name);
    });
  }

  test('refuses fieldsV1 it cannot decode', () => {
    const message = validateManagedFields([entry({ fieldsV1: { 'f:spec': 'x' } })]);
    assert.match(
      message ?? '',
      /^error decoding versioned set of managed fields entry 0: error decoding set: /,
      'explained',
    );
  });

  test('accepts absent managedFields and well-formed entries', () => {
    assert.equal(validateManagedFields(undefined), undefined, 'absent');
    assert.equal(validateManagedFields([entry({})]), undefined, 'well-formed');
  });
});
