// Proves printer-column JSONPaths parse and evaluate as client-go's util/jsonpath (cases from its own tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, type JsonPath, type JsonPathNode, parseJsonPath } from './jsonpath.ts';

function path(text: string): JsonPath {
  const parsed = parseJsonPath(text);
  assert.ok(parsed.ok, `${text} should parse: ${parsed.ok ? '' : parsed.message}`);
  return parsed.path;
}

const nodesOf = (text: string): readonly JsonPathNode[] => path(text).nodes;
const list = (...nodes: JsonPathNode[]): JsonPathNode => ({ type: 'list', nodes });
const field = (name: string): JsonPathNode => ({ type: 'field', name });
const text = (value: string): JsonPathNode => ({ type: 'text', text: value });
const p = (value: number, known = true, derived = false) => ({ value, known, derived });
const unknown = p(0, false);
const filter = (left: JsonPathNode[], right: JsonPathNode[], operator: string): JsonPathNode => ({
  type: 'filter',
  left: { type: 'list', nodes: left },
  right: { type: 'list', nodes: right },
  operator,
});

test('the parser builds the same trees as client-go', () => {
  const cases: [string, JsonPathNode[]][] = [
    ['.jsonpath', [list(field('jsonpath'))]],
    ["['jsonpath']", [list(field('jsonpath'))]],
    ['"{"', [list(text('{'))]],
    ['[1:3]', [list({ type: 'array', params: [p(1), p(3), unknown] })]],
    [
      '.book[*].author',
      [list(field('book'), { type: 'array', params: [unknown, unknown, unknown] }, field('author'))],
    ],
    ['.bicycle.*', [list(field('bicycle'), { type: 'wildcard' })]],
    ['[?(@.price<3)]', [list(filter([field('price')], [{ type: 'int', value: 3 }], '<'))]],
    ['..', [list({ type: 'recursive' })]],
    ['..price', [list({ type: 'recursive' }, field('price'))]],
    ["['book.price']", [list(field('book'), field('price'))]],
    [
      "['bicycle.price', 3, 'book.price']",
      [
        list({
          type: 'union',
          nodes: [
            { type: 'list', nodes: [field('bicycle'), field('price')] },
            { type: 'list', nodes: [{ type: 'array', params: [p(3), p(4, true, true), unknown] }] },
            { type: 'list', nodes: [field('book'), field('price')] },
          ],
        }),
      ],
    ],
    ['[-5:]', [list({ type: 'array', params: [p(-5), unknown, unknown] })]],
    ['[-1]', [list({ type: 'array', params: [p(-1), p(0, true, true), unknown] })]],
    ['[1:-1]', [list({ type: 'array', params: [p(1), p(-1), unknown] })]],
    ['[]', [list({ type: 'array', params: [unknown, p(1, true, true), unknown] })]],
    ['.x[?(@.a == "()")]', [list(field('x'), filter([field('a')], [text('()')], '=='))]],
    ['[?(@.a == "(\\"\\")")]', [list(filter([field('a')], [text('("")')], '=='))]],
    ['[?(@.a == "())(")]', [list(filter([field('a')], [text('())(')], '=='))]],
    ["[?(@.a == 'Linux')]", [list(filter([field('a')], [text('Linux')], '=='))]],
    ['[?(@.a == "{[()]}")]', [list(filter([field('a')], [text('{[()]}')], '=='))]],
    ['[?(@.a == "\'\'")]', [list(filter([field('a')], [text("''")], '=='))]],
    ['[?(@.a == \'""\')]', [list(filter([field('a')], [text('""')], '=='))]],
    ["[?(@.a == '\\\\\\'')]", [list(filter([field('a')], [text("\\'")], '=='))]],
    ['[?(@.z)]', [list(filter([field('z')], [], 'exists'))]],
    ['[?(@.ok==true)]', [list(filter([field('ok')], [{ type: 'bool', value: true }], '=='))]],
    ['[?(@.n>=1.5)]', [list(filter([field('n')], [{ type: 'float', value: 1.5 }], '>='))]],
    [
      '.metadata.labels.app\\.kubernetes\\.io/name',
      [list(field('metadata'), field('labels'), field('app.kubernetes.io/name'))],
    ],
    ['.a}{.b', [list(field('a')), list(field('b'))]],
    ['.a} and {.b', [list(field('a')), text(' and '), list(field('b'))]],
    ['range', [list({ type: 'identifier', name: 'range' })]],
  ];
  for (const [source, nodes] of cases) assert.deepEqual(nodesOf(source), nodes, source);
});

