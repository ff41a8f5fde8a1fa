// Proves FieldsV1 is written exactly as Kubernetes writes it and that decoding inverts encoding.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fieldSetOf, setPaths, setsEqual } from './field-set.ts';
import { decodeFieldsV1, encodeFieldsV1 } from './fields-v1.ts';
import { fieldElement, fieldPath, keyElement, pathString } from './path-element.ts';
import { fieldPaths } from './testing/field-paths.ts';

const json = (set: Parameters<typeof encodeFieldsV1>[0]) => JSON.stringify(encodeFieldsV1(set));

function decoded(text: string) {
  const result = decodeFieldsV1(JSON.parse(text));
  assert.ok(result.ok, `decodes: ${result.ok ? '' : result.message}`);
  return result.set;
}

describe('encodeFieldsV1', () => {
  test('nests field names and writes leaves as {}', () => {
    const set = fieldSetOf([fieldPath('metadata', 'labels', 'env'), fieldPath('spec', 'mtu')]);
    assert.equal(
      json(set),
      '{"f:metadata":{"f:labels":{"f:env":{}}},"f:spec":{"f:mtu":{}}}',
      'the documented example',
    );
  });

  test('marks a member that also has children with "." first', () => {
    const set = fieldSetOf([fieldPath('spec'), fieldPath('spec', 'mtu'), fieldPath('spec', 'cidr')]);
    assert.equal(json(set), '{"f:spec":{".":{},"f:cidr":{},"f:mtu":{}}}', 'spec is a member and a parent');
  });

  test('names list-map items by their sorted keys and set items by their JSON value', () => {
    const port = keyElement([
      { name: 'protocol', value: 'TCP' },
      { name: 'containerPort', value: 80 },
    ]);
    const set = fieldSetOf([
      [fieldElement('ports'), port],
      [fieldElement('ports'), port, fieldElement('name')],
      [fieldElement('finalizers'), { kind: 'value', value: 'example.com/cleanup' }],
      [fieldElement('items'), { kind: 'index', index: 0 }],
    ]);
    assert.equal(
      json(set),
      '{"f:finalizers":{"v:\\"example.com/cleanup\\"":{}},"f:items":{"i:0":{}},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{}}}}',
      'k: keys sorted by name, v: JSON, i: index',
    );
  });

  test('orders fields before keys, values and indices, and fields byte-wise', () => {
    const set = fieldSetOf([
      [{ kind: 'index', index: 2 }],
      [{ kind: 'value', value: 'x' }],
      [keyElement([{ name: 'k', value: 1 }])],
      fieldPath('a'),
      fieldPath('B'),
    ]);
    assert.deepEqual(
      Object.keys(encodeFieldsV1(set)),
      ['f:B', 'f:a', 'k:{"k":1}', 'v:"x"', 'i:2'],
      'element order',
    );
  });
});

describe('decodeFieldsV1', () => {
  test('re-encodes a stored entry byte for byte', () => {
    const stored =
      '{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{".":{},"f:blockSize":{},"f:cidr":{}}}';
    const set = decoded(stored);
    assert.deepEqual(
      setPaths(set).map(pathString),
      [
        '.spec',
        '.metadata.annotations',
        '.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
        '.spec.blockSize',
        '.spec.cidr',
      ],
      'Set.Iterate order: the members of a level before its children',
    );
    assert.equal(json(set), stored, 'identical JSON');
  });

  test('drops keys of element types it does not know', () => {
    assert.ok(setsEqual(decoded('{"f:a":{},"x:future":{}}'), fieldSetOf([fieldPath('a')])), 'x: ignored');
  });

  test('reads null as an empty node, as Kubernetes does', () => {
    assert.ok(setsEqual(decoded('{"f:a":null}'), fieldSetOf([fieldPath('a')])), 'a is a member');
  });

  const malformed: readonly [string, unknown][] = [
    ['a list', []],
    ['a string child', { 'f:a': 'x' }],
    ['a one-character key', { f: {} }],
    ['a key without a colon', { fx: {} }],
    ['a k: key that is not JSON', { 'k:{name}': {} }],
    ['a k: key that is not an object', { 'k:[1]': {} }],
    ['an i: key that is not a number', { 'i:x': {} }],
  ];
  for (const [name, value] of malformed) {
    test(`refuses ${name}`, () => {
      const result = decodeFieldsV1(value);
      assert.ok(!result.ok && result.message.length > 0, `${JSON.stringify(value)} is refused`);
    });
  }

  test('decodes keys in any order, and repeated elements, to the set of their paths', () => {
    const reversed = (value: unknown): unknown =>
      value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, reversed(v)]),
          )
        : value;
    fc.assert(
      fc.property(fieldPaths, (paths) => {
        const set = fieldSetOf(paths);
        const result = decodeFieldsV1(reversed(encodeFieldsV1(set)));
        assert.ok(result.ok && setsEqual(result.set, set), `reversed ${json(set)}`);
      }),
    );
    const twice = decodeFieldsV1({
      'k:{"b":2,"a":1}': { 'f:x': {} },
      'k:{"a":1,"b":2}': { 'f:y': {} },
      'f:z': {},
    });
    assert.ok(twice.ok);
    assert.deepEqual(
      encodeFieldsV1(twice.set),
      { 'f:z': {}, 'k:{"a":1,"b":2}': { 'f:x': {}, 'f:y': {} } },
      'one key written two ways is one element',
    );
  });

  test('decode(encode(s)) = s', () => {
    fc.assert(
      fc.property(fieldPaths, (paths) => {
        const set = fieldSetOf(paths);
        const result = decodeFieldsV1(JSON.parse(JSON.stringify(encodeFieldsV1(set))));
        assert.ok(result.ok && setsEqual(result.set, set), `round trip of ${json(set)}`);
      }),
    );
  });
});
