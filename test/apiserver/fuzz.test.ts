// Proves the API server answers every mutated, malformed or hostile request (bodies, patches, queries and paths derived from the example objects) with a status below 500 and a well-formed Status, logs no internal error, and keeps serving.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { customResourceDefinition } from '../../src/api/crd.ts';
import type { KindDefinition } from '../../src/api/kind.ts';
import { KINDS } from '../../src/api/kinds.ts';
import { ApiHarness, TABLE_ACCEPT } from './api-harness.ts';
import {
  type BodyRecipe,
  bodyArbitrary,
  type LiveValues,
  type PatchOperationRecipe,
  patchOperationArbitrary,
  type QueryRecipe,
  queryArbitrary,
  renderBody,
  renderJsonPatch,
  renderQuery,
  type TextEdit,
  targetArbitrary,
  textEditArbitrary,
} from './fuzz-arbitraries.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Obj = Record<string, any>;

interface Target {
  readonly kind: KindDefinition;
  readonly seed: Obj;
  readonly name: string;
  readonly collection: string;
  readonly item: string;
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  readonly accept?: string;
  readonly body?: Buffer;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

const DEADLINE_MS = 10_000;
const SCRATCH = 'fuzz-scratch';
const FOUND = 'fuzz-found';

function exampleObjects(): Obj[] {
  const directory = new URL('../../examples/', import.meta.url);
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(new URL(file, directory), 'utf8')).map((d) => d.toJS()))
    .filter((object): object is Obj => typeof object === 'object' && object !== null);
}

function seedTargets(): Target[] {
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const object of exampleObjects()) {
    const kind = KINDS.find((k) => object.apiVersion === `${k.group}/${k.version}` && object.kind === k.kind);
    if (kind === undefined) continue;
    const name = String(object.metadata.name);
    if (seen.has(`${kind.kind}/${name}`)) continue;
    seen.add(`${kind.kind}/${name}`);
    const seed = structuredClone(object);
    delete seed.status;
    delete seed.metadata.namespace;
    delete seed.metadata.ownerReferences;
    const collection = `/apis/${kind.group}/${kind.version}/namespaces/default/${kind.plural}`;
    targets.push({ kind, seed, name, collection, item: `${collection}/${name}` });
  }
  return targets;
}

const TARGETS = seedTargets();

interface BuiltinTarget {
  readonly collection: string;
  readonly seed: Obj;
}

const BUILTIN_TARGETS: readonly BuiltinTarget[] = [
  {
    collection: '/api/v1/namespaces',
    seed: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz-namespace', labels: { a: 'b' } } },
  },
  {
    collection: '/api/v1/namespaces/default/events',
    seed: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'fuzz-event' },
      involvedObject: { apiVersion: 'networking.datumapis.com/v1alpha1', kind: 'Network', name: 'n' },
      reason: 'Fuzzed',
      message: 'fuzzed',
      type: 'Normal',
      count: 1,
    },
  },
  {
    collection: '/apis/coordination.k8s.io/v1/namespaces/default/leases',
    seed: {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'fuzz-lease' },
      spec: { holderIdentity: 'fuzz', leaseDurationSeconds: 15 },
    },
  },
  ...KINDS.map((kind) => ({
    collection: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    seed: customResourceDefinition(kind) as Obj,
  })),
];
const SEED_KEYS = [
  ...new Set(
    [...TARGETS, ...BUILTIN_TARGETS].flatMap(
      (t) => JSON.stringify(t.seed).match(/"[A-Za-z][\w.-]*":/g) ?? [],
    ),
  ),
].map((k) => k.slice(1, -2));

