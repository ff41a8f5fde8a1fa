import { StatusError } from '../../api/status-error.ts';
import type { ApiObject } from '../registry/object-codec.ts';

/**
 * kubectl 1.32 and later send built-in kinds as Kubernetes protobuf (`kubectl create namespace` does), and do
 * not fall back to JSON on 415. This reads the envelope (magic `k8s\0`, then runtime.Unknown) and the kinds
 * kubectl creates that nso serves: Namespace. A field nso does not know is refused, never dropped.
 */
export function decodeProtobufObject(body: Buffer): ApiObject {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') {
    throw unsupported('the protobuf body does not start with the Kubernetes magic number');
  }
  const unknown = fields(body.subarray(4), 'runtime.Unknown');
  const typeMeta = fields(bytes(unknown, 1) ?? Buffer.alloc(0), 'TypeMeta');
  const apiVersion = text(typeMeta, 1) ?? '';
  const kind = text(typeMeta, 2) ?? '';
  const encoding = text(unknown, 3) ?? '';
  if (encoding !== '')
    throw unsupported(`protobuf content encoding ${JSON.stringify(encoding)} is not supported`);
  const raw = bytes(unknown, 2) ?? Buffer.alloc(0);
  if (apiVersion === 'v1' && kind === 'Namespace') return namespace(raw);
  throw unsupported(
    `protobuf bodies are understood for v1 Namespace only, not ${apiVersion} ${kind}; send application/json`,
  );
}

type Field = { readonly wire: number; readonly value: bigint | Buffer };
type Fields = Map<number, Field[]>;

function namespace(raw: Buffer): ApiObject {
  const message = fields(raw, 'Namespace');
  known(message, 'Namespace', [1, 2, 3]);
  const spec = fields(bytes(message, 2) ?? Buffer.alloc(0), 'NamespaceSpec');
  known(spec, 'NamespaceSpec', [1]);
  const finalizers = texts(spec, 1);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: objectMeta(bytes(message, 1) ?? Buffer.alloc(0)),
    ...(finalizers.length > 0 ? { spec: { finalizers } } : {}),
  } as ApiObject;
}

/** The fields a create may carry; the server-owned ones (uid, resourceVersion, timestamps…) are ignored as in JSON. */
function objectMeta(raw: Buffer): ApiObject['metadata'] {
  const meta = fields(raw, 'ObjectMeta');
  // 1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid, 6 resourceVersion, 7 generation,
  // 8 creationTimestamp, 9 deletionTimestamp, 10 deletionGracePeriodSeconds, 11 labels, 12 annotations,
  // 14 finalizers, 17 managedFields.
  known(meta, 'ObjectMeta', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 17]);
  const result: Record<string, unknown> = {};
  const set = (name: string, value: unknown, present: boolean) => {
    if (present) result[name] = value;
  };
  set('name', text(meta, 1), (text(meta, 1) ?? '') !== '');
  set('generateName', text(meta, 2), (text(meta, 2) ?? '') !== '');
  set('namespace', text(meta, 3), (text(meta, 3) ?? '') !== '');
  const labels = stringMap(meta, 11, 'labels');
  set('labels', labels, Object.keys(labels).length > 0);
  const annotations = stringMap(meta, 12, 'annotations');
  set('annotations', annotations, Object.keys(annotations).length > 0);
  const finalizers = texts(meta, 14);
  set('finalizers', finalizers, finalizers.length > 0);
  return result as ApiObject['metadata'];
}

function stringMap(message: Fields, field: number, name: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of message.get(field) ?? []) {
    const pair = fields(asBytes(entry, name), `${name} entry`);
    map[text(pair, 1) ?? ''] = text(pair, 2) ?? '';
  }
  return map;
}

function known(message: Fields, type: string, allowed: readonly number[]): void {
  for (const field of message.keys()) {
    if (!allowed.includes(field)) {
      throw unsupported(
        `protobuf field ${field} of ${type} is not supported; send the object as application/json`,
      );
    }
  }
}

function text(message: Fields, field: number): string | undefined {
  const last = message.get(field)?.at(-1);
  return last === undefined ? undefined : asBytes(last, `field ${field}`).toString('utf8');
}

function texts(message: Fields, field: number): string[] {
  return (message.get(field) ?? []).map((entry) => asBytes(entry, `field ${field}`).toString('utf8'));
}

function bytes(message: Fields, field: number): Buffer | undefined {
  const last = message.get(field)?.at(-1);
  return last === undefined ? undefined : asBytes(last, `field ${field}`);
}

function asBytes(field: Field, name: string): Buffer {
  if (field.wire !== 2)
    throw unsupported(`protobuf ${name} has wire type ${field.wire}, not length-delimited`);
  return field.value as Buffer;
}

/** One message's fields by number, in wire order; malformed input is a 400 that says where. */
function fields(buffer: Buffer, type: string): Fields {
  const result: Fields = new Map();
  let offset = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= buffer.length) throw malformed(type);
      const byte = buffer[offset++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw malformed(type);
  };
  while (offset < buffer.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = Number(varint());
      if (offset + length > buffer.length) throw malformed(type);
      value = buffer.subarray(offset, offset + length);
      offset += length;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (offset + size > buffer.length) throw malformed(type);
      value = buffer.subarray(offset, offset + size);
      offset += size;
    } else throw malformed(type);
    if (number === 0) throw malformed(type);
    const list = result.get(number) ?? [];
    list.push({ wire, value });
    result.set(number, list);
  }
  return result;
}

function malformed(type: string): StatusError {
  return new StatusError(400, 'BadRequest', `the protobuf body is malformed (in ${type})`);
}

function unsupported(message: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', message);
}
