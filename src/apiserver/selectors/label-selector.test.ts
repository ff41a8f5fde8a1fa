// Proves label selectors parse, match and fail exactly as apimachinery's labels package, messages included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatLabelSelector,
  type LabelSelector,
  matchesLabels,
  parseLabelSelector,
  selectorFromLabelSelector,
} from './label-selector.ts';

function parsed(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  assert.ok(result.ok, `${JSON.stringify(text)} should parse: ${result.ok ? '' : result.message}`);
  return result.selector;
}

function failure(text: string): string {
  const result = parseLabelSelector(text);
  assert.ok(!result.ok, `${JSON.stringify(text)} should not parse`);
  return result.message;
}

const KEY_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('valid selectors re-print as labels.Selector.String() does (upstream TestSelectorParse)', () => {
  for (const text of [
    'x=a,y=b,z=c',
    '',
    'x!=a,y=b',
    'x=',
    'x= ',
    'x=,z= ',
    'x= ,z= ',
    '!x',
    'x>1',
    'x>1,z<5',
  ]) {
    assert.equal(formatLabelSelector(parsed(text)), text.replaceAll(' ', ''), text);
  }
});

test('requirements come out sorted by key, with sorted, deduplicated values', () => {
  assert.deepEqual(
    parsed('x notin (abc,,def),bar,z in (),w').requirements,
    [
      { key: 'bar', operator: 'exists', values: [] },
      { key: 'w', operator: 'exists', values: [] },
      { key: 'x', operator: 'notin', values: ['', 'abc', 'def'] },
      { key: 'z', operator: 'in', values: [''] },
    ],
    'set-based terms',
  );
  assert.deepEqual(
    parsed('a in (x,y,notin, z,in)').requirements,
    [{ key: 'a', operator: 'in', values: ['in', 'notin', 'x', 'y', 'z'] }],
    'in and notin are values inside parentheses',
  );
  assert.deepEqual(parsed('x in (a,,a,,a,,a,,)').requirements[0]?.values, ['', 'a'], 'empty values collapse');
  assert.deepEqual(
    parsed('x notin (, a)').requirements[0]?.values,
    ['', 'a'],
    'a leading comma is an empty value',
  );
  assert.deepEqual(
    parsed('x=abc,y==jkl,z!=a').requirements.map((r) => r.operator),
    ['=', '==', '!='],
    'equality operators are kept apart',
  );
  assert.equal(formatLabelSelector(parsed('x=a,a=x')), formatLabelSelector(parsed('a=x,x=a')), 'order-free');
});

test('whitespace of every kind separates tokens', () => {
  assert.deepEqual(
    parsed('\rx').requirements,
    [{ key: 'x', operator: 'exists', values: [] }],
    'carriage return',
  );
  assert.deepEqual(parsed('foo  in\t (abc)').requirements[0]?.values, ['abc'], 'tabs');
  assert.deepEqual(parsed('x notin\n (abc)').requirements[0]?.operator, 'notin', 'newline');
  assert.equal(formatLabelSelector(parsed(' a , !b ')), 'a,!b', 'around commas');
  assert.equal(formatLabelSelector(parsed('x > 1 , y < 3')), 'x>1,y<3', 'around operators');
});

