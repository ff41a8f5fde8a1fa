// Proves every kind of bad request is refused with the exact status, reason and field a Kubernetes client expects, and that nothing is written by a refused request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, G } from './api-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Obj = Record<string, any>;

const N = `${G}/namespaces/default/networks`;
const network = (spec: Obj = { ipv4Blocks: ['10.0.0.0/16'] }, metadata: Obj = { name: 'bad' }): Obj => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata,
  spec,
});
const claim = (spec: Obj): Obj => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'SubnetClaim',
  metadata: { name: 'bad-claim' },
  spec: { networkRef: { name: 'existing' }, prefixLength: 24, ...spec },
});
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly accept?: string;
  readonly status: number;
  readonly reason?: string;
  /** Every cause field, in order. */
  readonly fields?: readonly string[];
  readonly message?: RegExp;
  readonly warning?: RegExp;
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: N,
    raw: '{"kind":',
    status: 400,
    reason: 'BadRequest',
    message: /not valid JSON/,
  },
  {
    name: 'a JSON array body',
    method: 'POST',
    path: N,
    body: [network()],
    status: 400,
    reason: 'BadRequest',
    message: /must be a JSON object/,
  },
  {
    name: 'a JSON string body',
    method: 'POST',
    path: N,
    raw: '"network"',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'an empty body',
    method: 'POST',
    path: N,
    raw: '',
    contentType: 'application/json',
    status: 400,
    reason: 'BadRequest',
    message: /empty/,
  },
  {
    name: 'a duplicate key (Strict)',
    method: 'POST',
    path: `${N}?fieldValidation=Strict`,
    raw: '{"apiVersion":"networking.datumapis.com/v1alpha1","kind":"Network","metadata":{"name":"dup"},"spec":{"mtu":1400,"mtu":1500,"ipv4Blocks":["10.0.0.0/16"]}}',
    status: 400,
    reason: 'BadRequest',
    message: /duplicate field "spec.mtu"/,
  },
  {
    name: 'a __proto__ key',
    method: 'POST',
    path: N,
    raw: '{"metadata":{"name":"p"},"__proto__":{"polluted":true}}',
    status: 400,
    reason: 'BadRequest',
    message: /__proto__/,
  },
  {
    name: 'nesting 200 deep',
    method: 'POST',
    path: N,
    raw: nested(200),
    status: 400,
    reason: 'BadRequest',
    message: /deeper than/,
  },
  {
    name: 'a 4 MiB body',
    method: 'POST',
    path: N,
    raw: Buffer.alloc(4 * 1024 * 1024, 0x20),
    status: 413,
    reason: 'RequestEntityTooLarge',
  },
  {
    name: 'an unknown field (Strict)',
    method: 'POST',
    path: `${N}?fieldValidation=Strict`,
    body: network({ ipv4Blocks: ['10.0.0.0/16'], foo: 1 }),
    status: 400,
    reason: 'BadRequest',
    message: /strict decoding error: unknown field "spec.foo"/,
  },
  {
    name: 'a bad fieldValidation',
    method: 'POST',
    path: `${N}?fieldValidation=Bogus`,
    body: network(),
    status: 400,
    reason: 'BadRequest',
    message: /fieldValidation/,
  },
  {
    name: 'a bad dryRun',
    method: 'POST',
    path: `${N}?dryRun=Some`,
    body: network(),
    status: 400,
    reason: 'BadRequest',
    message: /dryRun/,
  },
  {
    name: 'the wrong kind',
    method: 'POST',
    path: N,
    body: { ...network(), kind: 'Subnet' },
    status: 400,
    reason: 'BadRequest',
    message: /Subnet/,
  },
  {
    name: 'the wrong apiVersion',
    method: 'POST',
    path: N,
    body: { ...network(), apiVersion: 'networking.datumapis.com/v9' },
    status: 400,
    reason: 'BadRequest',
    message: /API version/,
  },
  {
    name: 'a namespace differing from the URL',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'x', namespace: 'other' }),
    status: 400,
    reason: 'BadRequest',
    message: /namespace/,
  },
  {
    name: 'metadata that is a string',
    method: 'POST',
    path: N,
    body: { ...network(), metadata: 'x' },
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'no name',
    method: 'POST',
    path: N,
    body: network(undefined, {}),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.name', '<nil>'],
  },
  {
    name: 'an invalid name',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'Bad_Name' }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.name'],
  },
  {
    name: 'a too long name',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'a'.repeat(254) }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.name'],
  },
  {
    name: 'host bits set',
    method: 'POST',
    path: N,
    body: network({ ipv4Blocks: ['10.0.0.1/16'] }),
    status: 422,
    reason: 'Invalid',
    fields: ['spec.ipv4Blocks[0]'],
    message: /did you mean 10\.0\.0\.0\/16/,
  },
  {
    name: 'a reserved range',
    method: 'POST',
    path: N,
    body: network({ ipv4Blocks: ['127.0.0.0/8'] }),
    status: 422,
    reason: 'Invalid',
    fields: ['spec.ipv4Blocks[0]'],
  },
  {
    name: 'overlapping blocks',
    method: 'POST',
    path: N,
    body: network({ ipv4Blocks: ['10.0.0.0/16', '10.0.128.0/17'] }),
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'no blocks at all',
    method: 'POST',
    path: N,
    body: network({}),
    status: 422,
    reason: 'Invalid',
    fields: ['spec'],
  },
  {
    name: 'an MTU too large',
    method: 'POST',
    path: N,
    body: network({ ipv4Blocks: ['10.0.0.0/16'], mtu: 99999 }),
    status: 422,
    reason: 'Invalid',
    fields: ['spec.mtu'],
  },
  {
    name: 'an MTU of the wrong type',
    method: 'POST',
    path: N,
    body: network({ ipv4Blocks: ['10.0.0.0/16'], mtu: 'big' }),
    status: 422,
    reason: 'Invalid',
    fields: ['spec.mtu', '<nil>'],
  },
  {
    name: 'an invalid label value',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'l', labels: { env: 'not valid!' } }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.labels'],
  },
  {
    name: 'an invalid label key',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'l', labels: { 'bad key': 'x' } }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.labels'],
  },
  {
    name: 'annotations over 256 KiB',
    method: 'POST',
    path: N,
    body: network(undefined, { name: 'a', annotations: { big: 'x'.repeat(300 * 1024) } }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.annotations', '<nil>'],
  },
  {
    name: 'a missing namespace',
    method: 'POST',
    path: `${G}/namespaces/nope/networks`,
    body: network(),
    status: 404,
    reason: 'NotFound',
    message: /namespaces "nope" not found/,
  },
  {
    name: 'a terminating namespace',
    method: 'POST',
    path: `${G}/namespaces/leaving/networks`,
    body: network(),
    status: 403,
    reason: 'Forbidden',
    message: /being terminated/,
  },
  {
    name: 'an unknown media type',
    method: 'POST',
    path: N,
    raw: 'name: x',
    contentType: 'text/plain',
    status: 415,
    reason: 'UnsupportedMediaType',
  },
  {
    name: 'a YAML body with duplicate keys',
    method: 'POST',
    path: N,
    raw: 'metadata:\n  name: a\n  name: b\n',
    contentType: 'application/yaml',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a get of a missing object',
    method: 'GET',
    path: `${N}/nope`,
    status: 404,
    reason: 'NotFound',
    message: /^networks\.networking\.datumapis\.com "nope" not found$/,
  },
  {
    name: 'an unknown resource',
    method: 'GET',
    path: `${G}/namespaces/default/foos`,
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'an unknown group',
    method: 'GET',
    path: '/apis/nothing.example.com/v1/foos',
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'an unknown version',
    method: 'GET',
    path: '/apis/networking.datumapis.com/v9',
    status: 404,
    reason: 'NotFound',
  },
  { name: 'an unknown top-level path', method: 'GET', path: '/nothing', status: 404, reason: 'NotFound' },
  {
    name: 'a subresource that does not exist',
    method: 'GET',
    path: `${N}/existing/scale`,
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'an update without resourceVersion',
    method: 'PUT',
    path: `${N}/existing`,
    body: network(undefined, { name: 'existing' }),
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.resourceVersion'],
  },
  {
    name: 'an update whose name differs from the URL',
    method: 'PUT',
    path: `${N}/existing`,
    body: network(undefined, { name: 'other', resourceVersion: '1' }),
    status: 400,
    reason: 'BadRequest',
    message: /does not match the name on the URL/,
  },
  {
    name: 'a stale update',
    method: 'PUT',
    path: `${N}/existing`,
    body: network(undefined, { name: 'existing', resourceVersion: '1' }),
    status: 409,
    reason: 'Conflict',
    message: /the object has been modified/,
  },
  {
    name: 'an update of a missing object',
    method: 'PUT',
    path: `${N}/missing`,
    body: network(undefined, { name: 'missing', resourceVersion: '5' }),
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'a strategic merge patch',
    method: 'PATCH',
    path: `${N}/existing`,
    body: { spec: { mtu: 1400 } },
    contentType: 'application/strategic-merge-patch+json',
    status: 415,
    reason: 'UnsupportedMediaType',
    message: /merge-patch\+json/,
  },
  {
    name: 'a patch of an unknown type',
    method: 'PATCH',
    path: `${N}/existing`,
    body: {},
    contentType: 'application/json',
    status: 415,
    reason: 'UnsupportedMediaType',
  },
  {
    name: 'a merge patch that is an array',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [1],
    contentType: 'application/merge-patch+json',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a merge patch that makes it invalid',
    method: 'PATCH',
    path: `${N}/existing`,
    body: { spec: { mtu: 99999 } },
    contentType: 'application/merge-patch+json',
    status: 422,
    reason: 'Invalid',
    fields: ['spec.mtu'],
  },
  {
    name: 'a merge patch of a missing object',
    method: 'PATCH',
    path: `${N}/missing`,
    body: { spec: { mtu: 1400 } },
    contentType: 'application/merge-patch+json',
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'a merge patch with a stale resourceVersion',
    method: 'PATCH',
    path: `${N}/existing`,
    body: { metadata: { resourceVersion: '1' }, spec: { mtu: 1400 } },
    contentType: 'application/merge-patch+json',
    status: 409,
    reason: 'Conflict',
  },
  {
    name: 'force on a merge patch',
    method: 'PATCH',
    path: `${N}/existing?force=true`,
    body: {},
    contentType: 'application/merge-patch+json',
    status: 400,
    reason: 'BadRequest',
    message: /force/,
  },
  {
    name: 'a JSON patch that is not an array',
    method: 'PATCH',
    path: `${N}/existing`,
    body: { op: 'add' },
    contentType: 'application/json-patch+json',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a JSON patch whose test fails',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [{ op: 'test', path: '/spec/mtu', value: 1 }],
    contentType: 'application/json-patch+json',
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'a JSON patch removing a missing path',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [{ op: 'remove', path: '/spec/nothing' }],
    contentType: 'application/json-patch+json',
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'a JSON patch with an unknown op',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [{ op: 'frobnicate', path: '/spec' }],
    contentType: 'application/json-patch+json',
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'a JSON patch renaming the object',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [{ op: 'replace', path: '/metadata/name', value: 'renamed' }],
    contentType: 'application/json-patch+json',
    status: 400,
    reason: 'BadRequest',
    message: /does not match the name on the URL/,
  },
  {
    name: 'a JSON patch making ownerReferences a number',
    method: 'PATCH',
    path: `${N}/existing`,
    body: [{ op: 'add', path: '/metadata/ownerReferences', value: 0 }],
    contentType: 'application/json-patch+json',
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'a null owner reference beside one without a uid',
    method: 'POST',
    path: N,
    body: network(undefined, {
      name: 'owned',
      ownerReferences: [
        null,
        { apiVersion: 'networking.datumapis.com/v1alpha1', kind: 'Network', name: 'existing' },
      ],
    }),
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'too many JSON patch operations',
    method: 'PATCH',
    path: `${N}/existing`,
    body: Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/kind', value: 'Network' })),
    contentType: 'application/json-patch+json',
    status: 413,
    reason: 'RequestEntityTooLarge',
  },
  {
    name: 'an apply without fieldManager',
    method: 'PATCH',
    path: `${N}/existing`,
    body: network(undefined, { name: 'existing' }),
    contentType: 'application/apply-patch+yaml',
    status: 400,
    reason: 'BadRequest',
    message: /fieldManager/,
  },
  {
    name: 'an apply whose fields another manager owns',
    method: 'PATCH',
    path: `${N}/existing?fieldManager=intruder`,
    body: network({ ipv4Blocks: ['10.0.0.0/16'], mtu: 1300 }, { name: 'existing' }),
    contentType: 'application/apply-patch+yaml',
    status: 409,
    reason: 'Conflict',
    fields: ['.spec.mtu'],
    message: /Apply failed with 1 conflict/,
  },
  {
    name: 'an apply of the wrong kind',
    method: 'PATCH',
    path: `${N}/existing?fieldManager=x`,
    body: { ...network(undefined, { name: 'existing' }), kind: 'Subnet' },
    contentType: 'application/apply-patch+yaml',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a delete of a missing object',
    method: 'DELETE',
    path: `${N}/missing`,
    status: 404,
    reason: 'NotFound',
  },
  {
    name: 'a bad propagationPolicy',
    method: 'DELETE',
    path: `${N}/existing`,
    body: { propagationPolicy: 'Sideways' },
    status: 400,
    reason: 'BadRequest',
    message: /propagationPolicy/,
  },
  {
    name: 'a delete whose uid precondition fails',
    method: 'DELETE',
    path: `${N}/existing`,
    body: { preconditions: { uid: 'not-it' } },
    status: 409,
    reason: 'Conflict',
    message: /Precondition failed: UID/,
  },
  {
    name: 'a delete whose resourceVersion precondition fails',
    method: 'DELETE',
    path: `${N}/existing`,
    body: { preconditions: { resourceVersion: '1' } },
    status: 409,
    reason: 'Conflict',
    message: /Precondition failed: ResourceVersion/,
  },
  {
    name: 'a bad label selector',
    method: 'GET',
    path: `${N}?labelSelector=${encodeURIComponent('env in (a')}`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a bad field selector',
    method: 'GET',
    path: `${N}?fieldSelector=${encodeURIComponent('metadata.name')}`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'an unsupported field label',
    method: 'GET',
    path: `${N}?fieldSelector=${encodeURIComponent('spec.mtu=1')}`,
    status: 400,
    reason: 'BadRequest',
    message: /field label not supported: spec\.mtu/,
  },
  { name: 'a negative limit', method: 'GET', path: `${N}?limit=-1`, status: 400, reason: 'BadRequest' },
  {
    name: 'a malformed continue token',
    method: 'GET',
    path: `${N}?limit=1&continue=garbage`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a bad resourceVersionMatch',
    method: 'GET',
    path: `${N}?resourceVersion=1&resourceVersionMatch=Bogus`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a watch from a non-numeric resourceVersion',
    method: 'GET',
    path: `${N}?watch=true&resourceVersion=abc`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'sendInitialEvents without NotOlderThan',
    method: 'GET',
    path: `${N}?watch=true&sendInitialEvents=true`,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'a bad includeObject',
    method: 'GET',
    path: `${N}?includeObject=All`,
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'an unacceptable Accept',
    method: 'GET',
    path: N,
    accept: 'application/xml',
    status: 406,
    reason: 'NotAcceptable',
  },
  {
    name: 'a create on the all-namespaces path',
    method: 'POST',
    path: `${G}/networks`,
    body: network(),
    status: 405,
    reason: 'MethodNotAllowed',
  },
  {
    name: 'a patch of a collection',
    method: 'PATCH',
    path: N,
    body: {},
    contentType: 'application/merge-patch+json',
    status: 405,
    reason: 'MethodNotAllowed',
  },
  {
    name: 'a create of a read-only kind',
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
    status: 405,
    reason: 'MethodNotAllowed',
  },
  {
    name: 'an invalid namespace name',
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Not_OK' } },
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.name'],
  },
  {
    name: 'an Event about another namespace',
    method: 'POST',
    path: '/api/v1/namespaces/default/events',
    body: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e' },
      involvedObject: { kind: 'Network', name: 'n', namespace: 'other' },
      reason: 'R',
      message: 'm',
      type: 'Normal',
    },
    status: 422,
    reason: 'Invalid',
    fields: ['involvedObject.namespace'],
  },
  {
    name: 'a CRD whose name does not match its names',
    method: 'POST',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    body: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'wrong.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    },
    status: 422,
    reason: 'Invalid',
    fields: ['metadata.name'],
  },
  {
    name: 'a change to an immutable field',
    method: 'PATCH',
    path: `${G}/namespaces/default/subnetclaims/existing-claim`,
    body: { spec: { networkRef: { name: 'elsewhere' } } },
    contentType: 'application/merge-patch+json',
    status: 422,
    reason: 'Invalid',
    fields: ['spec.networkRef'],
  },
  {
    name: 'a prefix length out of range',
    method: 'POST',
    path: `${G}/namespaces/default/subnetclaims`,
    body: claim({ prefixLength: 30 }),
    status: 422,
    reason: 'Invalid',
    fields: ['spec.prefixLength'],
  },
];