test('parse errors carry client-go messages', () => {
  const cases: [string, string][] = [
    ['.hello\n', 'unclosed action'],
    ['*', "unrecognized character in action: U+002A '*'"],
    ['\t', 'unrecognized character in action: U+0009'],
    ['.a{', "unrecognized character in action: U+007B '{'"],
    ['+12.3.0', 'cannot parse number +12.3.0'],
    ['-', 'cannot parse number -'],
    ['[1', 'unterminated array'],
    ['[?(.price]', 'unterminated filter'],
    ['[?(@.a)', 'unclosed array expect ]'],
    ['........', 'invalid multiple recursive descent'],
    ['[x]', 'invalid array index x'],
    ['["a"]', 'invalid array index "a"'],
    ['[-]', 'array index - is not a number'],
    ['[99999999999999999999]', 'array index 99999999999999999999 is not a number'],
    ["'a\\q'", "unquote string 'a\\q' error invalid syntax"],
    ["'a", 'unterminated quoted string'],
    ["[?(@.a=='x\\q')]", "unquote string 'x\\q' error invalid syntax"],
  ];
  for (const [source, message] of cases) {
    const parsed = parseJsonPath(source);
    assert.ok(!parsed.ok, `${JSON.stringify(source)} should not parse`);
    assert.equal(parsed.message, message, source);
  }
});

const points = [
  { id: 'i1', x: 4, y: -5 },
  { id: 'i2', x: -2, y: -5, z: 1 },
  { id: 'i3', x: 8, y: 3 },
  { id: 'i4', x: -6, y: -1 },
  { id: 'i5', x: 0, y: 2, z: 1 },
  { id: 'i6', x: 1, y: 4 },
  { id: 'i7', x: null, y: 4 },
];

const nodes = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
      status: {
        capacity: { cpu: '4' },
        ready: true,
        addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }],
      },
    },
    {
      kind: 'None',
      metadata: { name: '127.0.0.2', labels: { 'kubernetes.io/hostname': '127.0.0.2' } },
      status: {
        capacity: { cpu: '8' },
        ready: false,
        addresses: [
          { type: 'LegacyHostIP', address: '127.0.0.2' },
          { type: 'another', address: '127.0.0.3' },
        ],
      },
    },
  ],
  users: [
    { name: 'myself', user: {} },
    { name: 'e2e', user: { username: 'admin', password: 'secret' } },
  ],
};

const types = { integers: [1, 2, 3, 4], strings: ['one', 'two', 'three', 'four'], floats: [1, 2.2, 3.3, 4] };

test('evaluation finds what client-go finds', () => {
  const cases: [string, unknown, unknown[]][] = [
    ['[?(@.z)].id', points, ['i2', 'i5']],
    ["[0]['id']", points, ['i1']],
    ["[-1]['x']", points, [null]],
    ['[?(@.x<0)].id', points.slice(0, 6), ['i2', 'i4']],
    ['[?(@.x>=4)].id', points.slice(0, 6), ['i1', 'i3']],
    ['[?(@.x!=4)].id', points.slice(0, 6), ['i2', 'i3', 'i4', 'i5', 'i6']],
    ['[?(@.x!=4)].id', points, []],
    ['.items[*].status.addresses[*].address', nodes, ['127.0.0.1', '127.0.0.2', '127.0.0.3']],
    ['.items[*].metadata.name', nodes, ['127.0.0.1', '127.0.0.2']],
    [
      "$.items[*]['metadata.name', 'status.capacity']",
      nodes,
      ['127.0.0.1', '127.0.0.2', { cpu: '4' }, { cpu: '8' }],
    ],
    ['.users[?(@.name=="e2e")].user.password', nodes, ['secret']],
    ['.items[0].metadata.labels.kubernetes\\.io/hostname', nodes, ['127.0.0.1']],
    ['.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind', nodes, ['None']],
    ['.items[?(@..ready==true)].metadata.name', nodes, ['127.0.0.1']],
    ['.integers[:4:2]', types, [1, 3]],
    ['.integers[-2]', types, [3]],
    ['.integers[0:2]', types, [1, 2]],
    ['.integers[1::2]', types, [2, 4]],
    ['.integers[-5:]', { integers: [1, 2, 3, 4, 5, 6] }, [2, 3, 4, 5, 6]],
    ['.integers[0:0]', types, []],
    ['.strings[*]', types, ['one', 'two', 'three', 'four']],
    ['.floats[-2]', types, [3.3]],
    ['.integers', types, [[1, 2, 3, 4]]],
    ['[?(@<5)]', [2, 6, 3, 7], [2, 3]],
    ['..', [1, 2, 3], [[1, 2, 3]]],
    ['[1,3,4]', [0, 1, 2, 3, 4], [1, 3, 4]],
    ['[]', ['a', 'b'], ['a']],
    ['.spec.*', { spec: { b: 2, a: 1 } }, [1, 2]],
    ['"literal"', {}, ['literal']],
    ['@', { a: 1 }, [{ a: 1 }]],
    ['.a}{.b', { a: 1, b: 2 }, [1]],
    ['.missing.deeper', { a: 1 }, []],
    ['.a.b', { a: null }, []],
    ['.a', { a: null }, [null]],
    ['.a.b', { a: [{ b: 1 }] }, []],
  ];
  for (const [source, data, expected] of cases)
    assert.deepEqual(evaluate(path(source), data), expected, source);
  assert.deepEqual(
    evaluate(path('..name'), nodes).map(String).sort(),
    ['127.0.0.1', '127.0.0.2', 'e2e', 'myself'],
    'recursive descent',
  );
});

