import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptsMediaType, parseAccept } from './accept-header.ts';

describe('parseAccept', () => {
  test('reads parameters in any order, with any whitespace and case in names', () => {
    const [range] = parseAccept(
      ' Application/JSON ; AS=APIGroupDiscoveryList;v = v2 ;g=apidiscovery.k8s.io ',
    );
    assert.deepEqual(
      range,
      {
        type: 'application',
        subtype: 'json',
        params: { as: 'APIGroupDiscoveryList', v: 'v2', g: 'apidiscovery.k8s.io' },
        q: 1,
      },
      'type and parameter names are lower-cased, values kept as written',
    );
  });

  test('orders by q, keeping the written order among equals', () => {
    const ranges = parseAccept('text/plain;q=0.5, application/json;q=0.9, application/yaml, */*;q=0.9');
    assert.deepEqual(
      ranges.map((r) => `${r.type}/${r.subtype}`),
      ['application/yaml', 'application/json', '*/*', 'text/plain'],
      'highest q first; application/json before */* as written',
    );
  });

  test('drops q=0, invalid weights and ranges that are not type/subtype', () => {
    const ranges = parseAccept(
      'application/json;q=0, text/html;q=2, text/csv;q=abc, garbage, a/b/c, , text/plain',
    );
    assert.deepEqual(
      ranges.map((r) => `${r.type}/${r.subtype}`),
      ['text/plain'],
      'only the well-formed, acceptable range survives',
    );
  });

  test('keeps commas and semicolons inside quoted values', () => {
    const ranges = parseAccept('application/json;x="a,b;c", text/plain');
    assert.equal(ranges.length, 2, 'the quoted comma does not split the header');
    assert.equal(ranges[0]?.params.x, 'a,b;c', 'quotes are removed from the value');
  });

  test('reads a bare * as */*, as Go does', () => {
    assert.deepEqual(
      parseAccept('*').map((r) => `${r.type}/${r.subtype}`),
      ['*/*'],
      'bare * is the wildcard range',
    );
  });
});

describe('acceptsMediaType', () => {
  const accepts = (range: string) => {
    const [parsed] = parseAccept(range);
    assert.ok(parsed, `${range} parses`);
    return acceptsMediaType(parsed, 'application', 'json');
  };
  test('exact, subtype wildcard and full wildcard accept application/json', () => {
    assert.equal(accepts('application/json'), true, 'exact');
    assert.equal(accepts('application/*'), true, 'subtype wildcard');
    assert.equal(accepts('*/*'), true, 'full wildcard');
  });
  test('other types do not', () => {
    assert.equal(accepts('application/yaml'), false, 'different subtype');
    assert.equal(accepts('text/*'), false, 'different type');
    assert.equal(accepts('*/json'), false, 'a type wildcard needs a subtype wildcard');
  });
});
