// Proves the kind-independent API semantics kubectl and controllers rely on: finalizers, ownerReference garbage collection under each propagation policy, watch resume, 410 and bookmarks, dry-run, deletecollection, namespaces, events, leases, CRDs, and kubectl's apply sequences.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, G, TABLE_ACCEPT } from './api-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Obj = Record<string, any>;

let h: ApiHarness;
before(async () => {
  h = await ApiHarness.start();
});
after(async () => {
  await h.close();
});

const networks = (ns: string) => `${G}/namespaces/${ns}/networks`;
const claims = (ns: string) => `${G}/namespaces/${ns}/subnetclaims`;
const network = (name: string, extra: Obj = {}): Obj => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name, ...extra },
  spec: { ipv4Blocks: ['10.0.0.0/16'] },
});
const claim = (name: string, owner?: Obj, block = false): Obj => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'SubnetClaim',
  metadata: {
    name,
    ...(owner === undefined
      ? {}
      : {
          ownerReferences: [
            {
              apiVersion: owner.apiVersion,
              kind: owner.kind,
              name: owner.metadata.name,
              uid: owner.metadata.uid,
              blockOwnerDeletion: block,
            },
          ],
        }),
  },
  spec: { networkRef: { name: 'net' }, prefixLength: 24 },
});

