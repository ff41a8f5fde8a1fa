// Proves every nso kind is served with Kubernetes semantics through the one generic registry: CRUD, selectors, watch, conflicts, every patch type, the status subresource, generation and Tables.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { NETWORK_BINDING_FINALIZER_NAME, SUBNET_CLAIM_FINALIZER_NAME } from '../../src/api/finalizers.ts';
import { KINDS } from '../../src/api/kinds.ts';
import { ApiHarness, TABLE_ACCEPT } from './api-harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
type Obj = Record<string, any>;

/** What the API server adds to every new object of these kinds (admission, as for pvc-protection). */
const SERVER_FINALIZERS: Record<string, string> = {
  SubnetClaim: SUBNET_CLAIM_FINALIZER_NAME,
  NetworkBinding: NETWORK_BINDING_FINALIZER_NAME,
};

const SAMPLES: Record<string, { file: string; specChange: Obj }> = {
  Network: { file: 'network.yaml', specChange: { spec: { mtu: 1400 } } },
  NetworkContext: {
    file: 'network-context.yaml',
    specChange: { spec: { providerConfig: { gcp: { region: 'europe-west1' } } } },
  },
  SubnetClaim: {
    file: 'subnet-claim.yaml',
    specChange: { spec: { location: { region: 'us-east1', zone: 'us-east1-b' } } },
  },
  Subnet: {
    file: 'subnet.yaml',
    specChange: { spec: { location: { region: 'us-east1', zone: 'us-east1-b' } } },
  },
  NetworkAllocation: {
    file: 'network-allocation.yaml',
    specChange: {
      spec: {
        allocations: ['10.100.0.0/24 SubnetClaim web-subnet web-subnet-uid'],
        count: 1,
      },
    },
  },
  NetworkAddress: {
    file: 'network-address.yaml',
    specChange: { spec: { subnetRef: { name: 'other-subnet' } } },
  },
  NetworkBinding: {
    file: 'network-binding.yaml',
    specChange: { spec: { subnetRef: { name: 'other-subnet' } } },
  },
  NetworkPolicy: {
    file: 'network-policy.yaml',
    specChange: { spec: { podSelector: { matchLabels: { tier: 'api' } } } },
  },
  Workload: {
    file: 'workload.yaml',
    specChange: { spec: { location: { region: 'us-east1', zone: 'us-east1-b' } } },
  },
};

function sample(kind: string): Obj {
  const text = readFileSync(new URL(`../../examples/${SAMPLES[kind]!.file}`, import.meta.url), 'utf8');
  const object = parseAllDocuments(text)
    .map((doc) => doc.toJS() as Obj)
    .find((o) => o.kind === kind)!;
  delete object.status;
  delete object.metadata.ownerReferences;
  return object;
}

let h: ApiHarness;
before(async () => {
  h = await ApiHarness.start();
});
after(async () => {
  await h.close();
});

