// Proves values are printed as Go prints them in field errors: %v floats, %q strings, encoding/json.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { goFloat, goJson, goQuote, goValue, isGoInt, utf8Length } from './go-format.ts';

test('%v of a float64 uses the shortest digits and an exponent below 1e-4 and from 1e+06', () => {
  const cases: [number, string][] = [
    [0.5, '0.5'],
    [32, '32'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-7, '-2.5e-07'],
    [2 ** 64, '1.8446744073709552e+19'],
    [1e21, '1e+21'],
    [Number.POSITIVE_INFINITY, '+Inf'],
  ];
  for (const [n, s] of cases) assert.equal(goFloat(n), s, String(n));
});

test('JSON numbers that are integers print as int64', () => {
  assert.equal(goValue(33), '33');
  assert.equal(goValue(1.5), '1.5');
  assert.equal(goValue(2 ** 62), '4611686018427387904');
  assert.equal(isGoInt(2 ** 63), false);
});

test('%q escapes like strconv.Quote', () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('tab\there\n'), '"tab\\there\\n"');
  assert.equal(goQuote('\u0001\u007f'), '"\\x01\\x7f"');
  assert.equal(goQuote('héllo 世界'), '"héllo 世界"');
});

test('encoding/json sorts map keys and escapes HTML', () => {
  assert.equal(
    goJson({ b: 1, a: [true, null, 'x<y>&z'] }),
    '{"a":[true,null,"x\\u003cy\\u003e\\u0026z"],"b":1}',
  );
  assert.equal(goValue({ name: 'us' }), '{"name":"us"}');
  assert.equal(goValue(null), 'null');
});

test('byte length is the UTF-8 length', () => {
  assert.equal(utf8Length('a'), 1);
  assert.equal(utf8Length('é'), 2);
  assert.equal(utf8Length('世'), 3);
  assert.equal(utf8Length('😀'), 4);
});

test('goJson of any JSON value parses back to it', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      assert.deepEqual(JSON.parse(goJson(v)), JSON.parse(JSON.stringify(v)));
    }),
  );
});
