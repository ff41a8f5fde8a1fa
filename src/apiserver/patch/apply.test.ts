// Proves server-side apply follows kube-apiserver's field manager: ownership, conflicts, force, pruning, kubectl's flows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goJson } from '../schema/go-format.ts';
import { type ApplyResult, applyConfiguration } from './apply.ts';
import { conflictMessage } from './conflict.ts';
import { LAST_APPLIED_ANNOTATION } from './last-applied.ts';
import { entryOf, managedEntries, managers, ownedBy } from './testing/managed-entries.ts';
import { API_VERSION, NETWORK_SCHEMA, network } from './testing/network-schema.ts';
import { updateManagedFields } from './update-managed-fields.ts';

type JsonObject = Readonly<Record<string, unknown>>;

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:05:00Z';
const T2 = '2024-05-01T10:10:00Z';

function apply(
  live: JsonObject | undefined,
  manager: string,
  config: JsonObject,
  options: { force?: boolean; now?: string; ignoredFields?: string[][] } = {},
): ApplyResult {
  return applyConfiguration({
    live,
    config,
    manager,
    force: options.force ?? false,
    schema: NETWORK_SCHEMA,
    apiVersion: API_VERSION,
    now: options.now ?? T0,
    ignoredFields: options.ignoredFields ?? [['status']],
  });
}

function applied(result: ApplyResult): JsonObject {
  assert.ok(result.ok, `the apply succeeds: ${JSON.stringify(result)}`);
  return result.object;
}

function spec(object: JsonObject): unknown {
  return object.spec;
}