let h: ApiHarness;
let existing: Obj;

before(async () => {
  h = await ApiHarness.start();
  const owned = await h.patch(
    `${N}/existing?fieldManager=owner`,
    'application/apply-patch+yaml',
    network({ ipv4Blocks: ['10.0.0.0/16'], mtu: 1400 }, { name: 'existing' }),
  );
  assert.equal(owned.status, 201, owned.text);
  existing = owned.body;
  assert.equal(
    (
      await h.post(`${G}/namespaces/default/subnetclaims`, {
        ...claim({}),
        metadata: { name: 'existing-claim' },
      })
    ).status,
    201,
    'claim',
  );
  assert.equal(
    (
      await h.post('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'leaving', finalizers: ['test/hold'] },
      })
    ).status,
    201,
    'ns',
  );
  assert.equal(
    (
      await h.post(
        `${G}/namespaces/leaving/networks`,
        network(undefined, { name: 'keep', finalizers: ['test/hold'] }),
      )
    ).status,
    201,
    'held object',
  );
  assert.equal((await h.delete('/api/v1/namespaces/leaving')).status, 200, 'namespace delete');
});

after(async () => {
  await h.close();
});

describe('bad requests', () => {
  it(`has at least 60 cases (${cases.length})`, () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });
  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status}`, async () => {
      const reply = await h.request(c.method, c.path, {
        ...(c.body === undefined ? {} : { body: c.body }),
        ...(c.raw === undefined ? {} : { raw: c.raw }),
        ...(c.contentType === undefined ? {} : { contentType: c.contentType }),
        ...(c.accept === undefined ? {} : { accept: c.accept }),
      });
      assert.equal(reply.status, c.status, `status; body: ${reply.text.slice(0, 400)}`);
      assert.equal(reply.body?.kind, 'Status', `a Status body: ${reply.text.slice(0, 200)}`);
      assert.equal(reply.body.code, c.status, 'Status code');
      if (c.reason !== undefined)
        assert.equal(reply.body.reason, c.reason, `reason; message: ${reply.body.message}`);
      if (c.message !== undefined) assert.match(reply.body.message, c.message, 'message');
      if (c.fields !== undefined) {
        assert.deepEqual(
          (reply.body.details?.causes ?? []).map((cause: Obj) => cause.field),
          c.fields,
          `cause fields; message: ${reply.body.message}`,
        );
      }
      assert.ok(reply.body.message.length > 0, 'a message');
    });
  }
  it('wrote nothing for any refused request', async () => {
    const list = await h.get(N);
    assert.deepEqual(
      list.body.items.map((i: Obj) => i.metadata.name),
      ['existing'],
      'only the fixture',
    );
    const now = (await h.get(`${N}/existing`)).body;
    assert.equal(now.metadata.resourceVersion, existing.metadata.resourceVersion, 'fixture unchanged');
  });
  it('warns about unknown fields under Warn and drops them silently under Ignore', async () => {
    const warned = await h.post(
      `${N}?fieldValidation=Warn`,
      network({ ipv4Blocks: ['10.1.0.0/16'], foo: 1 }, { name: 'warned' }),
    );
    assert.equal(warned.status, 201, warned.text);
    assert.match(
      warned.headers.get('warning') ?? '',
      /^299 - "unknown field \\"spec.foo\\""$/,
      'Warning header',
    );
    assert.equal(warned.body.spec.foo, undefined, 'pruned');
    const ignored = await h.post(
      `${N}?fieldValidation=Ignore`,
      network({ ipv4Blocks: ['10.2.0.0/16'], foo: 1 }, { name: 'ignored' }),
    );
    assert.equal(ignored.status, 201, ignored.text);
    assert.equal(ignored.headers.get('warning'), null, 'no warning');
  });
});
