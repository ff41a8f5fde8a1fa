import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openAPIV2 } from './openapi-v2.ts';

describe('openAPIV2', () => {
  test('is an empty protobuf document with a Content-Type Go can parse', () => {
    const response = openAPIV2();
    assert.equal(response.body.byteLength, 0, 'zero bytes: an empty protobuf message');
    assert.equal(response.contentType, 'application/octet-stream', 'no "@" that breaks mime parsing');
  });
});
