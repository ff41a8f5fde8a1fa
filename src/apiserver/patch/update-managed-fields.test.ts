// Proves non-apply writes record Update entries as kube-apiserver does, including client-written managedFields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyConfiguration } from './apply.ts';
import { MAX_UPDATE_MANAGERS } from './cap-managers.ts';
import { storedManagedFields } from './managed-fields.ts';
import { entryOf, managedEntries, managers, ownedBy } from './testing/managed-entries.ts';
import { API_VERSION, NETWORK_SCHEMA, network } from './testing/network-schema.ts';
import { type UpdateInput, updateManagedFields } from './update-managed-fields.ts';

type JsonObject = Readonly<Record<string, unknown>>;

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:05:00Z';

function update(
  old: JsonObject | undefined,
  next: JsonObject,
  manager: string,
  extra: Partial<UpdateInput> = {},
): JsonObject {
  return updateManagedFields({
    old,
    next,
    manager,
    schema: NETWORK_SCHEMA,
    apiVersion: API_VERSION,
    now: T1,
    ignoredFields: [['status']],
    ...extra,
  });
}

function withSpec(object: JsonObject, spec: Record<string, unknown>): JsonObject {
  return { ...object, spec };
}

function createdByApply(spec: Record<string, unknown>): JsonObject {
  const result = applyConfiguration({
    live: undefined,
    config: network(spec),
    manager: 'kubectl',
    force: false,
    schema: NETWORK_SCHEMA,
    apiVersion: API_VERSION,
    now: T0,
    ignoredFields: [['status']],
  });
  assert.ok(result.ok, 'created');
  return result.object;
}

