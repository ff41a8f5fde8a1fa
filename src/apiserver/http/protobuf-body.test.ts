import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProtobufObject } from './protobuf-body.ts';

// The exact body kubectl 1.33 sends for `kubectl create namespace team-x` (captured from the wire).
const KUBECTL_133_CREATE_NAMESPACE =
  'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGdGVhbS14EgAaACIAKgAyADgAQgASABoCCgAaACIA';

function field(number: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])),
    field(2, raw),
  ]);

describe('decodeProtobufObject', () => {
  test("kubectl 1.33's create namespace body", () => {
    assert.deepEqual(
      decodeProtobufObject(Buffer.from(KUBECTL_133_CREATE_NAMESPACE, 'base64')),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x' } },
      'decoded',
    );
  });

  test('labels, annotations, finalizers and generateName', () => {
    const meta = Buffer.concat([
      field(2, 'tenant-'),
      field(11, Buffer.concat([field(1, 'team'), field(2, 'a')])),
      field(12, Buffer.concat([field(1, 'note'), field(2, 'x')])),
      field(14, 'example.com/hold'),
    ]);
    const raw = Buffer.concat([field(1, meta), field(2, field(1, 'kubernetes'))]);
    assert.deepEqual(
      decodeProtobufObject(envelope('v1', 'Namespace', raw)),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          generateName: 'tenant-',
          labels: { team: 'a' },
          annotations: { note: 'x' },
          finalizers: ['example.com/hold'],
        },
        spec: { finalizers: ['kubernetes'] },
      },
      'decoded',
    );
  });

  test('other kinds, unknown fields and malformed bytes are refused, never guessed', () => {
    assert.throws(
      () => decodeProtobufObject(envelope('v1', 'ConfigMap', Buffer.alloc(0))),
      { code: 415 },
      'other kind',
    );
    assert.throws(
      () => decodeProtobufObject(envelope('v1', 'Namespace', field(1, field(13, 'x')))),
      { code: 415 },
      'ownerReferences',
    );
    assert.throws(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}')), { code: 415 }, 'no magic');
    assert.throws(
      () => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0, 0x0a, 0x7f])),
      { code: 400 },
      'truncated',
    );
  });
});