test('a printer column condition path', () => {
  const object = {
    status: {
      conditions: [
        { type: 'Programmed', status: 'False' },
        { type: 'Ready', status: 'True', observedGeneration: 2 },
      ],
    },
  };
  assert.deepEqual(
    evaluate(path('.status.conditions[?(@.type=="Ready")].status'), object),
    ['True'],
    'Ready',
  );
  assert.deepEqual(
    evaluate(path(".status.conditions[?(@.type=='Gone')].status"), object),
    [],
    'no such condition',
  );
  assert.deepEqual(
    evaluate(path('.status.conditions[?(@.observedGeneration>=2)].type'), object),
    ['Ready'],
    'number',
  );
  assert.deepEqual(evaluate(path('.status.conditions[?(@.type=="Ready")].status'), {}), [], 'no status yet');
});

test('evaluation errors yield nothing, as a printer column shows them', () => {
  const cases: [string, unknown][] = [
    ['.labels[0]', { labels: { a: 1 } }],
    ['.items[5]', { items: [1] }],
    ['.items[-1]', { items: [] }],
    ['.items[2:1]', { items: [1, 2, 3] }],
    ['.items[::0]', { items: [1, 2, 3] }],
    ['.book[?(@.price<>10)]', { book: [{ price: 1 }] }],
    ['[?(@.x==1.0)]', [{ x: 1 }]],
    ['[?(@.x=="1")]', [{ x: 1 }]],
    ['[?(@.x<true)]', [{ x: true }]],
    ['[?(@.x==1)]', [{ x: null }]],
    ['[?(@.x==1)]', [{ x: [1] }]],
    ['[?(@.x[*]==1)]', [{ x: [1, 1] }]],
    ['.a[?(@.b)]', { a: { b: 1 } }],
    ['hello', { hello: 1 }],
    ['end', {}],
    ['.a}{.b[3]', { a: 1, b: [] }],
  ];
  for (const [source, data] of cases) assert.deepEqual(evaluate(path(source), data), [], source);
});

test('ints and floats compare only with their own kind', () => {
  assert.deepEqual(evaluate(path('[?(@.x==1)]'), [{ x: 1 }, { x: 2 }]), [{ x: 1 }], 'int literal, int field');
  assert.deepEqual(
    evaluate(path('[?(@.x>1.5)]'), [{ x: 2.5 }, { x: 0.5 }]),
    [{ x: 2.5 }],
    'float literal, float field',
  );
  assert.deepEqual(
    evaluate(path('[?(@.s<"b")]'), [{ s: 'a' }, { s: 'c' }]),
    [{ s: 'a' }],
    'strings by bytes',
  );
});

test('an exists filter keeps an item whose path failed with partial values, as Go does', () => {
  assert.deepEqual(evaluate(path('[?(@.a[5])]'), [{ a: [1] }, { b: 1 }]), [{ a: [1] }], 'quirk kept');
});

test('bracketed keys are dotted paths, so dots inside must be escaped', () => {
  const object = { metadata: { annotations: { 'example.com/x': 'v' } } };
  assert.deepEqual(
    evaluate(path(".metadata.annotations['example.com/x']"), object),
    [],
    'dots split the key',
  );
  assert.deepEqual(evaluate(path(".metadata.annotations['example\\.com/x']"), object), ['v'], 'escaped dot');
  assert.deepEqual(evaluate(path('.metadata.annotations.example\\.com/x'), object), ['v'], 'dotted form');
});
