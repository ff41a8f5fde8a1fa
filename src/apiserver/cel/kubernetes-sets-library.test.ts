// Proves sets.contains, sets.equivalent and sets.intersects behave as cel-go's sets extension documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';

for (const [expression, expected] of [
  ['sets.contains([], [])', true],
  ['sets.contains([], [1])', false],
  ['sets.contains([1, 2, 3, 4], [2, 3])', true],
  ['sets.contains([1, 2], [2, 2])', true],
  ['sets.equivalent([], [])', true],
  ['sets.equivalent([1], [1, 1])', true],
  ['sets.equivalent([1, 2, 3], [3, 2, 1])', true],
  ['sets.equivalent([1, 2], [1])', false],
  ['sets.intersects([1], [])', false],
  ['sets.intersects([1], [1, 2])', true],
  ['sets.intersects([[1], [2, 3]], [[1, 2], [2, 3]])', true],
  ["sets.intersects(['a'], ['b'])", false],
] as const) {
  test(`${expression} is ${expected}`, () => assert.equal(KUBERNETES_CEL.evaluate(expression), expected));
}
