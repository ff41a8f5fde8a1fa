// ResourceClient against the real API server over TLS with a client certificate: CRUD, the status subresource,
// merge / JSON / server-side-apply patches, typed refusals (409 Conflict, AlreadyExists, 404, 410) and watch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Network, NetworkKind } from '../api/network.ts';
import { ApiError, isAlreadyExists, isConflict, isGone, isNotFound } from './api-error.ts';
import { ApiTransport } from './api-transport.ts';
import { apiResourceOf } from './kube-object.ts';
import { ResourceClient, type WatchEvent } from './resource-client.ts';
import { startTestApiServer, type TestApiServer } from './testing/test-api-server.ts';

const NS = 'default';

function network(name: string, block: string, labels: Record<string, string> = {}): Network {
  return {
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'Network',
    metadata: { name, namespace: NS, labels },
    spec: { ipv4Blocks: [block] },
  };
}

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiError, `an ApiError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

describe('ResourceClient', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<Network>;

  before(async () => {
    server = await startTestApiServer({
      tokens: { 'reader-token': { name: 'reader', groups: ['system:masters'] } },
    });
    transport = new ApiTransport(server.kubeConfig, { userAgent: 'resource-client-test' });
    networks = new ResourceClient<Network>(transport, apiResourceOf(NetworkKind));
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  test('create, get, list by label, update and delete round-trip', async () => {
    const created = await networks.create(network('crud', '10.1.0.0/16', { tier: 'a' }));
    assert.ok(created.metadata.uid, 'the server assigned a uid');
    assert.ok(created.metadata.resourceVersion, 'the server assigned a resourceVersion');

    const fetched = await networks.get(NS, 'crud');
    assert.deepEqual(fetched.spec.ipv4Blocks, ['10.1.0.0/16'], 'get returns what was created');

    await networks.create(network('crud-other', '10.2.0.0/16', { tier: 'b' }));
    const listed = await networks.list(NS, { labelSelector: 'tier=a' });
    assert.deepEqual(
      listed.items.map((item) => item.metadata.name),
      ['crud'],
      'the label selector keeps only tier=a',
    );
    assert.ok(Number(listed.resourceVersion) > 0, 'a list carries its resourceVersion');
    assert.equal(listed.items[0]?.kind, 'Network', 'list items carry their kind');

    const updated = await networks.update({ ...fetched, spec: { ...fetched.spec, mtu: 1500 } });
    assert.equal(updated.spec.mtu, 1500, 'the PUT replaced the spec');
    assert.notEqual(
      updated.metadata.resourceVersion,
      fetched.metadata.resourceVersion,
      'an update moves the resourceVersion',
    );

    const wrongUid = await refusal(networks.delete(NS, 'crud', { preconditions: { uid: 'not-the-uid' } }));
    assert.ok(isConflict(wrongUid), `a uid precondition that fails is a Conflict, not ${wrongUid.reason}`);

    await networks.delete(NS, 'crud', { preconditions: { uid: created.metadata.uid! } });
    const gone = await refusal(networks.get(NS, 'crud'));
    assert.ok(isNotFound(gone), `a deleted object is NotFound, not ${gone.reason}`);
    assert.equal(gone.code, 404, 'NotFound is HTTP 404');
    assert.equal(gone.status.kind, 'Status', 'the error carries the server Status');
  });

  test('an update with a stale resourceVersion is a typed 409 Conflict', async () => {
    const first = await networks.create(network('stale', '10.3.0.0/16'));
    await networks.update({ ...first, metadata: { ...first.metadata, labels: { moved: 'yes' } } });
    const error = await refusal(networks.update({ ...first, spec: { ...first.spec, mtu: 1400 } }));
    assert.ok(isConflict(error), `Conflict expected, got ${error.reason}`);
    assert.equal(error.code, 409, 'Conflict is HTTP 409');
    assert.equal(error.status.reason, 'Conflict', 'the Status reason is kept as the server sent it');
    assert.equal(error.status.details?.name, 'stale', 'the Status names the object');
    assert.ok(!isAlreadyExists(error), 'a Conflict is not AlreadyExists');
  });

  test('creating a name twice is AlreadyExists', async () => {
    await networks.create(network('twice', '10.4.0.0/16'));
    const error = await refusal(networks.create(network('twice', '10.4.0.0/16')));
    assert.ok(isAlreadyExists(error), `AlreadyExists expected, got ${error.reason}`);
    assert.ok(!isConflict(error), 'AlreadyExists is not a Conflict');
  });

  test('updateStatus writes only status, with the same resourceVersion precondition', async () => {
    const created = await networks.create(network('status', '10.5.0.0/16'));
    const condition = {
      type: 'Ready',
      status: 'True' as const,
      reason: 'Tested',
      message: 'set by the test',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const written = await networks.updateStatus({
      ...created,
      spec: { ipv4Blocks: ['10.99.0.0/16'] },
      status: { conditions: [condition] },
    });
    assert.deepEqual(written.status?.conditions, [condition], 'the status was written');
    assert.deepEqual(written.spec.ipv4Blocks, ['10.5.0.0/16'], 'a spec change through /status is ignored');
    const stale = await refusal(networks.updateStatus({ ...created, status: { conditions: [] } }));
    assert.ok(isConflict(stale), `a stale status write is a Conflict, not ${stale.reason}`);
  });

  test('merge patch, JSON patch and server-side apply each use their content type', async () => {
    await networks.create(network('patched', '10.6.0.0/16'));

    const merged = await networks.patch(NS, 'patched', {
      type: 'merge',
      patch: { metadata: { labels: { merged: 'yes' } }, spec: { mtu: 1400 } },
    });
    assert.equal(merged.metadata.labels?.merged, 'yes', 'the merge patch added a label');
    assert.equal(merged.spec.mtu, 1400, 'the merge patch set the mtu');
    assert.deepEqual(merged.spec.ipv4Blocks, ['10.6.0.0/16'], 'the merge patch left the blocks');

    const jsonPatched = await networks.patch(NS, 'patched', {
      type: 'json',
      patch: [
        { op: 'test', path: '/metadata/resourceVersion', value: merged.metadata.resourceVersion },
        { op: 'replace', path: '/spec/mtu', value: 1500 },
        { op: 'remove', path: '/metadata/labels/merged' },
      ],
    });
    assert.equal(jsonPatched.spec.mtu, 1500, 'the JSON patch replaced the mtu');
    assert.equal(jsonPatched.metadata.labels?.merged, undefined, 'the JSON patch removed the label');
    const failedTest = await refusal(
      networks.patch(NS, 'patched', {
        type: 'json',
        patch: [{ op: 'test', path: '/metadata/resourceVersion', value: merged.metadata.resourceVersion }],
      }),
    );
    assert.ok(
      failedTest.code >= 400 && failedTest.code < 500,
      `a failed test op is refused (${failedTest.code})`,
    );

    const applied = await networks.patch(NS, 'patched', {
      type: 'apply',
      fieldManager: 'owner-a',
      patch: {
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Network',
        metadata: { name: 'patched', namespace: NS, labels: { applied: 'a' } },
      },
    });
    assert.equal(applied.metadata.labels?.applied, 'a', 'the apply set the label');
    assert.ok(
      applied.metadata.managedFields?.some(
        (entry) => entry.manager === 'owner-a' && entry.operation === 'Apply',
      ),
      'owner-a is recorded as an Apply manager',
    );

    const contested = {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'patched', namespace: NS, labels: { applied: 'b' } },
    };
    const conflict = await refusal(
      networks.patch(NS, 'patched', { type: 'apply', fieldManager: 'owner-b', patch: contested }),
    );
    assert.ok(isConflict(conflict), `applying another manager's field is a Conflict, not ${conflict.reason}`);
    const forced = await networks.patch(NS, 'patched', {
      type: 'apply',
      fieldManager: 'owner-b',
      force: true,
      patch: contested,
    });
    assert.equal(forced.metadata.labels?.applied, 'b', 'force takes the field');
  });

  test('a merge patch of the status subresource changes status only', async () => {
    await networks.create(network('status-patch', '10.7.0.0/16'));
    const patched = await networks.patch(
      NS,
      'status-patch',
      { type: 'merge', patch: { status: { observedGeneration: 1 }, spec: { mtu: 9000 } } },
      { subresource: 'status' },
    );
    assert.equal(patched.status?.observedGeneration, 1, 'the status was patched');
    assert.equal(patched.spec.mtu, 1460, 'the spec kept its defaulted mtu');
  });

  test('list pages with limit and continue cover every object once', async () => {
    for (let i = 0; i < 5; i++)
      await networks.create(network(`page-${i}`, `10.8.${i}.0/24`, { paged: 'yes' }));
    const names: string[] = [];
    const versions = new Set<string>();
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await networks.list(NS, {
        labelSelector: 'paged=yes',
        limit: 2,
        ...(next === undefined ? {} : { continue: next }),
      });
      names.push(...page.items.map((item) => item.metadata.name!));
      versions.add(page.resourceVersion);
      next = page.continue;
      pages++;
    } while (next !== undefined);
    assert.equal(pages, 3, 'five objects in pages of two are three pages');
    assert.deepEqual(
      names,
      ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'],
      'every object once, in order',
    );
    assert.equal(versions.size, 1, 'every page is the same snapshot');
  });

  test('delete of an object with a finalizer returns it, marked for deletion', async () => {
    const created = await networks.create({
      ...network('finalized', '10.9.0.0/16'),
      metadata: { name: 'finalized', namespace: NS, finalizers: ['test.nso/hold'] },
    });
    const marked = await networks.delete(NS, 'finalized', { propagationPolicy: 'Background' });
    assert.ok(marked?.metadata.deletionTimestamp, 'the object is still there with a deletionTimestamp');
    const current = await networks.get(NS, 'finalized');
    await networks.patch(NS, 'finalized', {
      type: 'merge',
      patch: { metadata: { finalizers: null, resourceVersion: current.metadata.resourceVersion } },
    });
    const error = await refusal(networks.get(NS, 'finalized'));
    assert.ok(isNotFound(error), `releasing the finalizer removed ${created.metadata.name}`);
  });

  test('watch streams changes in order and ends when the server times it out', async () => {
    const start = await networks.list(NS);
    const seen: string[] = [];
    const watching = networks.watch(
      NS,
      { resourceVersion: start.resourceVersion, timeoutSeconds: 2, labelSelector: 'watched=yes' },
      (event) => {
        if (event.type !== 'BOOKMARK' && event.type !== 'ERROR')
          seen.push(`${event.type} ${event.object.metadata.name}`);
      },
      new AbortController().signal,
    );
    await waitFor(() => server.openWatches() > 0, 'the watch is open');
    const created = await networks.create(network('watched', '10.10.0.0/16', { watched: 'yes' }));
    await networks.update({ ...created, spec: { ...created.spec, mtu: 1300 } });
    await networks.delete(NS, 'watched');
    await networks.create(network('unwatched', '10.11.0.0/16'));
    const began = Date.now();
    await watching;
    assert.ok(Date.now() - began < 3_000, 'the watch ended by itself after its timeout');
    assert.deepEqual(
      seen,
      ['ADDED watched', 'MODIFIED watched', 'DELETED watched'],
      'every matching change, once, in order',
    );
  });

  test('aborting a watch resolves it and closes the stream', async () => {
    const abort = new AbortController();
    const watching = networks.watch(NS, {}, () => {}, abort.signal);
    await waitFor(() => server.openWatches() > 0, 'the watch is open');
    abort.abort();
    await watching;
    await waitFor(() => server.openWatches() === 0, 'the server saw the watch close');
  });

  test('a watch from a compacted resourceVersion delivers an ERROR event with code 410', async () => {
    const old = (await networks.list(NS)).resourceVersion;
    await networks.create(network('compacted', '10.12.0.0/16'));
    await server.storage.compact(await server.storage.currentRevision());
    const events: WatchEvent<Network>[] = [];
    await networks.watch(
      NS,
      { resourceVersion: old },
      (event) => void events.push(event),
      new AbortController().signal,
    );
    assert.equal(events.length, 1, `one event, got ${JSON.stringify(events)}`);
    const [event] = events;
    assert.equal(event?.type, 'ERROR', 'the event is an ERROR');
    assert.ok(event?.type === 'ERROR' && isGone(new ApiError(event.object)), 'the ERROR carries 410');
  });

  test('an HTTP refusal of a watch rejects with the Status', async () => {
    server.breakWatches({ code: 503, reason: 'ServiceUnavailable', message: 'watches are down' });
    try {
      const error = await refusal(networks.watch(NS, {}, () => {}, new AbortController().signal));
      assert.equal(error.code, 503, 'the HTTP code');
      assert.equal(error.message, 'watches are down', 'the Status message, which client-node 1.4.0 drops');
    } finally {
      server.resumeWatches();
    }
  });

  test('a bearer token from the kubeconfig authenticates; a wrong one is a typed 401', async () => {
    const withToken = new ApiTransport(server.kubeConfigWithToken('reader-token'));
    const withWrongToken = new ApiTransport(server.kubeConfigWithToken('not-a-token'));
    try {
      const resource = apiResourceOf(NetworkKind);
      const listed = await new ResourceClient<Network>(withToken, resource).list(NS);
      assert.ok(listed.items.length > 0, 'the token user lists the networks');
      const refused = await refusal(new ResourceClient<Network>(withWrongToken, resource).list(NS));
      assert.equal(refused.code, 401, 'an unknown token is 401');
      assert.equal(refused.reason, 'Unauthorized', 'with reason Unauthorized');
    } finally {
      withToken.close();
      withWrongToken.close();
    }
  });

  test('a namespaced call without a namespace is refused before any request', async () => {
    const before = server.requests.length;
    await assert.rejects(networks.get(undefined, 'x'), /needs a namespace/, 'no namespace, no request');
    assert.equal(server.requests.length, before, 'nothing was sent');
  });

  test('a non-Status error body becomes an ApiError with a reason from the code', () => {
    const error = ApiError.fromResponse(404, '<html>not here</html>', 'GET /x');
    assert.ok(isNotFound(error), 'a bare 404 is NotFound');
    assert.match(error.message, /GET \/x: HTTP 404/, 'the message names the request');
    assert.ok(isGone(ApiError.fromResponse(410, '', 'GET /y')), 'a bare 410 is Gone');
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
