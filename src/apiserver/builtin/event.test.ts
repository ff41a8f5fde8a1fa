// Proves core/v1 Events as controllers POST them are accepted, selected by kubectl's field selectors, and refused where Kubernetes refuses them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ResourceSchema } from '../admission/resource-schema.ts';
import { formatFieldError } from '../schema/field-error.ts';
import {
  EVENT_SELECTABLE_FIELDS,
  type Event,
  EventResource,
  eventFieldValue,
  validateEvent,
} from './event.ts';

type Obj = Record<string, unknown>;
const schema = new ResourceSchema(EventResource.schema, { namespaced: true });

/** The JSON client-go's record.EventRecorder POSTs: zero times as null, reporting fields as ''. */
const posted: Obj = {
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: 'production-network.17c5a8f3b2d1e0a4', namespace: 'default', creationTimestamp: null },
  involvedObject: {
    kind: 'Network',
    namespace: 'default',
    name: 'production-network',
    uid: '5f0c8a8e-4c1e-4b7e-9a57-2f7f3c1d9e11',
    apiVersion: 'networking.datumapis.com/v1alpha1',
    resourceVersion: '1042',
  },
  reason: 'Ready',
  message: 'allocated 10.0.0.0/16',
  source: { component: 'network-services-operator' },
  firstTimestamp: '2024-01-01T00:00:00Z',
  lastTimestamp: '2024-01-01T00:00:05Z',
  count: 1,
  type: 'Normal',
  eventTime: null,
  reportingComponent: '',
  reportingInstance: '',
};

function admit(object: Obj): { event: Event; errors: string[]; unknown: readonly string[] } {
  const decoded = schema.decode(object);
  const event = decoded.object as unknown as Event;
  const errors = schema.validate(decoded.object);
  return {
    event,
    unknown: decoded.unknownFields,
    errors: [...errors, ...validateEvent(event)].map(formatFieldError),
  };
}

const withChanges = (changes: Obj): Obj => ({ ...structuredClone(posted), ...changes });