for (const kind of KINDS) {
  describe(`${kind.kind} (${kind.plural})`, () => {
    const ns = `conf-${kind.plural}`;
    const base = `/apis/${kind.group}/${kind.version}`;
    const collection = `${base}/namespaces/${ns}/${kind.plural}`;
    const object = sample(kind.kind);
    const name = object.metadata.name as string;
    const item = `${collection}/${name}`;
    const serverFinalizer = SERVER_FINALIZERS[kind.kind];
    let created: Obj;
    /** With no operator running here, a test plays its part and lets the object go. */
    const release = async (path: string) => {
      const reply = await h.patch(path, 'application/merge-patch+json', { metadata: { finalizers: null } });
      assert.equal(reply.status, 200, reply.text);
    };

    before(async () => {
      const reply = await h.post('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
      assert.equal(reply.status, 201, reply.text);
    });

    it('creates with server-set metadata', async () => {
      const reply = await h.post(collection, {
        ...object,
        metadata: { ...object.metadata, labels: { suite: 'conf', role: 'a' } },
      });
      assert.equal(reply.status, 201, reply.text);
      created = reply.body;
      assert.equal(created.metadata.namespace, ns, 'namespace from the URL');
      assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/, 'uid');
      assert.match(created.metadata.resourceVersion, /^\d+$/, 'resourceVersion');
      assert.equal(created.metadata.generation, 1, 'generation starts at 1');
      assert.match(
        created.metadata.creationTimestamp,
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        'second-precision RFC 3339',
      );
      assert.equal(created.apiVersion, `${kind.group}/${kind.version}`, 'apiVersion');
      assert.deepEqual(
        created.metadata.finalizers,
        serverFinalizer === undefined ? undefined : [serverFinalizer],
        'finalizers the server adds',
      );
    });

    it('gets it back, and refuses a second create with AlreadyExists', async () => {
      const reply = await h.get(item);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(reply.body, created, 'get returns what create returned');
      const again = await h.post(collection, object);
      assert.equal(again.status, 409, again.text);
      assert.equal(again.body.reason, 'AlreadyExists', 'reason');
      assert.equal(again.body.message, `${kind.plural}.${kind.group} "${name}" already exists`, 'message');
    });

    it('lists with label and field selectors, in a namespace and across all', async () => {
      const other = { ...object, metadata: { name: `${name}-b`, labels: { suite: 'conf', role: 'b' } } };
      assert.equal((await h.post(collection, other)).status, 201, 'second object');
      if (serverFinalizer !== undefined) await release(`${collection}/${name}-b`);
      const all = await h.get(collection);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.kind, `${kind.kind}List`, 'list kind');
      assert.match(all.body.metadata.resourceVersion, /^\d+$/, 'list resourceVersion');
      assert.deepEqual(
        all.body.items.map((i: Obj) => i.metadata.name),
        [name, `${name}-b`],
        'both, in name order',
      );
      const labelled = await h.get(
        `${collection}?labelSelector=${encodeURIComponent('role in (b),suite=conf')}`,
      );
      assert.deepEqual(
        labelled.body.items.map((i: Obj) => i.metadata.name),
        [`${name}-b`],
        'label selector',
      );
      const named = await h.get(`${collection}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`);
      assert.deepEqual(
        named.body.items.map((i: Obj) => i.metadata.name),
        [name],
        'field selector',
      );
      const notNamed = await h.get(
        `${collection}?fieldSelector=${encodeURIComponent(`metadata.name!=${name},metadata.namespace=${ns}`)}`,
      );
      assert.deepEqual(
        notNamed.body.items.map((i: Obj) => i.metadata.name),
        [`${name}-b`],
        '!= and ANDed terms',
      );
      const bad = await h.get(`${collection}?fieldSelector=spec.nothing%3Dx`);
      assert.equal(bad.status, 400, bad.text);
      const everywhere = await h.get(`${base}/${kind.plural}?labelSelector=suite%3Dconf`);
      assert.equal(everywhere.status, 200, everywhere.text);
      assert.ok(everywhere.body.items.length >= 2, 'cluster-wide list of a namespaced kind');
      const page = await h.get(`${collection}?limit=1`);
      assert.equal(page.body.items.length, 1, 'limit');
      assert.ok(page.body.metadata.continue, 'continue token');
      const rest = await h.get(
        `${collection}?limit=1&continue=${encodeURIComponent(page.body.metadata.continue)}`,
      );
      assert.deepEqual(
        rest.body.items.map((i: Obj) => i.metadata.name),
        [`${name}-b`],
        'next page',
      );
    });

    it('bumps generation for spec changes only, and refuses a stale update with Conflict', async () => {
      const labelled = await h.patch(item, 'application/merge-patch+json', {
        metadata: { labels: { extra: 'yes' } },
      });
      assert.equal(labelled.status, 200, labelled.text);
      assert.equal(labelled.body.metadata.generation, 1, 'labels do not bump generation');
      const changed = await h.patch(item, 'application/merge-patch+json', SAMPLES[kind.kind]!.specChange);
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.metadata.generation, 2, 'spec change bumps generation');
      const stale = await h.put(item, created);
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.body.reason, 'Conflict', 'reason');
      assert.match(stale.body.message, /the object has been modified/, 'message');
      const fresh = await h.put(item, {
        ...changed.body,
        metadata: { ...changed.body.metadata, labels: { suite: 'conf', role: 'a' } },
      });
      assert.equal(fresh.status, 200, fresh.text);
      assert.deepEqual(fresh.body.metadata.labels, { suite: 'conf', role: 'a' }, 'PUT replaced labels');
    });

    it('applies JSON patches, with test ops as preconditions', async () => {
      const ok = await h.patch(item, 'application/json-patch+json', [
        { op: 'test', path: '/metadata/labels/role', value: 'a' },
        { op: 'add', path: '/metadata/annotations', value: { note: 'json-patch' } },
      ]);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.metadata.annotations.note, 'json-patch', 'annotation added');
      const failed = await h.patch(item, 'application/json-patch+json', [
        { op: 'test', path: '/metadata/labels/role', value: 'z' },
      ]);
      assert.equal(failed.status, 422, failed.text);
    });

    it('server-side applies with field ownership', async () => {
      const applyPath = `${item}?fieldManager=conformance`;
      const config = {
        apiVersion: created.apiVersion,
        kind: kind.kind,
        metadata: { name, labels: { applied: 'yes' } },
      };
      const reply = await h.patch(applyPath, 'application/apply-patch+yaml', config);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.metadata.labels.applied, 'yes', 'applied label');
      assert.equal(reply.body.metadata.labels.role, 'a', 'labels owned by others are kept');
      assert.ok(reply.body.spec, 'spec untouched by an apply that does not mention it');
      const managers = reply.body.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`);
      assert.ok(managers.includes('conformance/Apply'), `managedFields: ${managers}`);
      const created2 = await h.patch(
        `${collection}/${name}-ssa?fieldManager=conformance`,
        'application/apply-patch+yaml',
        { ...object, metadata: { name: `${name}-ssa` } },
      );
      assert.equal(created2.status, 201, created2.text);
    });

    it('serves the status subresource apart from the main resource', async () => {
      const current = (await h.get(item)).body;
      const status = await h.put(`${item}/status`, {
        ...current,
        status: { observedGeneration: 7 },
        spec: { ...current.spec, ignored: true },
      });
      assert.equal(status.status, 200, status.text);
      assert.equal(status.body.status.observedGeneration, 7, 'status written');
      assert.deepEqual(status.body.spec, current.spec, 'spec ignored on /status');
      assert.equal(
        status.body.metadata.generation,
        current.metadata.generation,
        'status does not bump generation',
      );
      const main = await h.patch(item, 'application/merge-patch+json', { status: { observedGeneration: 9 } });
      assert.equal(main.status, 200, main.text);
      assert.equal(main.body.status.observedGeneration, 7, 'status ignored on the main resource');
      const got = await h.get(`${item}/status`);
      assert.equal(got.status, 200, got.text);
    });

    it('renders Tables with the printer columns', async () => {
      const reply = await h.get(collection, TABLE_ACCEPT);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.kind, 'Table', 'a Table');
      const columns = reply.body.columnDefinitions.map((c: Obj) => c.name);
      assert.deepEqual(columns, ['Name', ...kind.printerColumns.map((c) => c.name)], 'columns');
      assert.match(reply.body.metadata.resourceVersion, /^\d+$/, 'table resourceVersion');
      assert.equal(reply.body.rows[0].cells[0], name, 'name cell');
      assert.equal(reply.body.rows[0].object.kind, 'PartialObjectMetadata', 'row object');
      const one = await h.get(item, TABLE_ACCEPT);
      assert.equal(one.body.rows.length, 1, 'single-row table for a get');
    });

    it('watches from a resourceVersion and from 0', async () => {
      const list = await h.get(collection);
      const watch = await h.watch(
        `${collection}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      );
      const fromZero = await h.watch(
        `${collection}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3D${name}`,
      );
      await h.patch(item, 'application/merge-patch+json', { metadata: { labels: { watched: 'yes' } } });
      await h.delete(`${collection}/${name}-b`);
      await watch.waitFor(2);
      await fromZero.waitFor(2);
      watch.close();
      fromZero.close();
      assert.deepEqual(
        watch.events.map((e) => `${e.type} ${e.object.metadata.name}`),
        [`MODIFIED ${name}`, `DELETED ${name}-b`],
        'replay after the list',
      );
      assert.deepEqual(
        fromZero.events.map((e) => e.type),
        ['ADDED', 'MODIFIED'],
        'RV=0: current state first',
      );
    });

    if (serverFinalizer !== undefined) {
      it('deletes only once its finalizer is released', async () => {
        const reply = await h.delete(item, { propagationPolicy: 'Background' });
        assert.equal(reply.status, 200, reply.text);
        assert.match(
          reply.body.metadata.deletionTimestamp ?? '',
          /Z$/,
          'Terminating: the object, not a Status',
        );
        assert.equal((await h.get(item)).status, 200, 'still there while the finalizer holds it');
        await release(item);
        const gone = await h.get(item);
        assert.equal(gone.status, 404, gone.text);
      });
      return;
    }

    it('deletes, answering with a Status, then 404', async () => {
      const reply = await h.delete(item, { propagationPolicy: 'Background' });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.status, 'Success', 'Status Success');
      assert.equal(reply.body.details.uid, created.metadata.uid, 'uid in details');
      const gone = await h.get(item);
      assert.equal(gone.status, 404, gone.text);
      assert.equal(gone.body.message, `${kind.plural}.${kind.group} "${name}" not found`, 'message');
    });
  });
}