const targetIndex = fc.nat({ max: TARGETS.length - 1 });
const body = bodyArbitrary(SEED_KEYS);
const textEdits = fc.oneof(
  { weight: 4, arbitrary: fc.constant<TextEdit[]>([]) },
  { weight: 1, arbitrary: fc.array(textEditArbitrary, { minLength: 1, maxLength: 2 }) },
);
const accept = fc.option(
  fc.constantFrom(
    'application/json',
    TABLE_ACCEPT,
    'application/json;as=Table;v=v1beta1;g=meta.k8s.io',
    'application/json;as=Table;v=v9;g=meta.k8s.io',
    'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    'application/xml',
    '*/*',
    'application/*',
    'application/vnd.kubernetes.protobuf',
    'application/yaml',
    ';;;',
    'application/json;q=0',
    'application/json;q=abc',
    'text/html,*/*;q=0.1',
    '',
  ),
  { freq: 3 },
);
const OBJECT_TYPES = [
  'application/json',
  'application/yaml',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
  ';',
];
const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'application/apply-patch+json',
  'application/strategic-merge-patch+json',
  'application/json',
  'application/merge-patch+json; charset=utf-8',
  '',
];
const oddType = (types: readonly string[]) => fc.option(fc.constantFrom(...types), { freq: 6 });
const WRITE_KEYS = ['dryRun', 'fieldValidation', 'fieldManager', 'pretty'];
const LIST_KEYS = [
  'labelSelector',
  'fieldSelector',
  'limit',
  'continue',
  'resourceVersion',
  'resourceVersionMatch',
  'includeObject',
  'pretty',
];
const WATCH_KEYS = [...LIST_KEYS, 'allowWatchBookmarks', 'sendInitialEvents'];
const DELETE_KEYS = ['dryRun', 'propagationPolicy', 'orphanDependents', 'gracePeriodSeconds', ...LIST_KEYS];

let h: ApiHarness;
let live: LiveValues;
const serverErrors: string[] = [];
const consoleError = console.error;

function describeRequest(sent: Sent): string {
  const preview = sent.body === undefined ? '' : JSON.stringify(sent.body.toString('utf8').slice(0, 600));
  return [
    `${sent.method} ${sent.path}`,
    sent.contentType === undefined ? '' : `content-type: ${JSON.stringify(sent.contentType)}`,
    sent.accept === undefined ? '' : `accept: ${JSON.stringify(sent.accept)}`,
    sent.body === undefined ? '' : `body (${sent.body.length} bytes): ${preview}`,
  ]
    .filter((line) => line !== '')
    .join('\n  ');
}

