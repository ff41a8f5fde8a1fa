// Proves field selectors parse, escape, match and fail as apimachinery's fields package and the API server do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkFieldLabels,
  escapeFieldValue,
  type FieldSelector,
  fieldValue,
  matchesFields,
  parseFieldSelector,
} from './field-selector.ts';

function parsed(text: string): FieldSelector {
  const result = parseFieldSelector(text);
  assert.ok(result.ok, `${JSON.stringify(text)} should parse: ${result.ok ? '' : result.message}`);
  return result.selector;
}

function failure(text: string): string {
  const result = parseFieldSelector(text);
  assert.ok(!result.ok, `${JSON.stringify(text)} should not parse`);
  return result.message;
}

test('terms are split on unescaped commas, sorted, and == reads as =', () => {
  assert.deepEqual(
    parsed('metadata.name==x,involvedObject.kind=Network,type!=Normal').requirements,
    [
      { field: 'involvedObject.kind', operator: '=', value: 'Network' },
      { field: 'metadata.name', operator: '=', value: 'x' },
      { field: 'type', operator: '!=', value: 'Normal' },
    ],
    'sorted by term text',
  );
  assert.deepEqual(parsed('').requirements, [], 'empty selects everything');
  assert.deepEqual(
    parsed(',a=b,').requirements,
    [{ field: 'a', operator: '=', value: 'b' }],
    'empty terms skipped',
  );
  assert.deepEqual(parsed('a=').requirements, [{ field: 'a', operator: '=', value: '' }], 'empty value');
  assert.deepEqual(
    parsed('a b=c d').requirements,
    [{ field: 'a b', operator: '=', value: 'c d' }],
    'spaces are data',
  );
});

test('values unescape backslash, comma and equals', () => {
  assert.deepEqual(
    parsed('a=x\\,y\\=z\\\\').requirements,
    [{ field: 'a', operator: '=', value: 'x,y=z\\' }],
    'escaped specials',
  );
  assert.deepEqual(
    parsed('b=2,a=1\\,b\\=3').requirements.map((r) => [r.field, r.value]),
    [
      ['a', '1,b=3'],
      ['b', '2'],
    ],
    'an escaped comma does not split',
  );
});

test('syntax errors carry the fields package messages', () => {
  const cases: [string, string][] = [
    ['a', "invalid selector: 'a'; can't understand 'a'"],
    ['x=1,b', "invalid selector: 'x=1,b'; can't understand 'b'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\c', 'invalid field selector: invalid escape sequence: \\c'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
  ];
  for (const [text, message] of cases) assert.equal(failure(text), message, text);
  assert.equal(
    failure('z=a=b,y'),
    "invalid selector: 'z=a=b,y'; can't understand 'y'",
    'first error in sorted order',
  );
});

test('the first operator in a term splits it', () => {
  assert.deepEqual(parsed('a!=b').requirements[0], { field: 'a', operator: '!=', value: 'b' }, 'not equals');
  assert.deepEqual(
    parsed('a!b=c').requirements[0],
    { field: 'a!b', operator: '=', value: 'c' },
    'bang in the name',
  );
  assert.equal(
    failure('a=!=b'),
    'invalid field selector: unescaped character in value: 61',
    'operator in value',
  );
});

test('matching reads absent labels as empty strings', () => {
  const fields: Record<string, string> = { 'metadata.name': 'web', 'metadata.namespace': 'default' };
  const read = (label: string): string | undefined => fields[label];
  const cases: [string, boolean][] = [
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name=db', false],
    ['metadata.name!=db', true],
    ['metadata.name=web,metadata.namespace=default', true],
    ['metadata.namespace=default,metadata.name=db', false],
    ['spec.x=', true],
    ['spec.x!=', false],
  ];
  for (const [text, expected] of cases) assert.equal(matchesFields(parsed(text), read), expected, text);
});

test('an unsupported label gets the scheme conversion message for the first one in term order', () => {
  const allowed = ['metadata.name', 'metadata.namespace'];
  assert.equal(checkFieldLabels(parsed('metadata.name=a'), allowed), undefined, 'supported');
  assert.equal(
    checkFieldLabels(parsed('spec.foo=bar'), allowed),
    'field label not supported: spec.foo',
    'unsupported',
  );
  assert.equal(
    checkFieldLabels(parsed('status.b=1,metadata.name=a,spec.a=2'), allowed),
    'field label not supported: spec.a',
    'first in sorted order',
  );
});

test('field values render as a CRD selectable field does', () => {
  const object = {
    metadata: { name: 'net', namespace: 'default' },
    spec: { mtu: 1460, ratio: 0.5, big: 1e21, enabled: false, mode: 'auto', nothing: null, nested: { a: 1 } },
  };
  const cases: [string, string][] = [
    ['metadata.name', 'net'],
    ['metadata.namespace', 'default'],
    ['spec.mode', 'auto'],
    ['spec.mtu', '1460'],
    ['spec.ratio', '0.5'],
    ['spec.big', '1e+21'],
    ['spec.enabled', 'false'],
    ['spec.nothing', ''],
    ['spec.absent', ''],
    ['spec.mode.deeper', ''],
    ['status.phase', ''],
  ];
  for (const [label, expected] of cases) assert.equal(fieldValue(object, label), expected, label);
});

test('an escaped value parses back to itself', () => {
  fc.assert(
    fc.property(fc.string(), fc.constantFrom('=', '==', '!='), (value, operator) => {
      const selector = parsed(`spec.x${operator}${escapeFieldValue(value)}`);
      assert.deepEqual(
        selector.requirements,
        [{ field: 'spec.x', operator: operator === '!=' ? '!=' : '=', value }],
        'round trip',
      );
    }),
  );
});

test('term order never changes the outcome', () => {
  const term = fc.tuple(
    fc.constantFrom('a', 'b', 'c'),
    fc.constantFrom('=', '!='),
    fc.constantFrom('1', '2'),
  );
  fc.assert(
    fc.property(
      fc.array(term, { maxLength: 5 }),
      fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('1', '2')),
      (terms, fields) => {
        const texts = terms.map(([f, op, v]) => `${f}${op}${v}`);
        const read = (label: string): string | undefined => fields[label];
        assert.equal(
          matchesFields(parsed(texts.join(',')), read),
          matchesFields(parsed([...texts].reverse().join(',')), read),
          texts.join(','),
        );
      },
    ),
  );
});