describe('applyConfiguration', () => {
  test('creates the object and records the configuration as the applier’s fields', () => {
    const config = network(
      { mtu: 1500, selector: { env: 'prod' }, interfaces: [{ name: 'eth0', address: '10.0.0.1' }] },
      { labels: { env: 'prod' } },
    );
    const object = applied(apply(undefined, 'kubectl', config));
    const { managedFields, ...metadata } = object.metadata as Record<string, unknown>;
    assert.deepEqual({ ...object, metadata }, config, 'the object is the configuration');
    assert.deepEqual(
      managedFields,
      [
        {
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: API_VERSION,
          time: T0,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { 'f:env': {} } },
            'f:spec': {
              'f:interfaces': { 'k:{"name":"eth0"}': { '.': {}, 'f:address': {}, 'f:name': {} } },
              'f:mtu': {},
              'f:selector': { 'f:env': {} },
            },
          },
        },
      ],
      'one Apply entry; name, namespace, apiVersion and kind are never managed',
    );
  });

  test('two managers applying the same value share the field', () => {
    const first = applied(apply(undefined, 'kubectl', network({ mtu: 1500 })));
    const second = applied(apply(first, 'network-services-operator', network({ mtu: 1500 }), { now: T1 }));
    assert.deepEqual(ownedBy(second, 'kubectl'), ['.spec.mtu'], 'kubectl keeps it');
    assert.deepEqual(ownedBy(second, 'network-services-operator'), ['.spec.mtu'], 'the operator owns it too');
    assert.equal(
      entryOf(second, 'network-services-operator').time,
      undefined,
      'an apply that changes nothing is recorded without a time, as kube-apiserver does',
    );
  });

  test('a different value owned by another manager is a conflict unless forced', () => {
    const first = applied(apply(undefined, 'kubectl', network({ mtu: 1500, description: 'prod' })));
    const refused = apply(first, 'network-services-operator', network({ mtu: 9000 }), { now: T1 });
    assert.ok(!refused.ok && refused.reason === 'Conflict', 'refused with conflicts');
    assert.deepEqual(
      refused.conflicts,
      [{ manager: 'kubectl', operation: 'Apply', apiVersion: API_VERSION, field: '.spec.mtu' }],
      'mtu is kubectl’s',
    );
    assert.equal(
      conflictMessage(refused.conflicts),
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.mtu',
      'kube’s text',
    );

    const forced = applied(
      apply(first, 'network-services-operator', network({ mtu: 9000 }), { force: true, now: T1 }),
    );
    assert.deepEqual(spec(forced), { mtu: 9000, description: 'prod' }, 'the forced value wins');
    assert.deepEqual(ownedBy(forced, 'kubectl'), ['.spec.description'], 'kubectl lost mtu');
    assert.deepEqual(ownedBy(forced, 'network-services-operator'), ['.spec.mtu'], 'the operator took it');
    assert.equal(entryOf(forced, 'network-services-operator').time, T1, 'the change is stamped');
  });

  test('a conflict with an Update owner names its apiVersion', () => {
    const created = applied(apply(undefined, 'kubectl', network({ mtu: 1500 })));
    const edited = updateManagedFields({
      old: created,
      next: { ...created, spec: { mtu: 1460 } },
      manager: 'network-services-operator',
      schema: NETWORK_SCHEMA,
      apiVersion: API_VERSION,
      now: T1,
      ignoredFields: [['status']],
    });
    const refused = apply(edited, 'kubectl', network({ mtu: 1500 }), { now: T2 });
    assert.ok(!refused.ok && refused.reason === 'Conflict', 'refused');
    assert.equal(
      conflictMessage(refused.conflicts),
      'Apply failed with 1 conflict: conflict with "network-services-operator" using networking.datumapis.com/v1alpha1: .spec.mtu',
      'the message kubectl prints',
    );
  });

  test('a field the applier alone owned and no longer applies is removed', () => {
    const first = applied(
      apply(undefined, 'kubectl', network({ mtu: 1500, description: 'prod', selector: { env: 'prod' } })),
    );
    const second = applied(apply(first, 'kubectl', network({ mtu: 1500 }), { now: T1 }));
    assert.deepEqual(spec(second), { mtu: 1500 }, 'description and the selector entry are gone');
    assert.deepEqual(ownedBy(second, 'kubectl'), ['.spec.mtu'], 'kubectl owns what it applied');
    assert.equal(entryOf(second, 'kubectl').time, T1, 'the removal is a change');
  });

  test('a field still owned by someone else is only disowned', () => {
    const first = applied(apply(undefined, 'kubectl', network({ mtu: 1500, description: 'prod' })));
    const shared = applied(
      apply(first, 'network-services-operator', network({ description: 'prod' }), { now: T1 }),
    );
    const dropped = applied(apply(shared, 'kubectl', network({ mtu: 1500 }), { now: T2 }));
    assert.deepEqual(spec(dropped), { mtu: 1500, description: 'prod' }, 'description stays');
    assert.deepEqual(ownedBy(dropped, 'kubectl'), ['.spec.mtu'], 'kubectl no longer owns it');
    assert.deepEqual(
      ownedBy(dropped, 'network-services-operator'),
      ['.spec.description'],
      'the operator still does',
    );
  });

  test('kubectl’s last-applied follow-up leaves the spec alone', () => {
    const manifest = network({ mtu: 1500, interfaces: [{ name: 'eth0' }] });
    const first = applied(apply(undefined, 'kubectl', manifest));
    const followUp = {
      apiVersion: API_VERSION,
      kind: 'Network',
      metadata: {
        name: 'production-network',
        namespace: 'default',
        annotations: { [LAST_APPLIED_ANNOTATION]: `${goJson(manifest)}\n` },
      },
    };
    const second = applied(apply(first, 'kubectl-last-applied', followUp, { now: T1 }));
    const third = applied(apply(second, 'kubectl-last-applied', followUp, { now: T2 }));
    for (const [name, object] of [
      ['first', second],
      ['second', third],
    ] as const) {
      assert.deepEqual(spec(object), spec(first), `the ${name} follow-up keeps the spec`);
      assert.deepEqual(
        ownedBy(object, 'kubectl'),
        ['.spec.interfaces[name="eth0"]', '.spec.interfaces[name="eth0"].name', '.spec.mtu'],
        'kubectl keeps its fields',
      );
      assert.deepEqual(
        ownedBy(object, 'kubectl-last-applied'),
        ['.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration'],
        'the follow-up owns only the annotation',
      );
    }
  });

  test('list-map items merge by key and each applier owns its items', () => {
    const first = applied(
      apply(undefined, 'kubectl', network({ interfaces: [{ name: 'eth0', address: '10.0.0.1' }] })),
    );
    const second = applied(
      apply(
        first,
        'network-services-operator',
        network({ interfaces: [{ name: 'eth1', address: '10.0.1.1' }] }),
        { now: T1 },
      ),
    );
    assert.deepEqual(
      spec(second),
      {
        interfaces: [
          { name: 'eth0', address: '10.0.0.1' },
          { name: 'eth1', address: '10.0.1.1' },
        ],
      },
      'eth1 is added next to eth0',
    );
    const conflict = apply(
      second,
      'network-services-operator',
      network({ interfaces: [{ name: 'eth0', address: '10.9.9.9' }] }),
    );
    assert.ok(!conflict.ok && conflict.reason === 'Conflict', 'refused');
    assert.deepEqual(
      conflict.conflicts.map((c) => c.field),
      ['.spec.interfaces[name="eth0"].address'],
      'only the address conflicts',
    );

    const { spec: _none, ...withoutSpec } = network({});
    const third = applied(apply(second, 'kubectl', withoutSpec, { now: T2 }));
    assert.deepEqual(
      spec(third),
      { interfaces: [{ name: 'eth1', address: '10.0.1.1' }] },
      'kubectl’s item is pruned, the other stays',
    );
    assert.deepEqual(managers(third), ['network-services-operator/Apply'], 'kubectl owns nothing any more');
  });

  test('set items are merged and pruned one by one', () => {
    const first = applied(apply(undefined, 'kubectl', network({ tags: ['a', 'b'] })));
    const second = applied(
      apply(first, 'network-services-operator', network({ tags: ['b', 'c'] }), { now: T1 }),
    );
    assert.deepEqual(spec(second), { tags: ['a', 'b', 'c'] }, 'union, live order first');
    assert.deepEqual(ownedBy(second, 'kubectl'), ['.spec.tags[="a"]', '.spec.tags[="b"]'], 'v: members');
    const third = applied(apply(second, 'kubectl', network({ tags: ['a'] }), { now: T2 }));
    assert.deepEqual(spec(third), { tags: ['a', 'b', 'c'] }, 'b is still the operator’s');
    const fourth = applied(apply(third, 'network-services-operator', network({ tags: ['c'] }), { now: T2 }));
    assert.deepEqual(spec(fourth), { tags: ['a', 'c'] }, 'b has no owner left and goes');
  });

  test('atomic lists are owned and replaced as a whole', () => {
    const first = applied(apply(undefined, 'kubectl', network({ dnsServers: ['1.1.1.1', '8.8.8.8'] })));
    assert.deepEqual(ownedBy(first, 'kubectl'), ['.spec.dnsServers'], 'one leaf');
    const refused = apply(first, 'network-services-operator', network({ dnsServers: ['9.9.9.9'] }));
    assert.ok(!refused.ok && refused.reason === 'Conflict', 'refused');
    assert.deepEqual(
      refused.conflicts.map((c) => c.field),
      ['.spec.dnsServers'],
      'the whole list conflicts',
    );
    const forced = applied(
      apply(first, 'network-services-operator', network({ dnsServers: ['9.9.9.9'] }), { force: true }),
    );
    assert.deepEqual(spec(forced), { dnsServers: ['9.9.9.9'] }, 'replaced, not merged');
  });

  test('reports several conflicts grouped by manager', () => {
    const first = applied(apply(undefined, 'kubectl', network({ mtu: 1500, description: 'prod' })));
    const edited = updateManagedFields({
      old: first,
      next: { ...first, spec: { ...(first.spec as object), selector: { env: 'prod' } } },
      manager: 'network-services-operator',
      schema: NETWORK_SCHEMA,
      apiVersion: API_VERSION,
      now: T1,
      ignoredFields: [['status']],
    });
    const refused = apply(
      edited,
      'third',
      network({ mtu: 9000, description: 'x', selector: { env: 'dev' } }),
    );
    assert.ok(!refused.ok && refused.reason === 'Conflict', 'refused');
    assert.equal(
      conflictMessage(refused.conflicts),
      [
        'Apply failed with 3 conflicts: conflicts with "kubectl":',
        '- .spec.description',
        '- .spec.mtu',
        'conflicts with "network-services-operator" using networking.datumapis.com/v1alpha1:',
        '- .spec.selector.env',
      ].join('\n'),
      'kube’s multi-conflict text',
    );
  });

  test('ignored fields are merged but never managed', () => {
    const config = { ...network({ mtu: 1500 }), status: { phase: 'Ready' } };
    const object = applied(apply(undefined, 'kubectl', config));
    assert.deepEqual(ownedBy(object, 'kubectl'), ['.spec.mtu'], 'status is not kubectl’s');
  });

  test('an untracked object is first attributed to before-first-apply', () => {
    const untracked = network({ mtu: 1500, description: 'prod' });
    const refused = apply(untracked, 'kubectl', network({ mtu: 9000 }));
    assert.ok(!refused.ok && refused.reason === 'Conflict', 'refused');
    assert.equal(
      conflictMessage(refused.conflicts),
      'Apply failed with 1 conflict: conflict with "before-first-apply" using networking.datumapis.com/v1alpha1: .spec.mtu',
      'the pseudo-manager owns what was there',
    );
    const agreed = applied(apply(untracked, 'kubectl', network({ mtu: 1500 })));
    assert.deepEqual(managers(agreed), ['kubectl/Apply', 'before-first-apply/Update'], 'both are recorded');
    assert.deepEqual(
      ownedBy(agreed, 'before-first-apply', 'Update'),
      ['.spec', '.spec.description', '.spec.mtu'],
      'everything that existed',
    );
  });

  test('kubectl --server-side takes over fields it applied client-side', () => {
    const manifest = network({ mtu: 1500, description: 'prod' });
    const annotated = {
      ...manifest,
      metadata: {
        ...(manifest.metadata as object),
        annotations: { [LAST_APPLIED_ANNOTATION]: `${goJson(manifest)}\n` },
      },
    };
    const created = updateManagedFields({
      old: undefined,
      next: annotated,
      manager: 'kubectl-client-side-apply',
      schema: NETWORK_SCHEMA,
      apiVersion: API_VERSION,
      now: T0,
      ignoredFields: [['status']],
    });
    const changed = network({ mtu: 1400, description: 'prod' });
    const object = applied(apply(created, 'kubectl', changed, { now: T1 }));
    assert.deepEqual(spec(object), { mtu: 1400, description: 'prod' }, 'the change is applied');
    assert.deepEqual(
      ownedBy(object, 'kubectl'),
      ['.spec.description', '.spec.mtu'],
      'kubectl owns its fields',
    );
    assert.ok(
      !ownedBy(object, 'kubectl-client-side-apply', 'Update').includes('.spec.mtu'),
      'the client-side manager lost mtu',
    );
    const annotations = (object.metadata as Record<string, Record<string, unknown>>).annotations!;
    assert.equal(
      annotations[LAST_APPLIED_ANNOTATION],
      `${goJson(changed)}\n`,
      'the annotation follows the applied configuration',
    );

    const otherManager = apply(created, 'someone-else', changed, { now: T1 });
    assert.ok(
      !otherManager.ok && otherManager.reason === 'Conflict',
      'only the kubectl manager gets this leniency',
    );
  });

  test('refuses managedFields in the configuration and unnamed or repeated list items', () => {
    const withManaged = network({ mtu: 1 }, { managedFields: [] });
    assert.deepEqual(
      apply(undefined, 'kubectl', withManaged),
      { ok: false, reason: 'BadRequest', message: 'metadata.managedFields must be nil' },
      '400',
    );
    const repeated = network({ interfaces: [{ name: 'eth0' }, { name: 'eth0', mtu: 9000 }] });
    assert.deepEqual(
      apply(undefined, 'kubectl', repeated),
      {
        ok: false,
        reason: 'Invalid',
        message:
          'failed to create typed patch object (default/production-network; networking.datumapis.com/v1alpha1, Kind=Network): .spec.interfaces: duplicate entries for key [name="eth0"]',
      },
      'kube-apiserver’s text for a repeated key, as a 422 where kube answers 500',
    );
    const unnamed = network({ interfaces: [{ address: '10.0.0.1' }] });
    const refused = apply(undefined, 'kubectl', unnamed);
    assert.ok(!refused.ok && refused.reason === 'Invalid', 'refused');
    assert.ok(
      refused.message.endsWith(
        '.spec.interfaces: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
      ),
      refused.message,
    );
  });

  test('an identical re-apply keeps the entry and its time', () => {
    const config = network({ mtu: 1500 });
    const first = applied(apply(undefined, 'kubectl', config));
    const again = applied(apply(first, 'kubectl', config, { now: T2 }));
    assert.deepEqual(again, first, 'nothing changes, not even the time');
    assert.equal(managedEntries(again).length, 1, 'one entry');
  });
});
