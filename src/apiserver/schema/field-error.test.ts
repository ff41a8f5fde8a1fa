// Proves field errors carry the reason and the message a Kubernetes Status cause carries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  duplicate,
  forbidden,
  formatFieldError,
  invalid,
  notFound,
  notSupported,
  OMIT_VALUE,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field-error.ts';

test('each constructor renders ErrorBody as Kubernetes does', () => {
  assert.deepEqual(
    invalid('spec.prefixLength', 33, 'spec.prefixLength in body should be less than or equal to 32'),
    {
      reason: 'FieldValueInvalid',
      field: 'spec.prefixLength',
      message: 'Invalid value: 33: spec.prefixLength in body should be less than or equal to 32',
    },
  );
  assert.equal(
    required('metadata.name', 'name or generateName is required').message,
    'Required value: name or generateName is required',
  );
  assert.equal(required('spec.a').message, 'Required value');
  assert.equal(
    forbidden('spec.a', 'not allowed on this type').message,
    'Forbidden: not allowed on this type',
  );
  assert.equal(duplicate('spec.b[1]', '10.0.0.0/16').message, 'Duplicate value: "10.0.0.0/16"');
  assert.equal(notFound('spec.c', 'x').message, 'Not found: "x"');
  assert.equal(
    typeInvalid('spec.mtu', 'string', 'spec.mtu in body must be of type integer: "string"').reason,
    'FieldValueTypeInvalid',
  );
});

test('NotSupported quotes each supported value', () => {
  assert.equal(
    notSupported('spec.type', 'Foo', ['Dynamic', 'Static']).message,
    'Unsupported value: "Foo": supported values: "Dynamic", "Static"',
  );
  assert.equal(notSupported('spec.type', 'Foo', []).message, 'Unsupported value: "Foo"');
});

test('TooLong never shows the value; TooMany counts items', () => {
  assert.equal(tooLong('spec.s', 5).message, 'Too long: may not be more than 5 bytes');
  assert.equal(tooLong('spec.s', -1).message, 'Too long: value is too long');
  assert.equal(tooMany('spec.l', 20, 16).message, 'Too many: 20: must have at most 16 items');
  assert.equal(tooMany('spec.l', -1, -1).message, 'Too many: has too many items');
});

test('an omitted value leaves just the type; the nil path prints <nil>', () => {
  assert.equal(invalid('spec', OMIT_VALUE, 'must have a block').message, 'Invalid value: must have a block');
  assert.equal(invalid(undefined, '', 'x').field, '<nil>');
});

test('kubectl prints field: message', () => {
  assert.equal(
    formatFieldError(required('metadata.name', 'name or generateName is required')),
    'metadata.name: Required value: name or generateName is required',
  );
});