async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DEADLINE_MS} ms to ${what}`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** kube-apiserver's answer to a resourceVersion ahead of the store: clients (reflectors) rely on this exact 504. */
function isTooLargeResourceVersion(status: number, parsed: Obj | undefined): boolean {
  return (
    status === 504 &&
    parsed?.reason === 'Timeout' &&
    (parsed.details?.causes ?? []).some((cause: Obj) => cause.reason === 'ResourceVersionTooLarge')
  );
}

function parseJson(text: string): Obj | undefined {
  try {
    return JSON.parse(text) as Obj;
  } catch {
    return undefined;
  }
}

function checkAnswer(sent: Sent, answer: Answer, logged: readonly string[]): void {
  const request = describeRequest(sent);
  const context = `\n  ${request}\n  answered ${answer.status}: ${answer.text.slice(0, 400)}`;
  const stacks = logged.length === 0 ? '' : `\n  server log:\n${logged.join('\n')}`;
  const parsed = parseJson(answer.text);
  if (!isTooLargeResourceVersion(answer.status, parsed)) {
    assert.ok(answer.status < 500, `a 5xx answer${context}${stacks}`);
    assert.equal(logged.length, 0, `the server logged an internal error${context}${stacks}`);
  }
  if (answer.status >= 200 && answer.status < 300) {
    if (sent.path.includes('watch=')) checkWatchEvents(answer.text, context);
    return;
  }
  if (sent.method === 'HEAD') return;
  assert.ok(parsed !== undefined, `a non-2xx answer must be JSON${context}`);
  assert.equal(parsed.kind, 'Status', `a non-2xx answer must be a Status${context}`);
  assert.equal(parsed.code, answer.status, `the Status code must equal the HTTP status${context}`);
  assert.ok(
    typeof parsed.message === 'string' && parsed.message !== '',
    `the Status must carry a message${context}`,
  );
}

function checkWatchEvents(text: string, context: string): void {
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const event = parseJson(line);
    if (event?.type !== 'ERROR') continue;
    assert.ok(
      typeof event.object?.code === 'number' && event.object.code < 500,
      `a watch ERROR event with an internal error${context}\n  event: ${line.slice(0, 400)}`,
    );
  }
}

async function send(sent: Sent): Promise<Answer> {
  const mark = serverErrors.length;
  const reply = await withDeadline(
    h.request(sent.method, sent.path, {
      ...(sent.body === undefined ? {} : { raw: sent.body }),
      ...(sent.contentType === undefined ? {} : { contentType: sent.contentType }),
      ...(sent.accept === undefined ? {} : { accept: sent.accept }),
    }),
    describeRequest(sent),
  );
  checkAnswer(sent, reply, serverErrors.slice(mark));
  return reply;
}

/** Node's own client, so the request target reaches the server byte for byte (fetch would normalize it). */
async function sendRaw(sent: Sent): Promise<Answer> {
  const mark = serverErrors.length;
  const base = new URL(h.base);
  const answer = await withDeadline(
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (sent.body !== undefined) headers['content-length'] = String(sent.body.length);
      if (sent.contentType !== undefined) headers['content-type'] = sent.contentType;
      if (sent.accept !== undefined) headers.accept = sent.accept;
      const req = httpRequest(
        { host: base.hostname, port: base.port, method: sent.method, path: sent.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(sent.body);
    }),
    describeRequest(sent),
  );
  checkAnswer(sent, answer, serverErrors.slice(mark));
  return answer;
}

async function current(target: Target): Promise<Obj> {
  const reply = await h.get(target.item);
  if (reply.status === 200) return reply.body;
  const created = await h.post(target.collection, target.seed);
  assert.equal(created.status, 201, `re-creating ${target.item}: ${created.text.slice(0, 300)}`);
  return created.body;
}

function bodyType(rendered: { yaml: boolean }, odd: string | null, natural: string): string {
  return odd ?? (rendered.yaml ? 'application/yaml' : natural);
}

function withQuery(path: string, query: QueryRecipe | null): string {
  if (query === null) return path;
  const text = renderQuery(query, live);
  return text === '' ? path : `${path}?${text}`;
}

function run<T>(property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  return fc.assert(property, {
    numRuns,
    timeout: DEADLINE_MS * 2,
    includeErrorInReport: true,
  });
}

/** A stack overflow's trace is one frame many times over: show it once, with a count. */
function collapseFrames(stack: string | undefined): string {
  const lines = (stack ?? '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[i]) j++;
    out.push(j > i ? `${lines[i]} (x${j - i + 1})` : lines[i]!);
    i = j + 1;
  }
  return out.join('\n    ');
}

const stackTraceLimit = Error.stackTraceLimit;

before(async () => {
  Error.stackTraceLimit = 60;
  console.error = (...args: unknown[]) => {
    if (args[0] !== 'request failed') return consoleError(...args);
    const fields = args[1] as { method?: string; url?: string; stack?: string; error?: string };
    serverErrors.push(
      `    ${fields.method} ${fields.url}\n    ${collapseFrames(fields.stack ?? fields.error)}`,
    );
  };
  h = await ApiHarness.start();
  for (const name of [SCRATCH, FOUND]) {
    const namespace = await h.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
    assert.equal(namespace.status, 201, `namespace ${name}: ${namespace.text}`);
  }
  for (const target of TARGETS) {
    const created = await h.post(target.collection, target.seed);
    assert.equal(created.status, 201, `seeding ${target.item}: ${created.text.slice(0, 300)}`);
    const scratch = target.collection.replace('/namespaces/default/', `/namespaces/${SCRATCH}/`);
    assert.equal((await h.post(scratch, target.seed)).status, 201, `seeding ${scratch}`);
  }
  for (const target of BUILTIN_TARGETS.filter((t) => t.seed.kind !== 'CustomResourceDefinition')) {
    const created = await h.post(target.collection, target.seed);
    assert.equal(created.status, 201, `seeding ${target.collection}: ${created.text.slice(0, 300)}`);
  }
  const page = await h.get(`${TARGETS[0]!.collection}?limit=1`);
  assert.equal(
    typeof page.body?.metadata?.continue,
    'string',
    `a continue token: ${page.text.slice(0, 300)}`,
  );
  live = { continueToken: page.body.metadata.continue, resourceVersion: page.body.metadata.resourceVersion };
});

after(async () => {
  console.error = consoleError;
  Error.stackTraceLimit = stackTraceLimit;
  await h.close();
});

const NETWORKS = `/apis/networking.datumapis.com/v1alpha1/namespaces/${FOUND}/networks`;
const CONTEXTS = `/apis/networking.datumapis.com/v1alpha1/namespaces/${FOUND}/networkcontexts`;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const NETWORK_HEAD = 'apiVersion: networking.datumapis.com/v1alpha1\nkind: Network\n';
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

async function createContext(name: string): Promise<void> {
  const created = await h.post(CONTEXTS, {
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'NetworkContext',
    metadata: { name },
    spec: { networkRef: { name: 'n' }, providerConfig: { custom: { a: 1 } } },
  });
  assert.equal(created.status, 201, `creating ${name}: ${created.text.slice(0, 300)}`);
}

/** Copies of a preserved field into its own deepest leaf: each copy doubles its depth. */
function deepeningCopies(times: number): unknown[] {
  const from = '/spec/providerConfig/custom';
  return Array.from({ length: times }, (_, i) => ({
    op: 'copy',
    from,
    path: `${from}${'/a'.repeat(2 ** i)}`,
  }));
}

/** The Network CRD renamed to `fuzzes`, its schema edited: a CRD as a client might send it. */
function editedDefinition(edit: (schema: Obj) => void): Obj {
  const definition = customResourceDefinition(KINDS[0]!) as Obj;
  definition.metadata.name = `fuzzes.${definition.spec.group}`;
  definition.spec.names = { plural: 'fuzzes', singular: 'fuzz', kind: 'Fuzz', listKind: 'FuzzList' };
  edit(definition.spec.versions[0].schema.openAPIV3Schema);
  return definition;
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('requests fuzzing found answered with 5xx or worse', () => {
  it('answers an absolute-form request target that is no valid URL', async () => {
    await sendRaw({ method: 'GET', path: 'http://[' });
  });

  it('answers a YAML alias bomb', async () => {
    const bomb = [
      'l0: &l0 [x, x, x, x, x, x, x, x, x, x]',
      'l1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]',
      'l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]',
    ].join('\n    ');
    const body = `${NETWORK_HEAD}metadata:\n  name: bomb\n  annotations:\n    ${bomb}\n`;
    await send({ method: 'POST', path: NETWORKS, contentType: 'application/yaml', body: Buffer.from(body) });
  });

  it('answers a YAML alias whose anchor does not exist', async () => {
    await send({
      method: 'PATCH',
      path: `${NETWORKS}/alias?fieldManager=fuzz`,
      contentType: 'application/apply-patch+yaml',
      body: Buffer.from(`${NETWORK_HEAD}metadata:\n  name: *nowhere\n`),
    });
  });

  it('answers an unknown field whose name is outside Latin-1 (it becomes a Warning header)', async () => {
    await send({
      method: 'POST',
      path: NETWORKS,
      contentType: 'application/json',
      body: json({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name: 'warning' },
        spec: { ipv4Blocks: ['10.0.0.0/16'], Ā: 1 },
      }),
    });
  });

  it('answers an apiVersion, kind or name that cannot be turned into a string', async () => {
    for (const body of [
      { apiVersion: { toString: 1 }, kind: 'Network', metadata: { name: 'a' } },
      { kind: { toString: 1 }, metadata: { name: 'a' } },
    ]) {
      await send({ method: 'POST', path: NETWORKS, contentType: 'application/json', body: json(body) });
    }
    await send({
      method: 'PATCH',
      path: `${NETWORKS}/a?fieldManager=fuzz`,
      contentType: 'application/apply-patch+yaml',
      body: json({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name: { toString: 1 } },
      }),
    });
  });

  it('answers a JSON patch that nests a preserved field 4096 deep', async () => {
    await createContext('deep-rule');
    await send({
      method: 'PATCH',
      path: `${CONTEXTS}/deep-rule`,
      contentType: 'application/json-patch+json',
      body: json(deepeningCopies(12)),
    });
  });

  it('keeps answering patches of an object a JSON patch nested 2048 deep', async () => {
    await createContext('deep-stored');
    await send({
      method: 'PATCH',
      path: `${CONTEXTS}/deep-stored`,
      contentType: 'application/json-patch+json',
      body: json(deepeningCopies(11)),
    });
    await send({
      method: 'PATCH',
      path: `${CONTEXTS}/deep-stored`,
      contentType: 'application/merge-patch+json',
      body: json({ metadata: { labels: { touched: 'yes' } } }),
    });
    await send({ method: 'DELETE', path: `${CONTEXTS}/deep-stored?propagationPolicy=Foreground` });
  });

  it('answers an apply that puts a map into a set-typed list', async () => {
    await send({
      method: 'PATCH',
      path: `${NETWORKS}/set-list?fieldManager=fuzz`,
      contentType: 'application/apply-patch+yaml',
      body: json({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name: 'set-list' },
        spec: { ipv4Blocks: [{}] },
      }),
    });
  });

  it('answers CRDs whose schema holds a null or a rule that is no string', async () => {
    const edits: ((schema: Obj) => void)[] = [
      (schema) => {
        schema.properties.spec = null;
      },
      (schema) => {
        schema['x-kubernetes-validations'] = [{ rule: 1 }];
      },
      (schema) => {
        schema['x-kubernetes-validations'] = [null];
      },
    ];
    for (const edit of edits) {
      await send({
        method: 'POST',
        path: `${CRDS}?dryRun=All`,
        contentType: 'application/json',
        body: json(editedDefinition(edit)),
      });
    }
  });

  it('answers creates of a kind whose CRD was accepted with an enum that is no list', async () => {
    const definition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.fuzz.example.com' },
      spec: {
        group: 'fuzz.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'string', enum: 'small' } } },
                },
              },
            },
          },
        ],
      },
    };
    const created = await send({
      method: 'POST',
      path: CRDS,
      contentType: 'application/json',
      body: json(definition),
    });
    if (created.status !== 201) return;
    const widgets = `/apis/fuzz.example.com/v1/namespaces/${FOUND}/widgets`;
    await eventually('widgets to be served', async () => (await h.get(widgets)).status === 200);
    await send({
      method: 'POST',
      path: widgets,
      contentType: 'application/json',
      body: json({
        apiVersion: 'fuzz.example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 'small' },
      }),
    });
  });

  it('bounds the work of a small JSON patch whose copies double the object (cf. CVE-2019-1002100)', async () => {
    const created = await h.post(NETWORKS, {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'doubling' },
      spec: { ipv4Blocks: ['10.0.0.0/16'] },
    });
    assert.equal(created.status, 201, `creating doubling: ${created.text.slice(0, 300)}`);
    const copies = Array.from({ length: 22 }, (_, i) => ({
      op: 'copy',
      from: '/spec/x',
      path: `/spec/x/c${i}`,
    }));
    const operations = [{ op: 'add', path: '/spec/x', value: { a: 'y' } }, ...copies];
    const started = performance.now();
    await send({
      method: 'PATCH',
      path: `${NETWORKS}/doubling?dryRun=All`,
      contentType: 'application/json-patch+json',
      body: json(operations),
    });
    const elapsed = performance.now() - started;
    assert.ok(
      elapsed < 1000,
      `a ${JSON.stringify(operations).length}-byte patch took ${Math.round(elapsed)} ms`,
    );
  });
});

describe('the API server under fuzzed input', () => {
  it(`seeds one object per example (${TARGETS.length}) covering every kind`, () => {
    const kinds = new Set(TARGETS.map((t) => t.kind.kind));
    assert.deepEqual(
      [...kinds].sort(),
      KINDS.map((k) => k.kind).sort(),
      'every kind has at least one example object',
    );
  });

  it('answers creates of mutated objects', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        body,
        oddType(OBJECT_TYPES),
        fc.option(queryArbitrary(WRITE_KEYS), { freq: 2 }),
        accept,
        fc.boolean(),
        async (index, recipe, odd, query, acceptHeader, scratch) => {
          const target = TARGETS[index]!;
          const rendered = renderBody(recipe, target.seed);
          const collection = scratch
            ? target.collection.replace('/namespaces/default/', `/namespaces/${SCRATCH}/`)
            : target.collection;
          await send({
            method: 'POST',
            path: withQuery(collection, query),
            contentType: bodyType(rendered, odd, 'application/json'),
            ...(acceptHeader === null ? {} : { accept: acceptHeader }),
            body: rendered.bytes,
          });
        },
      ),
      600,
    );
  });

  it('answers updates of mutated live objects carrying their real resourceVersion', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        body,
        oddType(OBJECT_TYPES),
        fc.option(queryArbitrary(WRITE_KEYS), { freq: 2 }),
        fc.constantFrom('', '', '', '/status'),
        async (index, recipe, odd, query, subresource) => {
          const target = TARGETS[index]!;
          const object = await current(target);
          const rendered = renderBody(recipe, object);
          await send({
            method: 'PUT',
            path: withQuery(`${target.item}${subresource}`, query),
            contentType: bodyType(rendered, odd, 'application/json'),
            body: rendered.bytes,
          });
        },
      ),
      500,
    );
  });

  it('answers merge patches', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        body,
        oddType(PATCH_TYPES),
        fc.option(queryArbitrary([...WRITE_KEYS, 'force']), { freq: 2 }),
        fc.constantFrom('', '', '', '/status'),
        async (index, recipe, odd, query, subresource) => {
          const target = TARGETS[index]!;
          const object = await current(target);
          const rendered = renderBody(recipe, object);
          await send({
            method: 'PATCH',
            path: withQuery(`${target.item}${subresource}`, query),
            contentType: odd ?? 'application/merge-patch+json',
            body: rendered.bytes,
          });
        },
      ),
      500,
    );
  });

  it('answers JSON patches of random operations', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        fc.array(patchOperationArbitrary(), { maxLength: 10 }),
        textEdits,
        fc.option(queryArbitrary(WRITE_KEYS), { freq: 2 }),
        fc.constantFrom('', '', '', '/status'),
        async (index, operations: PatchOperationRecipe[], edits, query, subresource) => {
          const target = TARGETS[index]!;
          const object = await current(target);
          const recipe: BodyRecipe = {
            from: 'object',
            mutations: [],
            encoding: 'json',
            edits,
          };
          const rendered = renderBody(recipe, renderJsonPatch(operations, object));
          await send({
            method: 'PATCH',
            path: withQuery(`${target.item}${subresource}`, query),
            contentType: 'application/json-patch+json',
            body: rendered.bytes,
          });
        },
      ),
      400,
    );
  });

  it('answers apply patches, JSON and YAML with anchors and aliases', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        body,
        fc.constantFrom('application/apply-patch+yaml', 'application/apply-patch+json'),
        fc.constantFrom('seed', 'live'),
        fc.option(fc.constantFrom('fuzz-new', 'Bad_Name', 'a'.repeat(254)), { freq: 4 }),
        queryArbitrary([...WRITE_KEYS, 'force']),
        fc.constantFrom('fuzz', 'kubectl', 'other'),
        async (index, recipe, contentType, base, rename, query, manager) => {
          const target = TARGETS[index]!;
          const object = base === 'seed' ? target.seed : await current(target);
          const name = rename ?? target.name;
          const rendered = renderBody(recipe, { ...object, metadata: { ...object.metadata, name } });
          const path = withQuery(`${target.collection}/${name}`, query);
          await send({
            method: 'PATCH',
            path: `${path}${path.includes('?') ? '&' : '?'}fieldManager=${manager}`,
            contentType,
            body: rendered.bytes,
          });
        },
      ),
      400,
    );
  });

  it('answers dry-run writes of mutated built-in objects: namespaces, events, leases and CRDs', async () => {
    await run(
      fc.asyncProperty(
        fc.nat({ max: BUILTIN_TARGETS.length - 1 }),
        fc.constantFrom('POST', 'PUT', 'PATCH'),
        body,
        fc.constantFrom('', '', '/status'),
        async (index, method, recipe, subresource) => {
          const target = BUILTIN_TARGETS[index]!;
          const item = `${target.collection}/${target.seed.metadata.name}`;
          const live = await h.get(item);
          assert.equal(live.status, 200, `reading ${item}: ${live.text.slice(0, 300)}`);
          const rendered = renderBody(recipe, method === 'POST' ? target.seed : live.body);
          await send({
            method,
            path: `${method === 'POST' ? target.collection : `${item}${subresource}`}?dryRun=All`,
            contentType:
              method === 'PATCH'
                ? 'application/merge-patch+json'
                : bodyType(rendered, null, 'application/json'),
            body: rendered.bytes,
          });
        },
      ),
      400,
    );
  });

  it('answers lists with random selectors, limits, continue tokens and resource versions', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        fc.constantFrom('default', SCRATCH, 'all', 'nope'),
        queryArbitrary(LIST_KEYS),
        accept,
        async (index, scope, query, acceptHeader) => {
          const kind = TARGETS[index]!.kind;
          const base = `/apis/${kind.group}/${kind.version}`;
          const path =
            scope === 'all' ? `${base}/${kind.plural}` : `${base}/namespaces/${scope}/${kind.plural}`;
          await send({
            method: 'GET',
            path: withQuery(path, query),
            ...(acceptHeader === null ? {} : { accept: acceptHeader }),
          });
        },
      ),
      1000,
    );
  });

  it('answers watches with random selectors and resource versions, each ending after a second', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        fc.constantFrom('default', SCRATCH, 'all'),
        queryArbitrary(WATCH_KEYS),
        fc.constantFrom('true', '1'),
        accept,
        async (index, scope, query, watch, acceptHeader) => {
          const kind = TARGETS[index]!.kind;
          const base = `/apis/${kind.group}/${kind.version}`;
          const path =
            scope === 'all' ? `${base}/${kind.plural}` : `${base}/namespaces/${scope}/${kind.plural}`;
          const rest = renderQuery(query, live);
          await send({
            method: 'GET',
            path: `${path}?watch=${watch}&timeoutSeconds=1${rest === '' ? '' : `&${rest}`}`,
            ...(acceptHeader === null ? {} : { accept: acceptHeader }),
          });
        },
      ),
      20,
    );
  });

  it('answers deletes with random options, of one object and of collections', async () => {
    await run(
      fc.asyncProperty(
        targetIndex,
        fc.boolean(),
        fc.option(body, { freq: 2 }),
        queryArbitrary(DELETE_KEYS),
        async (index, collection, recipe, query) => {
          const target = TARGETS[index]!;
          const scratch = target.collection.replace('/namespaces/default/', `/namespaces/${SCRATCH}/`);
          const victim = await h.post(scratch, {
            ...target.seed,
            metadata: { ...target.seed.metadata, name: undefined, generateName: 'victim-' },
          });
          assert.equal(victim.status, 201, `a victim to delete: ${victim.text.slice(0, 300)}`);
          const options = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
          const rendered = recipe === null ? undefined : renderBody(recipe, options);
          await send({
            method: 'DELETE',
            path: withQuery(collection ? scratch : `${scratch}/${victim.body.metadata.name}`, query),
            ...(rendered === undefined ? {} : { contentType: 'application/json', body: rendered.bytes }),
          });
        },
      ),
      400,
    );
  });

  it('answers random methods on random request targets', async () => {
    await run(
      fc.asyncProperty(
        fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'),
        targetArbitrary([...new Set(TARGETS.flatMap((t) => [t.kind.plural, t.name]))]),
        fc.option(body, { freq: 3 }),
        oddType([...OBJECT_TYPES, ...PATCH_TYPES]),
        accept,
        async (method, target, recipe, odd, acceptHeader) => {
          const rendered = recipe === null ? undefined : renderBody(recipe, TARGETS[0]!.seed);
          await sendRaw({
            method,
            path: target,
            ...(rendered === undefined
              ? {}
              : { contentType: bodyType(rendered, odd, 'application/json'), body: rendered.bytes }),
            ...(acceptHeader === null ? {} : { accept: acceptHeader }),
          });
        },
      ),
      1500,
    );
  });

  it('still answers /healthz and /readyz afterwards', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const reply = await h.get(path);
      assert.equal(reply.status, 200, `${path}: ${reply.text}`);
      assert.equal(reply.text, 'ok', `${path} body`);
    }
  });
});