async function namespace(name: string): Promise<void> {
  const reply = await h.post('/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  assert.equal(reply.status, 201, reply.text);
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const gone = async (path: string) => (await h.get(path)).status === 404;

describe('namespaces', () => {
  it('default and datum-system exist', async () => {
    for (const name of ['default', 'datum-system']) {
      const reply = await h.get(`/api/v1/namespaces/${name}`);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.status.phase, 'Active', 'phase');
    }
  });
  it('deleting a namespace deletes its content, then the namespace', async () => {
    await namespace('doomed');
    assert.equal((await h.post(networks('doomed'), network('a'))).status, 201, 'content');
    const deleted = await h.delete('/api/v1/namespaces/doomed');
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(deleted.body.status.phase, 'Terminating', 'Terminating while it drains');
    await eventually('the namespace to go', () => gone('/api/v1/namespaces/doomed'));
    assert.equal((await h.get(`${networks('doomed')}/a`)).status, 404, 'content gone');
  });
});

describe('finalizers', () => {
  it('a delete marks the object until its finalizers are removed', async () => {
    const created = await h.post(networks('default'), network('held', { finalizers: ['example.com/hold'] }));
    assert.equal(created.status, 201, created.text);
    const watch = await h.watch(
      `${networks('default')}?watch=true&fieldSelector=metadata.name%3Dheld&resourceVersion=${created.body.metadata.resourceVersion}`,
    );
    const marked = await h.delete(`${networks('default')}/held`);
    assert.equal(marked.status, 200, marked.text);
    assert.ok(marked.body.metadata.deletionTimestamp, 'deletionTimestamp set');
    assert.equal(marked.body.kind, 'Network', 'the object, not a Status');
    const added = await h.patch(`${networks('default')}/held`, 'application/merge-patch+json', {
      metadata: { finalizers: ['example.com/hold', 'example.com/more'] },
    });
    assert.equal(added.status, 422, `no new finalizers while deleting: ${added.text}`);
    const released = await h.patch(`${networks('default')}/held`, 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    assert.equal(released.status, 200, released.text);
    assert.ok(await gone(`${networks('default')}/held`), 'gone once the last finalizer is removed');
    await watch.waitFor(2);
    watch.close();
    assert.deepEqual(
      watch.events.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
      'watchers see the mark, then the deletion',
    );
  });
});

describe('garbage collection', () => {
  it('Background: dependents go after their owner', async () => {
    await namespace('gc-bg');
    const owner = (await h.post(networks('gc-bg'), network('owner'))).body;
    assert.equal((await h.post(claims('gc-bg'), claim('child', owner))).status, 201, 'dependent');
    const reply = await h.delete(`${networks('gc-bg')}/owner`, { propagationPolicy: 'Background' });
    assert.equal(reply.body.status, 'Success', 'owner removed at once');
    // The claim holds the finalizer the server gives every claim, which no operator here releases.
    await eventually('the dependent to be deleted', async () => {
      const child = await h.get(`${claims('gc-bg')}/child`);
      return child.body.metadata?.deletionTimestamp !== undefined;
    });
    const released = await h.patch(`${claims('gc-bg')}/child`, 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    assert.equal(released.status, 200, released.text);
    await eventually('the dependent to be collected', () => gone(`${claims('gc-bg')}/child`));
  });
  it('an owner reference without a uid is resolved by name, as the specification writes them', async () => {
    await namespace('gc-name');
    const owner = (await h.post(networks('gc-name'), network('owner'))).body;
    const child = claim('child', owner);
    delete child.metadata.ownerReferences[0].uid;
    const created = await h.post(claims('gc-name'), child);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.metadata.ownerReferences[0].uid, owner.metadata.uid, 'uid filled in');
  });
  it('Foreground: the owner stays until its blocking dependents are gone', async () => {
    await namespace('gc-fg');
    const owner = (await h.post(networks('gc-fg'), network('owner'))).body;
    assert.equal(
      (
        await h.post(claims('gc-fg'), {
          ...claim('child', owner, true),
          metadata: { ...claim('child', owner, true).metadata, finalizers: ['example.com/slow'] },
        })
      ).status,
      201,
      'dependent',
    );
    const reply = await h.delete(`${networks('gc-fg')}/owner`, { propagationPolicy: 'Foreground' });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.body.metadata.finalizers, ['foregroundDeletion'], 'foregroundDeletion finalizer');
    await eventually('the dependent to be marked', async () =>
      Boolean((await h.get(`${claims('gc-fg')}/child`)).body.metadata?.deletionTimestamp),
    );
    assert.equal(
      (await h.get(`${networks('gc-fg')}/owner`)).status,
      200,
      'owner waits for its blocking dependent',
    );
    await h.patch(`${claims('gc-fg')}/child`, 'application/merge-patch+json', {
      metadata: { finalizers: null },
    });
    await eventually('the owner to go', () => gone(`${networks('gc-fg')}/owner`));
  });
  it('Orphan: dependents lose the reference and stay', async () => {
    await namespace('gc-or');
    const owner = (await h.post(networks('gc-or'), network('owner'))).body;
    assert.equal((await h.post(claims('gc-or'), claim('child', owner))).status, 201, 'dependent');
    const reply = await h.delete(`${networks('gc-or')}/owner`, { propagationPolicy: 'Orphan' });
    assert.equal(reply.status, 200, reply.text);
    await eventually('the owner to go', () => gone(`${networks('gc-or')}/owner`));
    const child = await h.get(`${claims('gc-or')}/child`);
    assert.equal(child.status, 200, 'the dependent stays');
    assert.equal(child.body.metadata.ownerReferences, undefined, 'without the owner reference');
  });
});

describe('watch', () => {
  it('answers 410 Expired for a compacted resourceVersion', async () => {
    const first = await h.post(networks('default'), network('w1'));
    await h.patch(`${networks('default')}/w1`, 'application/merge-patch+json', {
      metadata: { labels: { a: 'b' } },
    });
    await h.api.storage.compact(await h.api.storage.currentRevision());
    const watch = await h.watch(
      `${networks('default')}?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    await watch.waitFor(1);
    watch.close();
    assert.equal(watch.status, 200, 'the stream opens');
    assert.equal(watch.events[0]?.type, 'ERROR', 'an ERROR event');
    assert.equal(watch.events[0]?.object.code, 410, 'code 410');
    assert.equal(watch.events[0]?.object.reason, 'Expired', 'reason Expired');
  });
  it('sends bookmarks only when asked, and one-row Tables to Table clients', async () => {
    const list = await h.get(networks('default'), TABLE_ACCEPT);
    const table = await h.watch(
      `${networks('default')}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      TABLE_ACCEPT,
    );
    await h.post(networks('default'), network('w2'));
    await h.post(networks('default'), network('w3'));
    await table.waitFor(2);
    table.close();
    assert.equal(table.events[0].object.kind, 'Table', 'a Table');
    assert.equal(table.events[0].object.rows.length, 1, 'one row');
    assert.ok(table.events[0].object.columnDefinitions.length > 0, 'columns in the first event');
    assert.ok(!table.events[1].object.columnDefinitions?.length, 'and not again');
    assert.ok(
      table.events.every((e) => e.type !== 'BOOKMARK'),
      'no unsolicited bookmarks',
    );
  });
  it('sendInitialEvents ends the initial state with an annotated bookmark', async () => {
    const watch = await h.watch(
      `${networks('default')}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    await watch.waitFor(4);
    watch.close();
    const bookmark = watch.events.find((e) => e.type === 'BOOKMARK');
    assert.ok(bookmark, 'a bookmark');
    assert.equal(
      bookmark.object.metadata.annotations['k8s.io/initial-events-end'],
      'true',
      'initial-events-end',
    );
  });
  it('closes at timeoutSeconds', async () => {
    const watch = await h.watch(`${networks('default')}?watch=true&timeoutSeconds=1`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.ok(watch.ended, 'closed by the server');
  });
});

describe('writes', () => {
  it('dry-run validates and answers without storing', async () => {
    const reply = await h.post(networks('default'), network('dry'), '?dryRun=All');
    assert.equal(reply.status, 201, reply.text);
    assert.ok(await gone(`${networks('default')}/dry`), 'nothing stored');
    const invalid = await h.post(
      networks('default'),
      { ...network('dry'), spec: { ipv4Blocks: ['10.0.0.1/16'] } },
      '?dryRun=All',
    );
    assert.equal(invalid.status, 422, 'still validated');
  });
  it('deletecollection deletes what the selector matches', async () => {
    await namespace('bulk');
    for (const name of ['x1', 'x2', 'y1']) {
      await h.post(networks('bulk'), network(name, { labels: { group: name[0]! } }));
    }
    const reply = await h.delete(`${networks('bulk')}?labelSelector=group%3Dx`);
    assert.equal(reply.status, 200, reply.text);
    const left = await h.get(networks('bulk'));
    assert.deepEqual(
      left.body.items.map((i: Obj) => i.metadata.name),
      ['y1'],
      'only y1 left',
    );
  });
  it('generateName gets a unique suffix', async () => {
    const reply = await h.post(networks('default'), { ...network(''), metadata: { generateName: 'gen-' } });
    assert.equal(reply.status, 201, reply.text);
    assert.match(reply.body.metadata.name, /^gen-[a-z0-9]{5}$/, 'generated name');
  });
});

describe("kubectl's apply sequences", () => {
  it('client-side apply stores last-applied verbatim; the kubectl-last-applied follow-up keeps the spec', async () => {
    const manifest = network('csa');
    const lastApplied = `${JSON.stringify({ ...manifest, metadata: { annotations: {}, name: 'csa', namespace: 'default' } })}\n`;
    const body = {
      ...manifest,
      metadata: {
        ...manifest.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
      },
    };
    const created = await h.post(
      networks('default'),
      body,
      '?fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
    );
    assert.equal(created.status, 201, created.text);
    assert.equal(
      created.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
      lastApplied,
      'verbatim, trailing newline included',
    );
    const ssa = await h.patch(
      `${networks('default')}/csa?fieldManager=kubectl&fieldValidation=Strict&force=false`,
      'application/apply-patch+yaml',
      { ...manifest, spec: { ...manifest.spec, ipv4Blocks: ['10.0.0.0/16', '10.1.0.0/16'] } },
    );
    assert.equal(ssa.status, 200, ssa.text);
    const followUp = await h.patch(
      `${networks('default')}/csa?fieldManager=kubectl-last-applied&fieldValidation=Strict`,
      'application/apply-patch+yaml',
      {
        apiVersion: manifest.apiVersion,
        kind: 'Network',
        metadata: {
          name: 'csa',
          namespace: 'default',
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration':
              ssa.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
          },
        },
      },
    );
    assert.equal(followUp.status, 200, followUp.text);
    assert.deepEqual(followUp.body.spec.ipv4Blocks, ['10.0.0.0/16', '10.1.0.0/16'], 'spec kept');
  });
  it('a JSON patch may replace managedFields, with resourceVersion as a precondition', async () => {
    const current = (await h.get(`${networks('default')}/csa`)).body;
    const entries = current.metadata.managedFields.filter(
      (m: Obj) => m.manager !== 'kubectl-client-side-apply',
    );
    const stale = await h.patch(
      `${networks('default')}/csa?fieldManager=kubectl`,
      'application/json-patch+json',
      [
        { op: 'replace', path: '/metadata/managedFields', value: entries },
        { op: 'replace', path: '/metadata/resourceVersion', value: '1' },
      ],
    );
    assert.equal(stale.status, 409, `stale resourceVersion: ${stale.text}`);
    const ok = await h.patch(
      `${networks('default')}/csa?fieldManager=kubectl`,
      'application/json-patch+json',
      [
        { op: 'replace', path: '/metadata/managedFields', value: entries },
        { op: 'replace', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
      ],
    );
    assert.equal(ok.status, 200, ok.text);
    const managers = ok.body.metadata.managedFields.map((m: Obj) => m.manager);
    assert.ok(!managers.includes('kubectl-client-side-apply'), `managers: ${managers}`);
  });
  it('merge patch null deletes a field; arrays are replaced', async () => {
    await h.patch(`${networks('default')}/csa`, 'application/merge-patch+json', {
      metadata: { labels: { a: '1', b: '2' } },
    });
    const reply = await h.patch(`${networks('default')}/csa`, 'application/merge-patch+json', {
      metadata: { labels: { a: null } },
      spec: { ipv4Blocks: ['10.9.0.0/16'] },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.body.metadata.labels, { b: '2' }, 'label a deleted');
    assert.deepEqual(reply.body.spec.ipv4Blocks, ['10.9.0.0/16'], 'array replaced');
  });
});

describe('built-in kinds', () => {
  it('events are selected by involvedObject fields in any order', async () => {
    const event = (name: string, object: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: {
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        name: object,
        namespace: 'default',
        uid: `uid-${object}`,
      },
      reason: 'Allocated',
      message: 'allocated',
      type: 'Normal',
      source: { component: 'nso' },
      firstTimestamp: '2026-11-24T12:00:00Z',
      lastTimestamp: '2026-11-24T12:00:00Z',
      count: 1,
    });
    assert.equal((await h.post('/api/v1/namespaces/default/events', event('e1', 'alpha'))).status, 201, 'e1');
    assert.equal((await h.post('/api/v1/namespaces/default/events', event('e2', 'beta'))).status, 201, 'e2');
    const selector = encodeURIComponent(
      'involvedObject.uid=uid-alpha,involvedObject.name=alpha,involvedObject.kind=Network,involvedObject.namespace=default',
    );
    const reply = await h.get(`/api/v1/namespaces/default/events?fieldSelector=${selector}`);
    assert.deepEqual(
      reply.body.items.map((i: Obj) => i.metadata.name),
      ['e1'],
      'selected',
    );
    const bySource = await h.get(`/api/v1/namespaces/default/events?fieldSelector=source%3Dnso`);
    assert.equal(bySource.body.items.length, 2, 'source is source.component');
    const table = await h.get('/api/v1/namespaces/default/events', TABLE_ACCEPT);
    assert.deepEqual(
      table.body.columnDefinitions.slice(0, 5).map((c: Obj) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject'],
      'event columns',
    );
  });
  it('leases work as client-go leader election uses them', async () => {
    const path = '/apis/coordination.k8s.io/v1/namespaces/datum-system/leases';
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'nso-operator' },
      spec: {
        holderIdentity: 'a',
        leaseDurationSeconds: 15,
        acquireTime: '2026-11-24T12:00:00.000000Z',
        renewTime: '2026-11-24T12:00:00.000000Z',
        leaseTransitions: 0,
      },
    };
    const created = await h.post(path, lease);
    assert.equal(created.status, 201, created.text);
    const renewed = await h.put(`${path}/nso-operator`, {
      ...created.body,
      spec: { ...created.body.spec, renewTime: '2026-11-24T12:00:05.000000Z' },
    });
    assert.equal(renewed.status, 200, renewed.text);
    const stolen = await h.put(`${path}/nso-operator`, {
      ...created.body,
      spec: { ...created.body.spec, holderIdentity: 'b' },
    });
    assert.equal(stolen.status, 409, 'a stale renew loses');
  });
  it('a user CRD makes a new kind servable, and deleting it removes its objects', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'integer', maximum: 10 } } },
                },
              },
            },
            additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          },
        ],
      },
    };
    const created = await h.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.equal(created.status, 201, created.text);
    const widgets = '/apis/example.com/v1/namespaces/default/widgets';
    await eventually('the kind to be served', async () => (await h.get(widgets)).status === 200);
    const discovery = await h.get('/apis/example.com/v1');
    assert.equal(discovery.body.resources[0].name, 'widgets', 'in discovery');
    const widget = await h.post(widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 3 },
    });
    assert.equal(widget.status, 201, widget.text);
    const tooBig = await h.post(widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'big' },
      spec: { size: 11 },
    });
    assert.equal(tooBig.status, 422, 'the schema is enforced');
    const established = await h.get(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    assert.ok(
      established.body.status.conditions.some((c: Obj) => c.type === 'Established' && c.status === 'True'),
      'Established',
    );
    assert.equal(
      (await h.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status,
      200,
      'delete',
    );
    await eventually('the CRD to go', () =>
      gone('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com'),
    );
    assert.equal((await h.get(widgets)).status, 404, 'no longer served');
    assert.equal(
      (await h.api.storage.list('/registry/example.com/')).items.length,
      0,
      'its objects are gone',
    );
  });
});

describe('discovery and OpenAPI', () => {
  it('negotiates aggregated discovery by Accept and falls back to legacy', async () => {
    const v2 = await h.get(
      '/apis',
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    );
    assert.equal(
      v2.headers.get('content-type'),
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      'v2',
    );
    const old = await h.get(
      '/apis',
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
    );
    assert.equal(old.body.apiVersion, 'apidiscovery.k8s.io/v2beta1', 'v2beta1 for kubectl 1.27–1.29');
    const legacy = await h.get('/apis', 'application/json');
    assert.equal(legacy.body.kind, 'APIGroupList', 'legacy');
    assert.ok(
      legacy.body.groups.some((g: Obj) => g.name === 'networking.datumapis.com'),
      'our group',
    );
  });
  it('serves an empty OpenAPI v2 protobuf and a v3 document with fieldValidation on PATCH', async () => {
    const v2 = await h.get('/openapi/v2');
    assert.equal(v2.status, 200, 'v2 200');
    assert.equal(v2.text, '', 'empty body');
    const index = await h.get('/openapi/v3');
    const url = index.body.paths['apis/networking.datumapis.com/v1alpha1'].serverRelativeURL;
    const doc = await h.get(url);
    assert.equal(doc.headers.get('cache-control'), 'public, immutable', 'immutable with a hash');
    const patch =
      doc.body.paths['/apis/networking.datumapis.com/v1alpha1/namespaces/{namespace}/networks/{name}'].patch;
    assert.ok(
      patch.parameters.some((p: Obj) => p.name === 'fieldValidation'),
      'fieldValidation',
    );
    assert.ok(!JSON.stringify(doc.body).includes('strategic-merge-patch'), 'no strategic merge');
  });
  it('answers /version, /healthz, /livez and /readyz', async () => {
    assert.equal((await h.get('/version')).body.major, '1', 'version');
    for (const path of ['/healthz', '/livez', '/readyz']) assert.equal((await h.get(path)).text, 'ok', path);
  });
});