describe('updateManagedFields', () => {
  test('a create owns every field it sets, new maps and list items marked with "."', () => {
    const next = network(
      { mtu: 1500, selector: { env: 'prod' }, interfaces: [{ name: 'eth0' }] },
      { labels: { env: 'prod' }, uid: 'u-1', resourceVersion: '1', creationTimestamp: T0 },
    );
    const created = update(undefined, next, 'kubectl-create', { now: T0 });
    assert.deepEqual(
      storedManagedFields(created),
      [
        {
          manager: 'kubectl-create',
          operation: 'Update',
          apiVersion: API_VERSION,
          time: T0,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:labels': { '.': {}, 'f:env': {} } },
            'f:spec': {
              '.': {},
              'f:interfaces': { '.': {}, 'k:{"name":"eth0"}': { '.': {}, 'f:name': {} } },
              'f:mtu': {},
              'f:selector': { '.': {}, 'f:env': {} },
            },
          },
        },
      ],
      'server-set metadata is never managed',
    );
  });

  test('an update after an apply takes the fields it changes', () => {
    const created = createdByApply({ mtu: 1500, description: 'prod' });
    const edited = update(created, withSpec(created, { mtu: 1400, description: 'prod' }), 'kubectl-edit');
    assert.deepEqual(ownedBy(edited, 'kubectl'), ['.spec.description'], 'the applier lost mtu');
    assert.deepEqual(ownedBy(edited, 'kubectl-edit', 'Update'), ['.spec.mtu'], 'the editor owns it');
    assert.equal(entryOf(edited, 'kubectl-edit', 'Update').time, T1, 'stamped now');
  });

  test('a removed field leaves every set, and a write that changes nothing adds no entry', () => {
    const created = createdByApply({ mtu: 1500, description: 'prod' });
    const edited = update(created, withSpec(created, { mtu: 1500 }), 'kubectl-edit');
    assert.deepEqual(ownedBy(edited, 'kubectl'), ['.spec.mtu'], 'description is no longer kubectl’s');
    assert.deepEqual(managers(edited), ['kubectl/Apply'], 'removing is not owning');
  });

  test('the same manager’s entry accumulates its changes', () => {
    const created = createdByApply({ mtu: 1500 });
    const once = update(created, withSpec(created, { mtu: 1500, description: 'a' }), 'operator', { now: T0 });
    const twice = update(
      once,
      withSpec(once, { mtu: 1500, description: 'a', selector: { env: 'x' } }),
      'operator',
    );
    assert.deepEqual(
      ownedBy(twice, 'operator', 'Update'),
      ['.spec.description', '.spec.selector', '.spec.selector.env'],
      'both writes',
    );
    assert.equal(entryOf(twice, 'operator', 'Update').time, T1, 'the latest time');
  });

  test('managedFields a client replaces with a JSON patch are kept', () => {
    const created = update(undefined, network({ mtu: 1500 }), 'kubectl-client-side-apply', { now: T0 });
    const migrated = [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: API_VERSION,
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:mtu': {} } },
      },
    ];
    const next = { ...created, metadata: { ...(created.metadata as object), managedFields: migrated } };
    const result = update(created, next, 'kubectl');
    assert.deepEqual(storedManagedFields(result), migrated, 'exactly the client’s entries');
  });

  test('an empty managedFields list resets tracking', () => {
    const created = createdByApply({ mtu: 1500 });
    for (const reset of [[], [{}]]) {
      const next = { ...created, metadata: { ...(created.metadata as object), managedFields: reset } };
      const result = update(created, withSpec(next, { mtu: 1400 }), 'kubectl-edit');
      assert.equal(storedManagedFields(result), undefined, `${JSON.stringify(reset)} leaves nothing tracked`);
    }
  });

  test('an existing untracked object stays untracked until it is applied', () => {
    const untracked = network({ mtu: 1500 });
    const result = update(untracked, withSpec(untracked, { mtu: 1400 }), 'kubectl-edit');
    assert.deepEqual(result, withSpec(untracked, { mtu: 1400 }), 'no managedFields added');
  });

  test('malformed client entries fall back to the stored ones', () => {
    const created = createdByApply({ mtu: 1500 });
    const bad = [
      { manager: 'x', operation: 'Patch', apiVersion: API_VERSION, fieldsType: 'FieldsV1', fieldsV1: {} },
    ];
    const next = { ...created, metadata: { ...(created.metadata as object), managedFields: bad } };
    const result = update(created, next, 'kubectl-edit');
    assert.deepEqual(storedManagedFields(result), storedManagedFields(created), 'the stored entries survive');
  });

  test('the status subresource records its own entry and ignores client managedFields', () => {
    const created = createdByApply({ mtu: 1500 });
    const next = {
      ...created,
      metadata: { ...(created.metadata as object), managedFields: [] },
      status: { phase: 'Ready' },
    };
    const result = update(created, next, 'network-services-operator', {
      subresource: 'status',
      ignoredFields: [['spec']],
    });
    assert.deepEqual(
      managedEntries(result).find((e) => e.manager === 'network-services-operator'),
      {
        manager: 'network-services-operator',
        operation: 'Update',
        apiVersion: API_VERSION,
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { '.': {}, 'f:phase': {} } },
        subresource: 'status',
      },
      'a status entry',
    );
    assert.deepEqual(ownedBy(result, 'kubectl'), ['.spec.mtu'], 'the reset sent to a subresource is ignored');
  });

  test('status written through the main resource is never managed', () => {
    const created = createdByApply({ mtu: 1500 });
    const result = update(created, { ...created, status: { phase: 'Ready' } }, 'kubectl-edit');
    assert.deepEqual(managers(result), ['kubectl/Apply'], 'no entry for an ignored change');
  });

  test(`keeps at most ${MAX_UPDATE_MANAGERS} Update entries, merging the oldest`, () => {
    let object = createdByApply({});
    for (let i = 0; i <= MAX_UPDATE_MANAGERS; i++) {
      const selector = {
        ...((object.spec as Record<string, Record<string, unknown>>).selector ?? {}),
        [`k${i}`]: 'v',
      };
      object = update(object, withSpec(object, { selector }), `writer-${i}`, {
        now: `2024-05-01T10:${String(i).padStart(2, '0')}:00Z`,
      });
    }
    const updates = managedEntries(object).filter((e) => e.operation === 'Update');
    assert.equal(updates.length, MAX_UPDATE_MANAGERS, 'capped');
    assert.deepEqual(
      ownedBy(object, 'ancient-changes', 'Update'),
      ['.spec.selector', '.spec.selector.k0', '.spec.selector.k1'],
      'the two oldest merged',
    );
    assert.equal(
      entryOf(object, 'ancient-changes', 'Update').time,
      '2024-05-01T10:01:00Z',
      'with the newer time',
    );
  });
});