test('syntax errors carry the parser messages, some without the requirement prefix', () => {
  const cases: [string, string][] = [
    ['env===', "unable to parse requirement: found '=', expected: identifier"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a in (x=)', "unable to parse requirement: found '=', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a in (,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a!', "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
  ];
  for (const [text, message] of cases) assert.equal(failure(text), message, text);
});

test('key and value validation errors are field errors of NewRequirement', () => {
  assert.equal(
    failure('-a=b'),
    `unable to parse requirement: <nil>: Invalid value: "-a": ${KEY_RULE}`,
    'bad key',
  );
  assert.equal(
    failure(`${'k'.repeat(64)}`),
    `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 bytes`,
    'long key',
  );
  assert.equal(
    failure('a/b/c'),
    `unable to parse requirement: <nil>: Invalid value: "a/b/c": a valid label key ${KEY_RULE.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    'two slashes',
  );
  assert.equal(
    failure('x=a||y=b'),
    `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${VALUE_RULE}`,
    'bad value',
  );
  assert.equal(
    failure('x<a'),
    `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    'gt needs an integer',
  );
  assert.equal(
    failure('x>-1'),
    `unable to parse requirement: values[0][x]: Invalid value: "-1": ${VALUE_RULE}`,
    'a negative bound is no label value',
  );
  assert.equal(
    failure('x>a.'),
    `unable to parse requirement: [values[0]: Invalid value: "a.": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: "a.": ${VALUE_RULE}]`,
    'several errors aggregate in brackets',
  );
  assert.equal(
    failure('x in (a,b-)'),
    `unable to parse requirement: values[1][x]: Invalid value: "b-": ${VALUE_RULE}`,
    'the index is in sorted order',
  );
});

test('matching follows Requirement.Matches', () => {
  const labels = { env: 'prod', tier: 'web', replicas: '3' };
  const cases: [string, boolean][] = [
    ['', true],
    ['env=prod', true],
    ['env==prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['missing!=x', true],
    ['env in (dev,prod)', true],
    ['env notin (dev,prod)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['env', true],
    ['!env', false],
    ['!missing', true],
    ['replicas>2', true],
    ['replicas>3', false],
    ['replicas<4', true],
    ['env>1', false],
    ['missing<1', false],
    ['env=prod,tier=db', false],
    ['missing=', false],
    ['missing!=', true],
  ];
  for (const [text, expected] of cases) assert.equal(matchesLabels(parsed(text), labels), expected, text);
  assert.equal(matchesLabels(parsed('!a'), undefined), true, 'no labels at all');
  assert.equal(matchesLabels(parsed('a'), undefined), false, 'no labels at all, exists');
  assert.equal(
    matchesLabels(parsed('n<9223372036854775807'), { n: '9223372036854775806' }),
    true,
    'int64 precision',
  );
});

test('a NUL byte ends the input as the Go lexer sees it', () => {
  assert.equal(formatLabelSelector(parsed('a \0,,,')), 'a', 'what follows a NUL between tokens is ignored');
  assert.equal(
    failure('a\0,,'),
    "found ',', expected: identifier after ','",
    'a NUL inside a token only ends it',
  );
});

test('metav1.LabelSelector converts with LabelSelectorAsSelector semantics', () => {
  const made = selectorFromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  assert.ok(made.ok, 'valid selector');
  assert.equal(
    formatLabelSelector(made.selector),
    'app=web,env notin (dev),!legacy,team,tier in (a,b)',
    'string form',
  );
  assert.equal(
    matchesLabels(made.selector, { app: 'web', tier: 'a', team: 'x' }),
    true,
    'all requirements hold',
  );
  assert.equal(matchesLabels(made.selector, { app: 'web', tier: 'c', team: 'x' }), false, 'tier not in set');
  const everything = selectorFromLabelSelector({});
  assert.ok(everything.ok && matchesLabels(everything.selector, {}), 'empty selects everything');
});

test('metav1.LabelSelector errors carry apimachinery messages', () => {
  const message = (s: Parameters<typeof selectorFromLabelSelector>[0]): string => {
    const result = selectorFromLabelSelector(s);
    assert.ok(!result.ok, 'should fail');
    return result.message;
  };
  assert.equal(
    message({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    '"Gt" is not a valid label selector operator',
    'unknown operator',
  );
  assert.equal(
    message({ matchExpressions: [{ key: 'a', operator: 'constructor' }] }),
    '"constructor" is not a valid label selector operator',
    'no prototype lookups',
  );
  assert.equal(
    message({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    'empty In',
  );
  assert.equal(
    message({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    'values: Invalid value: ["x"]: values set must be empty for exists and does not exist',
    'values with Exists',
  );
  assert.equal(
    message({ matchLabels: { 'b/c/d': 'x' } }).startsWith('key: Invalid value: "b/c/d": '),
    true,
    'bad key',
  );
  assert.equal(
    message({ matchLabels: { a: 'x y' } }),
    `values[0][a]: Invalid value: "x y": ${VALUE_RULE}`,
    'bad value',
  );
});

const key = fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,10}[a-z0-9])?$/).filter((k) => !/\.\.|\.-|-\./.test(k));
const labelKey = fc
  .oneof(
    key,
    fc.tuple(key, key).map(([p, n]) => `${p}/${n}`),
  )
  .filter((k) => !/^(in|notin)$/.test(k));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,8}[A-Za-z0-9])?)?$/);
const requirement = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constantFrom('=', '==', '!='), values: fc.tuple(labelValue) }),
  fc.record({
    key: labelKey,
    operator: fc.constantFrom('in', 'notin'),
    values: fc.uniqueArray(labelValue, { minLength: 1, maxLength: 4 }).map((v) => [...v].sort()),
  }),
  fc.record({ key: labelKey, operator: fc.constantFrom('exists', '!'), values: fc.constant([]) }),
  fc.record({ key: labelKey, operator: fc.constantFrom('gt', 'lt'), values: fc.tuple(fc.nat().map(String)) }),
);

test('parse(format(selector)) gives the selector back', () => {
  fc.assert(
    fc.property(fc.array(requirement, { maxLength: 5 }), (requirements) => {
      const selector = {
        requirements: [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      };
      const text = formatLabelSelector(selector as LabelSelector);
      const back = parseLabelSelector(text);
      assert.ok(back.ok, `${text} parses`);
      assert.equal(formatLabelSelector(back.selector), text, 'same canonical text');
    }),
  );
});

test('matching is independent of requirement order', () => {
  fc.assert(
    fc.property(
      fc.array(requirement, { maxLength: 4 }),
      fc.dictionary(labelKey, labelValue, { maxKeys: 4 }),
      (requirements, labels) => {
        const text = requirements
          .map((r) => formatLabelSelector({ requirements: [r] } as LabelSelector))
          .join(',');
        const reversed = [...requirements]
          .reverse()
          .map((r) => formatLabelSelector({ requirements: [r] } as LabelSelector))
          .join(',');
        assert.equal(matchesLabels(parsed(text), labels), matchesLabels(parsed(reversed), labels), text);
      },
    ),
  );
});
