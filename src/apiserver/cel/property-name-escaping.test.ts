// Proves property names escape to the CEL field names Kubernetes documents in escaping.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapePropertyName } from './property-name-escaping.ts';

for (const [name, expected] of [
  ['port', 'port'],
  ['endPort', 'endPort'],
  ['x-forwarded', 'x__dash__forwarded'],
  ['a.b', 'a__dot__b'],
  ['a/b', 'a__slash__b'],
  ['a__b', 'a__underscores__b'],
  ['a___b', 'a__underscores___b'],
  ['_private', '_private'],
  ['-leading', '__dash__leading'],
  ['namespace', '__namespace__'],
  ['in', '__in__'],
  ['return', '__return__'],
  ['int', 'int'],
  ['1st', undefined],
  ['', undefined],
  ['a b', undefined],
  ['naïve', undefined],
] as const) {
  test(`${JSON.stringify(name)} escapes to ${String(expected)}`, () =>
    assert.equal(escapePropertyName(name), expected));
}
