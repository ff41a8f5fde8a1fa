// Proves the list functions give the results Kubernetes documents in lists.go.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EvaluationError } from '@marcbachmann/cel-js';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';

const evaluate = (expression: string, self?: unknown): unknown =>
  KUBERNETES_CEL.evaluate(expression, { self });

function table(cases: readonly (readonly [string, unknown])[]): void {
  for (const [expression, expected] of cases) {
    test(`${expression} is ${String(expected)}`, () => assert.deepEqual(evaluate(expression), expected));
  }
}

describe('the lists.go examples', () => {
  table([
    ['[1, 2, 3].isSorted()', true],
    ["['a', 'b', 'b', 'c'].isSorted()", true],
    ['[2.0, 1.0].isSorted()', false],
    ['[1].isSorted()', true],
    ['[].isSorted()', true],
    ['[1, 3].sum()', 4n],
    ['[1.0, 3.0].sum()', 4],
    ['[].sum()', 0n],
    ['[1, 3].min()', 1n],
    ['[1, 3].max()', 3n],
    ['[1].min()', 1n],
    ['([0] + []).min()', 0n],
    ['[1, 2, 2, 3].indexOf(2)', 1n],
    ["['a', 'b', 'b', 'c'].lastIndexOf('b')", 2n],
    ['[1.0].indexOf(1.1)', -1n],
    ["[].indexOf('string')", -1n],
  ]);
  test('[].min() is an error', () => {
    assert.throws(
      () => evaluate('[].min()'),
      (error) => error instanceof EvaluationError && /min called on empty list/.test(error.message),
    );
  });
  test('[].max() is an error', () => {
    assert.throws(() => evaluate('[].max()'), /max called on empty list/);
  });
});

describe('on data, where the list is dyn', () => {
  table([
    ["['b', 'a', 'c'].min()", 'a'],
    ["['b', 'a', 'c'].max()", 'c'],
    ['[3, 1, 2].isSorted()', false],
    ['[true, false].isSorted()', false],
    ["[{'a': 1}, {'a': 2}].indexOf({'a': 2})", 1n],
    ['[[1], [2], [1]].lastIndexOf([1])', 2n],
    ["[b'a', b'b'].isSorted()", true],
  ]);
  test('self.sum() of ints from a schema', () => assert.equal(evaluate('self.sum()', [80n, 443n]), 523n));
  test('ints and doubles compare with each other', () =>
    assert.equal(evaluate('self.max()', [1n, 2.5]), 2.5));
  test('sum overflows as a 64-bit int does', () => {
    assert.throws(() => evaluate('self.sum()', [2n ** 62n, 2n ** 62n]), /integer overflow/);
  });
  test('strings and ints do not compare', () => {
    assert.throws(() => evaluate('self.min()', ['a', 1n]), /no such overload/);
  });
});