describe('Event', () => {
  test('an event as client-go posts it is accepted as written, its nulls dropped', () => {
    const { event, errors, unknown } = admit(posted);
    assert.deepEqual(errors, [], 'no errors');
    assert.deepEqual(unknown, [], 'no unknown fields');
    assert.equal('eventTime' in event, false, 'a null eventTime is dropped, as a zero MicroTime');
    assert.equal(event.count, 1, 'count kept');
  });

  test('an events.k8s.io-style event with eventTime and a series is accepted', () => {
    const { errors } = admit(
      withChanges({
        eventTime: '2024-01-01T00:00:00.123456Z',
        series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' },
        action: 'Allocate',
        reportingComponent: 'datumapis.com/nso',
        reportingInstance: 'nso-0',
        firstTimestamp: null,
        lastTimestamp: null,
        count: null,
        source: {},
      }),
    );
    assert.deepEqual(errors, [], 'no errors');
  });

  test('a timestamp that is not RFC 3339 is refused by the schema', () => {
    const { errors } = admit(withChanges({ lastTimestamp: 'yesterday' }));
    assert.equal(errors.length, 1, 'one error');
    assert.match(errors[0]!, /^lastTimestamp: Invalid value: "yesterday"/, 'names the field');
  });

  const refused: [string, Obj, string][] = [
    [
      'involvedObject.namespace differs from the event',
      { involvedObject: { kind: 'Network', name: 'n', namespace: 'other' } },
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ],
    [
      'an event about a cluster-scoped object outside default',
      { metadata: { name: 'e', namespace: 'team-a' }, involvedObject: { kind: 'Namespace', name: 'team-a' } },
      'involvedObject.namespace: Invalid value: "": does not match event.namespace',
    ],
    [
      'a type other than Normal or Warning',
      { type: 'Info' },
      'type: Unsupported value: "Info": supported values: "Normal", "Warning"',
    ],
    ['no type', { type: '' }, 'type: Unsupported value: "": supported values: "Normal", "Warning"'],
    [
      'a reason over 128 bytes',
      { reason: 'R'.repeat(129) },
      'reason: Too long: may not be more than 128 bytes',
    ],
    [
      'a message over 1024 bytes',
      { message: 'é'.repeat(513) },
      'message: Too long: may not be more than 1024 bytes',
    ],
    [
      'an eventTime event without its reporter and action',
      { eventTime: '2024-01-01T00:00:00.000000Z' },
      'reportingComponent: Required value',
    ],
  ];
  for (const [what, changes, expected] of refused) {
    test(`refused: ${what}`, () => {
      const { errors } = admit(withChanges(changes));
      assert.ok(errors.includes(expected), `${JSON.stringify(errors)} should include ${expected}`);
    });
  }

  test('an event about a cluster-scoped object lives in default', () => {
    const { errors } = admit(
      withChanges({ involvedObject: { kind: 'Namespace', name: 'team-a', apiVersion: 'v1' } }),
    );
    assert.deepEqual(errors, [], 'accepted');
  });

  test('an events.k8s.io-style event about a cluster-scoped object may live in kube-system', () => {
    const newStyle = {
      eventTime: '2024-01-01T00:00:00.000000Z',
      action: 'Allocate',
      reportingComponent: 'datumapis.com/nso',
      reportingInstance: 'nso-0',
      involvedObject: { kind: 'Namespace', name: 'team-a' },
    };
    const inSystem = { metadata: { name: 'e', namespace: 'kube-system' } };
    assert.deepEqual(admit(withChanges({ ...newStyle, ...inSystem })).errors, [], 'kube-system');
    assert.deepEqual(
      admit(withChanges({ ...newStyle, metadata: { name: 'e', namespace: 'team-a' } })).errors,
      ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
      'elsewhere',
    );
  });

  test('a message of exactly 1024 bytes and a reason of 128 are accepted', () => {
    const { errors } = admit(withChanges({ reason: 'R'.repeat(128), message: 'm'.repeat(1024) }));
    assert.deepEqual(errors, [], 'accepted at the limits');
  });
});

describe('Event field selectors', () => {
  const event = admit(posted).event;

  test('are the labels of Kubernetes’ event strategy', () => {
    assert.deepEqual(EventResource.selectableFields, EVENT_SELECTABLE_FIELDS, 'served labels');
    assert.equal(EVENT_SELECTABLE_FIELDS.length, 11, 'eleven labels');
  });

  test('read the event as kubectl describe selects it', () => {
    assert.equal(eventFieldValue(event, 'involvedObject.kind'), 'Network', 'kind');
    assert.equal(eventFieldValue(event, 'involvedObject.name'), 'production-network', 'name');
    assert.equal(eventFieldValue(event, 'involvedObject.namespace'), 'default', 'namespace');
    assert.equal(eventFieldValue(event, 'involvedObject.uid'), '5f0c8a8e-4c1e-4b7e-9a57-2f7f3c1d9e11', 'uid');
    assert.equal(eventFieldValue(event, 'involvedObject.resourceVersion'), '1042', 'resourceVersion');
    assert.equal(eventFieldValue(event, 'reason'), 'Ready', 'reason');
    assert.equal(eventFieldValue(event, 'type'), 'Normal', 'type');
    assert.equal(eventFieldValue(event, 'metadata.namespace'), 'default', 'metadata.namespace');
  });

  test('source is source.component, and absent fields read as empty', () => {
    assert.equal(eventFieldValue(event, 'source'), 'network-services-operator', 'source');
    assert.equal(eventFieldValue(event, 'involvedObject.fieldPath'), '', 'absent fieldPath');
    assert.equal(eventFieldValue(event, 'reportingComponent'), '', 'empty reportingComponent');
  });

  test('a label events cannot be selected by has no value', () => {
    assert.equal(eventFieldValue(event, 'message'), undefined, 'message is not selectable');
    assert.equal(eventFieldValue(event, 'source.component'), undefined, 'only the source label');
  });
});
