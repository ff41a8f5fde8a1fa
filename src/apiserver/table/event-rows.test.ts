// Proves core Event rows print as kubectl's printEvent in wide mode, which is how the API server runs it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_ROWS } from './event-rows.ts';
import { NAME_DESCRIPTION } from './object-meta-columns.ts';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');
const agoMicro = (seconds: number): string =>
  new Date(NOW - seconds * 1000).toISOString().replace('Z', '000Z');

test('columns: Last Seen, Type, Reason, Object, Message, and the wide ones at priority 1', () => {
  assert.deepEqual(
    EVENT_ROWS.columns.map((c) => [c.name, c.type, c.priority, c.format]),
    [
      ['Last Seen', 'string', 0, ''],
      ['Type', 'string', 0, ''],
      ['Reason', 'string', 0, ''],
      ['Object', 'string', 0, ''],
      ['Subobject', 'string', 1, ''],
      ['Source', 'string', 1, ''],
      ['Message', 'string', 0, ''],
      ['First Seen', 'string', 1, ''],
      ['Count', 'string', 1, ''],
      ['Name', 'string', 1, 'name'],
    ],
    'names, types, priorities, formats',
  );
  assert.equal(EVENT_ROWS.columns[9]?.description, NAME_DESCRIPTION, 'Name describes ObjectMeta.name');
  assert.equal(
    EVENT_ROWS.columns[0]?.description,
    'The time at which the most recent occurrence of this event was recorded.',
    'Last Seen describes lastTimestamp',
  );
});

test('a core/v1 event a controller recorded', () => {
  const event = {
    metadata: { name: 'production-network.17a1b2c3', namespace: 'default' },
    involvedObject: {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      name: 'production-network',
    },
    reason: 'Allocated',
    message: '  Allocated 10.0.0.0/16\n',
    type: 'Normal',
    source: { component: 'network-services-operator' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(185),
    count: 3,
  };
  assert.deepEqual(
    EVENT_ROWS.render(event, NOW).cells,
    [
      '3m5s',
      'Normal',
      'Allocated',
      'network/production-network',
      '',
      'network-services-operator',
      'Allocated 10.0.0.0/16',
      '10m',
      3,
      'production-network.17a1b2c3',
    ],
    'cells',
  );
});

test('an events.k8s.io-style event: eventTime, reporting controller and instance, no count', () => {
  const event = {
    metadata: { name: 'e' },
    involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{web}' },
    reason: 'Started',
    message: 'Started container web',
    type: 'Normal',
    eventTime: agoMicro(30),
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    source: {},
  };
  assert.deepEqual(
    EVENT_ROWS.render(event, NOW).cells,
    [
      '30s',
      'Normal',
      'Started',
      'pod/web-0',
      'spec.containers{web}',
      'kubelet, node-1',
      'Started container web',
      '30s',
      1,
      'e',
    ],
    'first and last seen fall back to eventTime; count defaults to 1',
  );
});

test('a series overrides last seen and count', () => {
  const event = {
    metadata: { name: 's' },
    involvedObject: { kind: 'Namespace' },
    type: 'Warning',
    reason: 'Flapping',
    firstTimestamp: ago(3 * 3600),
    lastTimestamp: ago(3600),
    count: 2,
    series: { count: 7, lastObservedTime: agoMicro(90) },
    source: { component: 'c', host: 'h' },
  };
  assert.deepEqual(
    EVENT_ROWS.render(event, NOW).cells,
    ['90s', 'Warning', 'Flapping', 'namespace', '', 'c, h', '', '3h', 7, 's'],
    'series wins; a nameless object prints its kind alone',
  );
});

test('an event without any time prints <unknown>', () => {
  assert.deepEqual(
    EVENT_ROWS.render({}, NOW).cells,
    ['<unknown>', '', '', '', '', '', '', '<unknown>', 1, ''],
    'all zero values',
  );
  assert.deepEqual(
    EVENT_ROWS.render({ lastTimestamp: ago(5), message: '\ufeffx ' }, NOW).cells.slice(0, 7),
    ['5s', '', '', '', '', '', '\ufeffx'],
    'last seen without first seen; TrimSpace keeps a BOM',
  );
});
