// Proves Tables come out as the CRD table convertor and the API server's Table transform build them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceInfo, TableColumn } from '../registry/resource-info.ts';
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_DESCRIPTION } from './object-meta-columns.ts';
import { type BuildTableOptions, buildTable, type Table } from './table.ts';

const NOW = Date.UTC(2024, 0, 1, 0, 5, 0);

function resource(
  printerColumns: readonly TableColumn[],
  plural = 'networks',
  group = 'networking.datumapis.com',
): ResourceInfo {
  return {
    group,
    version: 'v1alpha1',
    kind: 'Network',
    listKind: 'NetworkList',
    plural,
    singular: 'network',
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: [],
    subresources: [],
    printerColumns,
    selectableFields: [],
    schema: { type: 'object' },
    description: '',
  };
}

const NETWORK_COLUMNS: readonly TableColumn[] = [
  { name: 'IPv4', type: 'string', jsonPath: '.spec.ipv4Blocks', description: 'The IPv4 blocks.' },
  { name: 'First', type: 'string', jsonPath: '.spec.ipv4Blocks[*]', description: '' },
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: '',
  },
  { name: 'MTU', type: 'integer', jsonPath: '.spec.mtu', description: 'MTU.', priority: 1 },
  {
    name: 'Created',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description: 'Age.',
    format: 'date-time',
  },
];

const network = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: {
    name: 'production-network',
    namespace: 'default',
    uid: '5d0c8b9e-0000-4000-8000-000000000001',
    resourceVersion: '1042',
    generation: 2,
    creationTimestamp: '2024-01-01T00:00:00Z',
    labels: { env: 'prod' },
    annotations: {},
    finalizers: ['networking.datumapis.com/ipam'],
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
  },
  spec: { ipv4Blocks: ['10.0.0.0/16', '10.1.0.0/16'], mtu: 1460 },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

function table(
  overrides: Partial<BuildTableOptions> & Pick<BuildTableOptions, 'resource' | 'objects'>,
): Table {
  return buildTable({ now: NOW, includeObject: 'Metadata', columnDefinitions: true, ...overrides });
}

test('a CRD Table: Name, then printer columns rendered from their JSONPaths', () => {
  const built = table({ resource: resource(NETWORK_COLUMNS), objects: [network], resourceVersion: '1042' });
  assert.deepEqual(
    built,
    {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '1042' },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
        { name: 'IPv4', type: 'string', format: '', description: 'The IPv4 blocks.', priority: 0 },
        {
          name: 'First',
          type: 'string',
          format: '',
          description: 'Custom resource definition column (in JSONPath format): .spec.ipv4Blocks[*]',
          priority: 0,
        },
        {
          name: 'Ready',
          type: 'string',
          format: '',
          description:
            'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status',
          priority: 0,
        },
        { name: 'MTU', type: 'integer', format: '', description: 'MTU.', priority: 1 },
        { name: 'Created', type: 'date', format: 'date-time', description: 'Age.', priority: 0 },
      ],
      rows: [
        {
          cells: ['production-network', '["10.0.0.0/16","10.1.0.0/16"]', '10.0.0.0/16', 'True', 1460, '5m'],
          object: {
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: {
              name: 'production-network',
              namespace: 'default',
              uid: '5d0c8b9e-0000-4000-8000-000000000001',
              resourceVersion: '1042',
              generation: 2,
              creationTimestamp: '2024-01-01T00:00:00Z',
              labels: { env: 'prod' },
              finalizers: ['networking.datumapis.com/ipam'],
              managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
            },
          },
        },
      ],
    },
    'the whole Table',
  );
});

