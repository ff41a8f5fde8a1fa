// Proves applyJsonPatch is RFC 6902 (appendix A) and fails the way kube-apiserver's evanphx/json-patch does.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyJsonPatch, type JsonPatchResult, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';

function value(result: JsonPatchResult): unknown {
  assert.ok(result.ok, `the patch applies: ${result.ok ? '' : result.message}`);
  return result.value;
}

function failure(result: JsonPatchResult): { reason: string; message: string } {
  assert.ok(!result.ok, 'the patch is refused');
  return { reason: result.reason, message: result.message };
}

describe('applyJsonPatch: RFC 6902 appendix A', () => {
  test('A.1 adding an object member', () => {
    const result = applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]);
    assert.deepEqual(value(result), { baz: 'qux', foo: 'bar' }, 'baz added');
  });

  test('A.2 adding an array element', () => {
    const result = applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]);
    assert.deepEqual(value(result), { foo: ['bar', 'qux', 'baz'] }, 'qux inserted before index 1');
  });

  test('A.3 removing an object member', () => {
    const result = applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]);
    assert.deepEqual(value(result), { foo: 'bar' }, 'baz removed');
  });

  test('A.4 removing an array element', () => {
    const result = applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]);
    assert.deepEqual(value(result), { foo: ['bar', 'baz'] }, 'qux removed');
  });

  test('A.5 replacing a value', () => {
    const result = applyJsonPatch({ baz: 'qux', foo: 'bar' }, [
      { op: 'replace', path: '/baz', value: 'boo' },
    ]);
    assert.deepEqual(value(result), { baz: 'boo', foo: 'bar' }, 'baz replaced');
  });

  test('A.6 moving a value', () => {
    const doc = { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } };
    const result = applyJsonPatch(doc, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]);
    assert.deepEqual(
      value(result),
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
      'waldo moved',
    );
  });

  test('A.7 moving an array element', () => {
    const result = applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [
      { op: 'move', from: '/foo/1', path: '/foo/3' },
    ]);
    assert.deepEqual(value(result), { foo: ['all', 'cows', 'eat', 'grass'] }, 'grass moved to the end');
  });

  test('A.8 testing a value: success', () => {
    const doc = { baz: 'qux', foo: ['a', 2, 'c'] };
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ]);
    assert.deepEqual(value(result), doc, 'the document is unchanged');
  });

  test('A.9 testing a value: error', () => {
    const result = applyJsonPatch({ baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }]);
    assert.deepEqual(
      failure(result),
      { reason: 'Invalid', message: 'testing value /baz failed: test failed' },
      '422',
    );
  });

  test('A.10 adding a nested member object', () => {
    const result = applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }]);
    assert.deepEqual(value(result), { foo: 'bar', child: { grandchild: {} } }, 'child added');
  });

  test('A.11 ignoring unrecognized elements', () => {
    const result = applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }]);
    assert.deepEqual(value(result), { foo: 'bar', baz: 'qux' }, 'xyz ignored');
  });

  test('A.12 adding to a nonexistent target', () => {
    const result = applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }]);
    assert.deepEqual(
      failure(result),
      {
        reason: 'Invalid',
        message: 'add operation does not apply: doc is missing path: "/baz/bat": missing value',
      },
      'the parent must exist',
    );
  });

  test('A.14 ~ escape ordering', () => {
    const doc = { '/': 9, '~1': 10 };
    assert.deepEqual(
      value(applyJsonPatch(doc, [{ op: 'test', path: '/~01', value: 10 }])),
      doc,
      '~01 is "~1"',
    );
  });

  test('A.15 comparing strings and numbers', () => {
    const result = applyJsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }]);
    assert.equal(failure(result).message, 'testing value /~01 failed: test failed', '"10" is not 10');
  });

  test('A.16 adding an array value', () => {
    const result = applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }]);
    assert.deepEqual(value(result), { foo: ['bar', ['abc', 'def']] }, '- appends');
  });
});

