// Proves find() and findAll() give the results Kubernetes documents in regex.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';

const evaluate = (expression: string): unknown => KUBERNETES_CEL.evaluate(expression);

for (const [expression, expected] of [
  ["'abc 123'.find('[0-9]+')", '123'],
  ["'abc 123'.find('xyz')", ''],
  ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
  ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
  ["'123 abc 456'.findAll('[0-9]+', 0)", []],
  ["'123 abc 456'.findAll('xyz')", []],
] as const) {
  test(`${expression} is ${JSON.stringify(expected)}`, () =>
    assert.deepEqual(evaluate(expression), expected));
}

test('a pattern that does not compile is an evaluation error', () => {
  assert.throws(() => evaluate("'x'.find('[')"), /invalid regular expression "\["/);
  assert.throws(() => evaluate("'x'.findAll('[')"), /invalid regular expression "\["/);
});
