// Proves invariants of apply over random sequences of applies and updates by several managers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isJsonObject } from '../schema/json-schema.ts';
import { deepEqual } from '../schema/json-value.ts';
import { applyConfiguration } from './apply.ts';
import { difference, EMPTY_FIELD_SET, type FieldSet, isEmptySet, setPaths, union } from './field-set.ts';
import { resolveType, rootType, type TypeRef } from './field-type.ts';
import { listElement } from './list-element.ts';
import { decodeManagedFields, storedManagedFields } from './managed-fields.ts';
import { applyMergePatch } from './merge-patch.ts';
import { compareElements, type FieldPath, pathString } from './path-element.ts';
import { API_VERSION, NETWORK_SCHEMA, network } from './testing/network-schema.ts';
import { toFieldSet } from './to-field-set.ts';
import { withoutUnmanaged } from './unmanaged-fields.ts';
import { updateManagedFields } from './update-managed-fields.ts';

type JsonObject = Readonly<Record<string, unknown>>;

const TYPE = rootType(NETWORK_SCHEMA);

const specArbitrary = fc.record(
  {
    mtu: fc.constantFrom(1400, 1500, 9000),
    description: fc.constantFrom('a', 'b'),
    selector: fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.constantFrom('1', '2')),
    dnsServers: fc.array(fc.constantFrom('1.1.1.1', '8.8.8.8'), { maxLength: 2 }),
    tags: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
    interfaces: fc.uniqueArray(
      fc.record(
        {
          name: fc.constantFrom('eth0', 'eth1', 'eth2'),
          address: fc.constantFrom('10.0.0.1', '10.0.0.2'),
          mtu: fc.constantFrom(1400, 1500),
        },
        { requiredKeys: ['name'], noNullPrototype: true },
      ),
      { maxLength: 3, selector: (i) => i.name },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('apply' as const),
        manager: fc.constantFrom('kubectl', 'operator', 'ci'),
        spec: specArbitrary,
        labels: fc.dictionary(fc.constantFrom('env', 'team'), fc.constantFrom('a', 'b')),
        force: fc.boolean(),
      },
      { noNullPrototype: true },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant('update' as const),
        manager: fc.constantFrom('kubectl-edit', 'controller'),
        spec: specArbitrary,
      },
      { noNullPrototype: true },
    ),
  },
);

function ownedUnion(object: JsonObject): FieldSet {
  const decoded = decodeManagedFields(storedManagedFields(object));
  assert.ok(decoded.ok, 'stored managedFields always decode');
  let owned = EMPTY_FIELD_SET;
  for (const entry of decoded.managed.values()) owned = union(owned, entry.set);
  return owned;
}

function withoutManaged(object: JsonObject): JsonObject {
  const { managedFields: _m, ...metadata } = object.metadata as Record<string, unknown>;
  return { ...object, metadata };
}

interface Located {
  readonly value: unknown;
  readonly ref: TypeRef;
}

// The value a field path names and its type, or undefined when the object does not hold it.
function locate(value: unknown, path: FieldPath, ref: TypeRef): Located | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return { value, ref };
  const type = resolveType(ref, value);
  if (
    head.kind === 'field' &&
    type.kind === 'map' &&
    isJsonObject(value) &&
    Object.hasOwn(value, head.name)
  ) {
    return locate(value[head.name], rest, type.map.fields[head.name] ?? type.map.element);
  }
  if (type.kind === 'list' && Array.isArray(value)) {
    const item = value.find((i) => {
      const named = listElement(type.list, i);
      return named.ok && compareElements(named.element, head) === 0;
    });
    return item === undefined ? undefined : locate(item, rest, type.list.element);
  }
  return undefined;
}

// A leaf must hold the applied value; a granular map, set or list-map the applier names may hold more.
function holdsApplied(object: JsonObject, config: JsonObject, path: FieldPath): boolean {
  const applied = locate(config, path, TYPE)!;
  const held = locate(object, path, TYPE);
  if (held === undefined) return false;
  const type = resolveType(applied.ref, applied.value);
  const leaf =
    type.kind === 'scalar' ||
    (type.kind === 'list' && !type.list.associative) ||
    (type.kind === 'map' && type.map.atomic);
  return leaf ? deepEqual(held.value, applied.value) : resolveType(held.ref, held.value).kind === type.kind;
}

describe('applyConfiguration invariants', () => {
  test('results hold the configuration, every owned field exists, and nothing new is unowned', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        let live: JsonObject | undefined;
        for (const [i, s] of steps.entries()) {
          const now = `2024-05-01T10:${String(i).padStart(2, '0')}:00Z`;
          if (s.kind === 'update') {
            if (live === undefined) continue;
            const next = applyMergePatch(live, { spec: s.spec }) as JsonObject;
            live = updateManagedFields({
              old: live,
              next,
              manager: s.manager,
              schema: NETWORK_SCHEMA,
              apiVersion: API_VERSION,
              now,
              ignoredFields: [['status']],
            });
            continue;
          }
          const config = network(s.spec, Object.keys(s.labels).length > 0 ? { labels: s.labels } : {});
          const configFields = toFieldSet(config, TYPE);
          const inputs = JSON.stringify([live, config]);
          const result = applyConfiguration({
            live,
            config,
            manager: s.manager,
            force: s.force,
            schema: NETWORK_SCHEMA,
            apiVersion: API_VERSION,
            now,
            ignoredFields: [['status']],
          });
          assert.equal(JSON.stringify([live, config]), inputs, 'apply never mutates its inputs');
          if (!result.ok) {
            assert.ok(
              result.reason === 'Conflict' && !s.force,
              `only an unforced apply is refused: ${JSON.stringify(result)}`,
            );
            const applied = new Set(setPaths(configFields).map(pathString));
            for (const c of result.conflicts)
              assert.ok(applied.has(c.field), `${c.field} is a field the configuration sets`);
            continue;
          }
          const object = result.object;
          for (const path of setPaths(configFields)) {
            assert.ok(holdsApplied(object, config, path), `${pathString(path)} holds the applied value`);
          }
          const owned = ownedUnion(object);
          for (const path of setPaths(owned)) {
            assert.ok(locate(object, path, TYPE) !== undefined, `owned ${pathString(path)} exists`);
          }
          const before = live === undefined ? EMPTY_FIELD_SET : toFieldSet(withoutManaged(live), TYPE);
          const added = withoutUnmanaged(difference(toFieldSet(withoutManaged(object), TYPE), before));
          assert.ok(
            isEmptySet(difference(added, owned)),
            `new fields have owners: ${setPaths(difference(added, owned)).map(pathString)}`,
          );
          live = object;
        }
      }),
      { numRuns: 300 },
    );
  });
});