test('without printer columns a CRD shows Name and Age', () => {
  const built = table({
    resource: resource([]),
    objects: [
      network,
      { metadata: { name: 'no-timestamp' } },
      { metadata: { name: 'bad', creationTimestamp: 'x' } },
    ],
  });
  assert.deepEqual(
    built.columnDefinitions,
    [
      { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
      { name: 'Age', type: 'date', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 },
    ],
    'default columns',
  );
  assert.deepEqual(
    built.rows.map((r) => r.cells),
    [
      ['production-network', '5m'],
      ['no-timestamp', null],
      ['bad', '<invalid>'],
    ],
    'a missing timestamp is a null cell, an unparsable one <invalid>',
  );
});

test('cells follow the column type the way cellForJSONValue and PrintResults do', () => {
  const column = (type: TableColumn['type'], jsonPath: string): TableColumn => ({
    name: jsonPath,
    type,
    jsonPath,
    description: '',
  });
  const columns = [
    column('string', '.v.nested'),
    column('string', '.v.int'),
    column('string', '.v.float'),
    column('string', '.v.big'),
    column('string', '.v.bool'),
    column('string', '.v.nothing'),
    column('string', '.v.absent'),
    column('string', '.v.html'),
    column('integer', '.v.int'),
    column('integer', '.v.float'),
    column('integer', '.v.text'),
    column('number', '.v.int'),
    column('number', '.v.text'),
    column('boolean', '.v.bool'),
    column('boolean', '.v.text'),
    column('date', '.v.empty'),
    column('date', '.v.zero'),
    column('date', '.v.future'),
    column('date', '.v.soon'),
    column('date', '.v.int'),
    column('integer', '.v.nothing'),
  ];
  const object = {
    metadata: { name: 'cells' },
    v: {
      nested: { b: [1, 'x'], a: true },
      int: 3,
      float: 2.75,
      big: 1e6 + 0.5,
      bool: true,
      nothing: null,
      html: '<a&b>',
      text: '7',
      empty: '',
      zero: '0001-01-01T00:00:00Z',
      future: '2024-01-01T00:05:02Z',
      soon: '2024-01-01T00:05:01Z',
    },
  };
  const built = table({ resource: resource(columns), objects: [object] });
  assert.deepEqual(
    built.rows[0]?.cells,
    [
      'cells',
      '{"a":true,"b":[1,"x"]}',
      '3',
      '2.75',
      '1.0000005e+06',
      'true',
      '<no value>',
      null,
      '<a&b>',
      3,
      2,
      null,
      3,
      null,
      true,
      null,
      '<unknown>',
      '<unknown>',
      '<invalid>',
      '0s',
      null,
      null,
    ],
    'typed cells',
  );
});

test('JSON inside a string cell is escaped as Go encoding/json escapes it', () => {
  const built = table({
    resource: resource([{ name: 'Tags', type: 'string', jsonPath: '.spec.tags', description: '' }]),
    objects: [{ metadata: { name: 'x' }, spec: { tags: ['<a>', 'b&c'] } }],
  });
  assert.deepEqual(built.rows[0]?.cells, ['x', '["\\u003ca\\u003e","b\\u0026c"]'], 'HTML-safe JSON');
});

test('a printer column that does not parse ends the columns, as tableconvertor.New falls back', () => {
  const built = table({
    resource: resource([
      { name: 'A', type: 'string', jsonPath: '.spec.a', description: '' },
      { name: 'Bad', type: 'string', jsonPath: '.spec[', description: '' },
      { name: 'C', type: 'string', jsonPath: '.spec.c', description: '' },
    ]),
    objects: [{ metadata: { name: 'x' }, spec: { a: 'a', c: 'c' } }],
  });
  assert.deepEqual(
    built.columnDefinitions?.map((c) => c.name),
    ['Name', 'A'],
    'columns before the bad one',
  );
  assert.deepEqual(built.rows[0]?.cells, ['x', 'a'], 'cells likewise');
});

test('includeObject picks the row object', () => {
  const info = resource(NETWORK_COLUMNS);
  assert.equal(
    table({ resource: info, objects: [network], includeObject: 'Object' }).rows[0]?.object,
    network,
    'full',
  );
  assert.equal(
    table({ resource: info, objects: [network], includeObject: 'None' }).rows[0]?.object,
    null,
    'none',
  );
  const partial = table({
    resource: info,
    objects: [{ metadata: { name: 'bare', generation: 0, labels: {} } }],
  });
  assert.deepEqual(
    partial.rows[0]?.object,
    {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'bare', creationTimestamp: null },
    },
    'empty fields omitted, creationTimestamp null',
  );
  const deleting = table({
    resource: info,
    objects: [
      { metadata: { name: 'd', deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 } },
    ],
  });
  assert.deepEqual(
    deleting.rows[0]?.object,
    {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        name: 'd',
        creationTimestamp: null,
        deletionTimestamp: '2024-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 0,
      },
    },
    'a zero grace period is kept',
  );
});

test('list metadata and headers', () => {
  const info = resource(NETWORK_COLUMNS);
  const listed = table({
    resource: info,
    objects: [network, { ...network, metadata: { ...network.metadata, name: 'second' } }],
    resourceVersion: '7',
    continue: 'token',
    remainingItemCount: 0,
  });
  assert.deepEqual(
    listed.metadata,
    { resourceVersion: '7', continue: 'token', remainingItemCount: 0 },
    'list meta',
  );
  assert.deepEqual(
    listed.rows.map((r) => r.cells[0]),
    ['production-network', 'second'],
    'rows in order',
  );
  const empty = table({ resource: info, objects: [] });
  assert.deepEqual(empty.metadata, {}, 'no list meta');
  assert.deepEqual(empty.rows, [], 'no rows is an empty array');
  const event = table({ resource: info, objects: [network], columnDefinitions: false });
  assert.equal(event.columnDefinitions, null, 'no headers after the first watch event');
  assert.equal(event.rows.length, 1, 'a watch event is a one-row Table');
});

test('built-in kinds with a row renderer use it instead of printer columns', () => {
  const pods = resource([{ name: 'Ignored', type: 'string', jsonPath: '.x', description: '' }], 'pods', '');
  const built = table({
    resource: pods,
    objects: [
      { metadata: { name: 'p', creationTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Pending' } },
    ],
  });
  assert.deepEqual(
    built.columnDefinitions?.map((c) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    'pod columns',
  );
  assert.deepEqual(
    built.rows[0]?.cells,
    ['p', '0/0', 'Pending', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
    'cells',
  );
  const networksInCore = resource(NETWORK_COLUMNS, 'pods', 'example.com');
  assert.equal(
    table({ resource: networksInCore, objects: [] }).columnDefinitions?.length,
    6,
    'keyed by group too',
  );
});
