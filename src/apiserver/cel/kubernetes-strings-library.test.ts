// Proves the string functions a Kubernetes rule may call behave as cel-go's strings extension documents.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KUBERNETES_CEL } from './kubernetes-environment.ts';

const evaluate = (expression: string): unknown => KUBERNETES_CEL.evaluate(expression);

function table(cases: readonly (readonly [string, unknown])[]): void {
  for (const [expression, expected] of cases) {
    test(`${expression} is ${JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`, () =>
      assert.deepEqual(evaluate(expression), expected));
  }
}

function errors(expressions: readonly string[]): void {
  for (const expression of expressions)
    test(`${expression} is an error`, () => assert.throws(() => evaluate(expression)));
}

describe('charAt', () => {
  table([
    ["'hello'.charAt(4)", 'o'],
    ["'hello'.charAt(5)", ''],
    ["'héllo'.charAt(1)", 'é'],
  ]);
  errors(["'hello'.charAt(-1)", "'hello'.charAt(6)"]);
});

describe('indexOf and lastIndexOf', () => {
  table([
    ["'hello mellow'.indexOf('')", 0n],
    ["'hello mellow'.indexOf('ello')", 1n],
    ["'hello mellow'.indexOf('jello')", -1n],
    ["'hello mellow'.indexOf('', 2)", 2n],
    ["'hello mellow'.indexOf('ello', 2)", 7n],
    ["'hello mellow'.lastIndexOf('')", 12n],
    ["'hello mellow'.lastIndexOf('ello')", 7n],
    ["'hello mellow'.lastIndexOf('jello')", -1n],
    ["'hello mellow'.lastIndexOf('ello', 6)", 1n],
  ]);
  errors(["'hello mellow'.indexOf('ello', 20)", "'hello mellow'.lastIndexOf('ello', -1)"]);
});

describe('lowerAscii, upperAscii and trim', () => {
  table([
    ["'TacoCat'.lowerAscii()", 'tacocat'],
    ["'TacoCat'.upperAscii()", 'TACOCAT'],
    ["'TacoCÆt Xii'.upperAscii()", 'TACOCÆT XII'],
    ["'  \\ttrim\\n    '.trim()", 'trim'],
  ]);
});

describe('replace', () => {
  table([
    ["'hello hello'.replace('he', 'we')", 'wello wello'],
    ["'hello hello'.replace('he', 'we', -1)", 'wello wello'],
    ["'hello hello'.replace('he', 'we', 1)", 'wello hello'],
    ["'hello hello'.replace('he', 'we', 0)", 'hello hello'],
    ["'hello hello'.replace('', '_')", '_h_e_l_l_o_ _h_e_l_l_o_'],
    ["'hello hello'.replace('h', '')", 'ello ello'],
    ["'abc'.replace('', '-', 2)", '-a-bc'],
    ["'aaa'.replace('a', 'b', 2)", 'bba'],
  ]);
});

describe('split, substring and join', () => {
  table([
    ["'hello hello hello'.split(' ')", ['hello', 'hello', 'hello']],
    ["'hello hello hello'.split(' ', 0)", []],
    ["'hello hello hello'.split(' ', 1)", ['hello hello hello']],
    ["'hello hello hello'.split(' ', 2)", ['hello', 'hello hello']],
    ["'hello hello hello'.split(' ', -1)", ['hello', 'hello', 'hello']],
    ["'tacocat'.substring(4)", 'cat'],
    ["'tacocat'.substring(0, 4)", 'taco'],
    ["['hello', 'mellow'].join()", 'hellomellow'],
    ["['hello', 'mellow'].join(' ')", 'hello mellow'],
    ['[].join()', ''],
    ["[].join('/')", ''],
  ]);
  errors(["'tacocat'.substring(-1)", "'tacocat'.substring(2, 1)"]);
});

describe('the standard string functions', () => {
  table([
    ["'web-1'.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", true],
    ["'Web'.matches('^[a-z]+$')", false],
    ["'10.0.0.0/8'.startsWith('10.')", true],
    ["'10.0.0.0/8'.endsWith('/8')", true],
    ["'a--b'.contains('--')", true],
    ["size('héllo')", 5n],
  ]);
});
