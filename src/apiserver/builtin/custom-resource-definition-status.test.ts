// Proves CRD status converges as apiextensions' naming and establishing controllers make it: first come, first served names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CustomResourceDefinition,
  customResourceDefinitionStatus,
} from './custom-resource-definition.ts';

type Crd = CustomResourceDefinition;
type Names = Crd['spec']['names'];

const T0 = new Date('2024-01-01T00:00:00.250Z');
const T1 = new Date('2024-01-01T00:05:00Z');

function crd(group: string, names: Partial<Names> & Pick<Names, 'plural' | 'kind'>): Crd {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      names: { singular: names.kind.toLowerCase(), listKind: `${names.kind}List`, ...names },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
}

/** The CRD with the status the controller would write. */
const settled = (c: Crd, others: readonly Crd[] = [], now = T0): Crd => ({
  ...c,
  status: customResourceDefinitionStatus(c, others, now),
});

const condition = (c: Crd, type: string) => c.status?.conditions?.find((x) => x.type === type);

describe('CustomResourceDefinition status', () => {
  test('a CRD alone has its names accepted and is established', () => {
    const networks = settled(
      crd('example.com', { plural: 'networks', kind: 'Network', shortNames: ['net'] }),
    );
    assert.deepEqual(
      networks.status,
      {
        conditions: [
          {
            type: 'NamesAccepted',
            status: 'True',
            lastTransitionTime: '2024-01-01T00:00:00Z',
            reason: 'NoConflicts',
            message: 'no conflicts found',
          },
          {
            type: 'Established',
            status: 'True',
            lastTransitionTime: '2024-01-01T00:00:00Z',
            reason: 'InitialNamesAccepted',
            message: 'the initial names have been accepted',
          },
        ],
        acceptedNames: {
          plural: 'networks',
          singular: 'network',
          shortNames: ['net'],
          kind: 'Network',
          listKind: 'NetworkList',
        },
        storedVersions: ['v1'],
      },
      'status',
    );
  });

  test('a plural another CRD of the group already serves is not accepted', () => {
    const gadgets = settled(
      crd('example.com', { plural: 'gadgets', kind: 'Gadget', shortNames: ['networks'] }),
    );
    const networks = settled(crd('example.com', { plural: 'networks', kind: 'Network' }), [gadgets]);
    assert.deepEqual(
      condition(networks, 'NamesAccepted'),
      {
        type: 'NamesAccepted',
        status: 'False',
        lastTransitionTime: '2024-01-01T00:00:00Z',
        reason: 'PluralConflict',
        message: '"networks" is already in use',
      },
      'NamesAccepted',
    );
    assert.deepEqual(
      condition(networks, 'Established'),
      {
        type: 'Established',
        status: 'False',
        lastTransitionTime: '2024-01-01T00:00:00Z',
        reason: 'NotAccepted',
        message: 'not all names are accepted',
      },
      'not established',
    );
    assert.equal(networks.status?.acceptedNames?.plural, '', 'the plural is not accepted');
    assert.equal(networks.status?.acceptedNames?.kind, 'Network', 'the free kind is');
  });

  test('a kind and short names in use conflict too; the last conflict found is reported', () => {
    const first = settled(
      crd('example.com', { plural: 'networks', kind: 'Network', shortNames: ['net', 'nw'] }),
    );
    const kindClash = settled(crd('example.com', { plural: 'nets', kind: 'Network' }), [first]);
    assert.equal(condition(kindClash, 'NamesAccepted')?.reason, 'ListKindConflict', 'kind, then listKind');
    assert.equal(
      condition(kindClash, 'NamesAccepted')?.message,
      '"NetworkList" is already in use',
      'the last',
    );
    assert.equal(kindClash.status?.acceptedNames?.kind, '', 'kind not accepted');
    const shortClash = settled(
      crd('example.com', { plural: 'subnets', kind: 'Subnet', shortNames: ['nw', 'net', 'sn'] }),
      [first],
    );
    assert.equal(condition(shortClash, 'NamesAccepted')?.reason, 'ShortNamesConflict', 'short names');
    assert.equal(
      condition(shortClash, 'NamesAccepted')?.message,
      '["nw" is already in use, "net" is already in use]',
      'aggregated',
    );
    assert.equal(shortClash.status?.acceptedNames?.shortNames, undefined, 'no short name accepted');
    assert.equal(shortClash.status?.acceptedNames?.plural, 'subnets', 'the rest accepted');
  });

  test('names in another group never conflict', () => {
    const first = settled(crd('example.com', { plural: 'networks', kind: 'Network' }));
    const other = settled(crd('example.org', { plural: 'networks', kind: 'Network' }), [first]);
    assert.equal(condition(other, 'NamesAccepted')?.status, 'True', 'accepted');
  });

  test('a CRD never conflicts with itself, and an unchanged status keeps its transition times', () => {
    const networks = settled(
      crd('example.com', { plural: 'networks', kind: 'Network', shortNames: ['net'] }),
    );
    const again = customResourceDefinitionStatus(networks, [networks], T1);
    assert.deepEqual(again, networks.status, 'identical, T0 kept');
  });

  test('once established, a CRD stays established when a later name change conflicts', () => {
    const gadgets = settled(crd('example.com', { plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'] }));
    const networks = settled(crd('example.com', { plural: 'networks', kind: 'Network' }), [gadgets]);
    networks.spec.names.shortNames = ['gd'];
    const later = settled(networks, [gadgets], T1);
    assert.equal(condition(later, 'NamesAccepted')?.status, 'False', 'short name in use');
    assert.equal(condition(later, 'NamesAccepted')?.lastTransitionTime, '2024-01-01T00:05:00Z', 'transition');
    assert.deepEqual(
      condition(later, 'Established'),
      condition(networks, 'Established'),
      'still established',
    );
    assert.equal(later.status?.acceptedNames?.shortNames, undefined, 'served names unchanged');
  });

  test('names freed by another CRD are accepted on the next computation', () => {
    const gadgets = settled(
      crd('example.com', { plural: 'gadgets', kind: 'Gadget', shortNames: ['networks'] }),
    );
    const blocked = settled(crd('example.com', { plural: 'networks', kind: 'Network' }), [gadgets]);
    const freed = settled(blocked, [], T1);
    assert.equal(condition(freed, 'NamesAccepted')?.status, 'True', 'accepted');
    assert.equal(condition(freed, 'Established')?.status, 'True', 'established');
    assert.equal(freed.status?.acceptedNames?.plural, 'networks', 'plural served');
  });

  test('storedVersions keeps every version ever stored and gains the new storage version', () => {
    const networks = settled(crd('example.com', { plural: 'networks', kind: 'Network' }));
    const v1 = networks.spec.versions[0]!;
    networks.spec.versions = [
      { ...v1, storage: false },
      { ...v1, name: 'v2', storage: true },
    ];
    assert.deepEqual(customResourceDefinitionStatus(networks, []).storedVersions, ['v1', 'v2'], 'both');
  });
});
