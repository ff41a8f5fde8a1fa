import type { KeyValue } from '../../storage/storage.ts';

export type ApiObject = Record<string, unknown> & { metadata: ObjectMetadata };

export interface ObjectMetadata {
  name?: string | undefined;
  generateName?: string | undefined;
  namespace?: string | undefined;
  uid?: string | undefined;
  resourceVersion?: string | undefined;
  generation?: number | undefined;
  creationTimestamp?: string | undefined;
  deletionTimestamp?: string | undefined;
  deletionGracePeriodSeconds?: number | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  finalizers?: string[] | undefined;
  ownerReferences?: OwnerReference[] | undefined;
  managedFields?: unknown[] | undefined;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const METADATA_OPEN = encoder.encode('"metadata":{');

/**
 * Stored objects never carry their resourceVersion (the revision is only known at commit, as in
 * kube-apiserver's etcd3 store); it is set from modRevision on every read. Serialising apiVersion, kind
 * and metadata first lets a list splice the version into the stored bytes without parsing them.
 */
export function encodeObject(object: ApiObject): Uint8Array {
  const { apiVersion, kind, metadata, ...rest } = object;
  const { resourceVersion: _dropped, ...storedMetadata } = metadata;
  return encoder.encode(JSON.stringify({ apiVersion, kind, metadata: storedMetadata, ...rest }));
}

export function decodeObject(kv: KeyValue): ApiObject {
  const object = JSON.parse(decoder.decode(kv.value)) as ApiObject;
  object.metadata.resourceVersion = String(kv.modRevision);
  return object;
}

/**
 * The stored JSON with `metadata.resourceVersion` spliced in, as served at `apiVersion`: the bytes decodeObject
 * would re-serialise.
 */
export function objectBytes(kv: KeyValue, apiVersion: string): Uint8Array {
  const at = indexOf(kv.value, METADATA_OPEN);
  const expectedHead = encoder.encode(`{"apiVersion":${JSON.stringify(apiVersion)},"kind":`);
  if (at < 0 || indexOf(kv.value, expectedHead) !== 0) {
    const object = decodeObject(kv);
    return encoder.encode(JSON.stringify({ ...object, apiVersion }));
  }
  const head = at + METADATA_OPEN.length;
  const empty = kv.value[head] === 0x7d;
  const insert = encoder.encode(`"resourceVersion":"${kv.modRevision}"${empty ? '' : ','}`);
  const out = new Uint8Array(kv.value.length + insert.length);
  out.set(kv.value.subarray(0, head), 0);
  out.set(insert, head);
  out.set(kv.value.subarray(head), head + insert.length);
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  const limit = Math.min(haystack.length - needle.length, 512);
  outer: for (let i = 0; i <= limit; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