describe('applyJsonPatch: beyond the appendix', () => {
  test('~1 addresses a key with a slash, as kubectl does for annotations', () => {
    const doc = { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x' } } };
    const result = applyJsonPatch(doc, [
      { op: 'remove', path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration' },
    ]);
    assert.deepEqual(value(result), { metadata: { annotations: {} } }, 'the annotation is removed');
  });

  test('the empty path replaces, tests and copies the whole document', () => {
    assert.deepEqual(
      value(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }])),
      [1],
      'replace',
    );
    assert.deepEqual(value(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: 'x' }])), 'x', 'add');
    assert.deepEqual(
      value(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '', value: { a: 1 } }])),
      { a: 1 },
      'test',
    );
    assert.deepEqual(
      value(applyJsonPatch({ a: 1 }, [{ op: 'copy', from: '', path: '/b' }])),
      { a: 1, b: { a: 1 } },
      'copy of the document into itself',
    );
  });

  test('kubectl replaces managedFields and resourceVersion wholesale', () => {
    const doc = { metadata: { resourceVersion: '5', managedFields: [{ manager: 'old' }] } };
    const result = applyJsonPatch(doc, [
      { op: 'replace', path: '/metadata/managedFields', value: [{ manager: 'kubectl' }] },
      { op: 'replace', path: '/metadata/resourceVersion', value: '5' },
    ]);
    assert.deepEqual(
      value(result),
      { metadata: { resourceVersion: '5', managedFields: [{ manager: 'kubectl' }] } },
      'both replaced',
    );
  });

  test('copy shares nothing with its source', () => {
    const result = value(
      applyJsonPatch({ a: { b: 1 } }, [
        { op: 'copy', from: '/a', path: '/c' },
        { op: 'replace', path: '/c/b', value: 2 },
      ]),
    );
    assert.deepEqual(result, { a: { b: 1 }, c: { b: 2 } }, 'a is unaffected by the change to its copy');
  });

  test('move to the same place is a no-op and into its own child is refused', () => {
    assert.deepEqual(
      value(applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])),
      { a: 1 },
      'no-op',
    );
    assert.match(
      failure(applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).message,
      /^move operation does not apply: path \/a\/b\/c is inside from path \/a/,
      'a value cannot move into itself',
    );
  });

  const refusals: readonly [string, unknown, unknown, string][] = [
    [
      'a leading zero index',
      { a: [1, 2] },
      [{ op: 'add', path: '/a/01', value: 0 }],
      "error in add for path: '/a/01': value was not a proper array index: '01': invalid index referenced",
    ],
    [
      'a negative index',
      { a: [1, 2] },
      [{ op: 'remove', path: '/a/-1' }],
      "error in remove for path: '/a/-1': value was not a proper array index: '-1': invalid index referenced",
    ],
    [
      'an index past the end on add',
      { a: [1] },
      [{ op: 'add', path: '/a/2', value: 0 }],
      "error in add for path: '/a/2': Unable to access invalid index: 2: invalid index referenced",
    ],
    [
      'an index past the end on remove',
      { a: [1] },
      [{ op: 'remove', path: '/a/1' }],
      "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced",
    ],
    [
      '- outside add',
      { a: [1] },
      [{ op: 'replace', path: '/a/-', value: 0 }],
      'replace operation does not apply: doc is missing key: /a/-: missing value',
    ],
    [
      'a missing member on replace',
      { spec: {} },
      [{ op: 'replace', path: '/spec/foo', value: 1 }],
      'replace operation does not apply: doc is missing key: /spec/foo: missing value',
    ],
    [
      'a missing parent on replace',
      {},
      [{ op: 'replace', path: '/spec/foo', value: 1 }],
      'replace operation does not apply: doc is missing path: /spec/foo: missing value',
    ],
    [
      'a missing member on remove',
      { a: 1 },
      [{ op: 'remove', path: '/b' }],
      "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value",
    ],
    [
      'a missing path on test',
      { a: 1 },
      [{ op: 'test', path: '/b', value: 1 }],
      'test operation does not apply: is missing path: /b: missing value',
    ],
    [
      'a missing from on move',
      { a: 1 },
      [{ op: 'move', from: '/x/y', path: '/b' }],
      'move operation does not apply: doc is missing from path: /x/y: missing value',
    ],
    [
      'a missing destination on copy',
      { a: 1 },
      [{ op: 'copy', from: '/a', path: '/x/y' }],
      'copy operation does not apply: doc is missing destination path: /x/y: missing value',
    ],
    [
      'a pointer without a leading slash',
      { a: 1 },
      [{ op: 'add', path: 'a', value: 2 }],
      'add operation does not apply: doc is missing path: "a": missing value',
    ],
    ['an unknown op', { a: 1 }, [{ op: 'merge', path: '/a', value: 2 }], 'Unexpected kind: merge'],
    ['no op', { a: 1 }, [{ path: '/a', value: 2 }], 'Unexpected kind: unknown'],
    ['a null operation', { a: 1 }, [null], 'Unexpected kind: unknown'],
    [
      'no path',
      { a: 1 },
      [{ op: 'add', value: 2 }],
      'add operation failed to decode path: operation missing path field: missing value',
    ],
    [
      'no from',
      { a: 1 },
      [{ op: 'copy', path: '/b' }],
      'copy operation failed to decode from: operation, missing from field: missing value',
    ],
    [
      'no value',
      { a: 1 },
      [{ op: 'add', path: '/b' }],
      'add operation failed to decode value: operation, missing value field: missing value',
    ],
  ];
  for (const [name, doc, ops, message] of refusals) {
    test(`refuses ${name}`, () => {
      assert.deepEqual(failure(applyJsonPatch(doc, ops)), { reason: 'Invalid', message }, name);
    });
  }

  test('refuses a body that is not a list of objects, as a decoding error', () => {
    assert.deepEqual(
      failure(applyJsonPatch({}, { op: 'add' })),
      {
        reason: 'BadRequest',
        message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      },
      'an object body',
    );
    assert.deepEqual(
      failure(applyJsonPatch({}, ['add'])),
      {
        reason: 'BadRequest',
        message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
      },
      'a string operation',
    );
  });

  test(`refuses more than ${MAX_JSON_PATCH_OPERATIONS} operations`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
      op: 'test',
      path: '',
      value: {},
    }));
    assert.deepEqual(
      failure(applyJsonPatch({}, ops)),
      {
        reason: 'RequestEntityTooLarge',
        message: 'The allowed maximum operations in a JSON patch is 10000, got 10001',
      },
      '413',
    );
    assert.ok(applyJsonPatch({}, ops.slice(1)).ok, 'exactly the maximum is fine');
  });

  test('a failing operation leaves nothing half applied', () => {
    const doc = { a: 1 };
    const result = applyJsonPatch(doc, [
      { op: 'add', path: '/b', value: 2 },
      { op: 'remove', path: '/c' },
    ]);
    assert.equal(result.ok, false, 'refused');
    assert.deepEqual(doc, { a: 1 }, 'the input document is untouched');
  });

  test('never throws and never mutates its inputs', () => {
    const pointer = fc.oneof(
      fc.constant(''),
      fc
        .array(fc.oneof(fc.constantFrom('a', 'b', '0', '1', '-', '01', '~0', '~1'), fc.string()), {
          minLength: 1,
          maxLength: 3,
        })
        .map((t) => `/${t.join('/')}`),
    );
    const operation = fc.record(
      {
        op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'nope'),
        path: pointer,
        from: pointer,
        value: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['op'] },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(operation, { maxLength: 5 }), (doc, ops) => {
        const before = JSON.stringify([doc, ops]);
        const result = applyJsonPatch(doc, ops);
        assert.equal(JSON.stringify([doc, ops]), before, 'inputs unchanged');
        assert.ok(result.ok || result.message.length > 0, 'a failure always explains itself');
      }),
    );
  });
});
