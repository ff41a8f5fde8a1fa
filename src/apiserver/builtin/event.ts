import { type Static, Type } from 'typebox';
import { ObjectMeta } from '../../api/object-meta.ts';
import { StringConstant } from '../../api/structural.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { type FieldError, invalid, notSupported, required, tooLong } from '../schema/field-error.ts';
import { utf8Length } from '../schema/go-format.ts';
import { isQualifiedName } from '../schema/k8s-names.ts';
import { ObjectReference } from './object-reference.ts';
import { openAPIV3SchemaOf } from './open-api-schema.ts';
import { Int32, MicroTime, Time } from './scalar-fields.ts';
import { wellTyped } from './well-typed.ts';

export const EVENT_TYPES = ['Normal', 'Warning'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Kubernetes' field-selector labels of core/v1 events (metadata.name and metadata.namespace aside). */
export const EVENT_SELECTABLE_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
] as const;
export type EventSelectableField = (typeof EVENT_SELECTABLE_FIELDS)[number];

export const REASON_MAX_BYTES = 128;
export const MESSAGE_MAX_BYTES = 1024;
const REPORTING_INSTANCE_MAX_BYTES = 128;
const ACTION_MAX_BYTES = 128;

export const EventSource = Type.Object(
  {
    component: Type.Optional(Type.String({ description: 'The component that reported the event.' })),
    host: Type.Optional(Type.String({ description: 'The host the component runs on.' })),
  },
  { description: 'Who reported the event.' },
);

export const EventSeries = Type.Object(
  {
    count: Type.Optional(Int32('How many times the event has occurred in this series.')),
    lastObservedTime: Type.Optional(MicroTime('When the last event of the series was seen.')),
  },
  { description: 'A series of occurrences of one event.' },
);

export const Event = Type.Object({
  apiVersion: StringConstant('v1', 'The versioned schema of this object: v1.'),
  kind: StringConstant('Event', 'The kind of this object: Event.'),
  metadata: ObjectMeta,
  involvedObject: ObjectReference('The object the event is about.'),
  reason: Type.Optional(
    Type.String({ description: 'A short CamelCase word for what happened, e.g. Allocated.' }),
  ),
  message: Type.Optional(Type.String({ description: 'What happened, for a person.' })),
  source: Type.Optional(EventSource),
  firstTimestamp: Type.Optional(Time('When the event was first recorded.')),
  lastTimestamp: Type.Optional(Time('When the event was most recently recorded.')),
  count: Type.Optional(Int32('How many times the event has occurred.')),
  type: Type.Optional(Type.String({ description: 'Normal or Warning.' })),
  eventTime: Type.Optional(MicroTime('When the event was first observed (events.k8s.io clients).')),
  series: Type.Optional(EventSeries),
  action: Type.Optional(Type.String({ description: 'What was done, or failed, about the object.' })),
  related: Type.Optional(ObjectReference('A second object involved, if any.')),
  reportingComponent: Type.Optional(
    Type.String({ description: 'The controller that emitted the event, e.g. datumapis.com/nso.' }),
  ),
  reportingInstance: Type.Optional(Type.String({ description: 'The instance of that controller.' })),
});
export type Event = Static<typeof Event>;

const DESCRIPTION = 'A report of something that happened to an object, as kubectl describe shows it.';

export const EventResource: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [],
  printerColumns: [
    {
      name: 'Last Seen',
      type: 'date',
      jsonPath: '.lastTimestamp',
      description: 'When the event was most recently recorded.',
    },
    { name: 'Type', type: 'string', jsonPath: '.type', description: 'Normal or Warning.' },
    { name: 'Reason', type: 'string', jsonPath: '.reason', description: 'What happened, in a word.' },
    {
      name: 'Object',
      type: 'string',
      jsonPath: '.involvedObject.name',
      description: 'The object the event is about.',
    },
    { name: 'Message', type: 'string', jsonPath: '.message', description: 'What happened.' },
    {
      name: 'Subobject',
      type: 'string',
      jsonPath: '.involvedObject.fieldPath',
      description: 'The part of the object.',
      priority: 1,
    },
    {
      name: 'Source',
      type: 'string',
      jsonPath: '.source.component',
      description: 'The component that reported the event.',
      priority: 1,
    },
    {
      name: 'First Seen',
      type: 'date',
      jsonPath: '.firstTimestamp',
      description: 'When the event was first recorded.',
      priority: 1,
    },
    {
      name: 'Count',
      type: 'integer',
      jsonPath: '.count',
      description: 'How many times it happened.',
      priority: 1,
    },
    {
      name: 'Name',
      type: 'string',
      jsonPath: '.metadata.name',
      description: 'The name of the event.',
      priority: 1,
    },
  ],
  selectableFields: EVENT_SELECTABLE_FIELDS,
  schema: openAPIV3SchemaOf(Event, DESCRIPTION),
  description: DESCRIPTION,
};

/**
 * The value an event has for a field-selector label, as Kubernetes computes it: `source` is
 * source.component (else reportingComponent), a missing field is ''. Undefined for a label events cannot be selected by.
 */
export function eventFieldValue(event: Event, label: string): string | undefined {
  const involved: Partial<ObjectReference> = event.involvedObject ?? {};
  switch (label as EventSelectableField | 'metadata.name' | 'metadata.namespace') {
    case 'metadata.name':
      return text(event.metadata?.name);
    case 'metadata.namespace':
      return text(event.metadata?.namespace);
    case 'involvedObject.kind':
      return text(involved.kind);
    case 'involvedObject.namespace':
      return text(involved.namespace);
    case 'involvedObject.name':
      return text(involved.name);
    case 'involvedObject.uid':
      return text(involved.uid);
    case 'involvedObject.apiVersion':
      return text(involved.apiVersion);
    case 'involvedObject.resourceVersion':
      return text(involved.resourceVersion);
    case 'involvedObject.fieldPath':
      return text(involved.fieldPath);
    case 'reason':
      return text(event.reason);
    case 'reportingComponent':
      return text(event.reportingComponent);
    case 'source':
      return text(event.source?.component) || text(event.reportingComponent);
    case 'type':
      return text(event.type);
    default:
      return undefined;
  }
}

/**
 * Kubernetes' checks of a core/v1 event: involvedObject.namespace agrees with the event's namespace (an event
 * about a cluster-scoped object lives in `default`), events.k8s.io-style events (with eventTime) name their
 * reporter and action; and, stricter than core/v1 and as events.k8s.io/v1, type is Normal or Warning and the
 * reason and message are capped at 128 and 1024 bytes. Nothing for an event its schema refuses.
 */
export function validateEvent(event: Event): FieldError[] {
  if (!wellTyped(EventResource.schema, event)) return [];
  const errs: FieldError[] = [];
  const namespace = text(event.metadata?.namespace);
  const involvedNamespace = event.involvedObject.namespace ?? '';
  const reason = event.reason ?? '';
  const message = event.message ?? '';
  const newStyle = (event.eventTime ?? '') !== '';
  if (!namespaceAgrees(namespace, involvedNamespace, newStyle)) {
    errs.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  }
  if (newStyle) {
    const component = event.reportingComponent ?? '';
    if (component === '') errs.push(required('reportingComponent'));
    for (const msg of isQualifiedName(component)) errs.push(invalid('reportingComponent', component, msg));
    const instance = event.reportingInstance ?? '';
    if (instance === '') errs.push(required('reportingInstance'));
    if (utf8Length(instance) > REPORTING_INSTANCE_MAX_BYTES)
      errs.push(tooLong('reportingInstance', REPORTING_INSTANCE_MAX_BYTES));
    const action = event.action ?? '';
    if (action === '') errs.push(required('action'));
    if (utf8Length(action) > ACTION_MAX_BYTES) errs.push(tooLong('action', ACTION_MAX_BYTES));
    if (reason === '') errs.push(required('reason'));
  }
  if (utf8Length(reason) > REASON_MAX_BYTES) errs.push(tooLong('reason', REASON_MAX_BYTES));
  if (utf8Length(message) > MESSAGE_MAX_BYTES) errs.push(tooLong('message', MESSAGE_MAX_BYTES));
  const type = event.type ?? '';
  if (!(EVENT_TYPES as readonly string[]).includes(type)) errs.push(notSupported('type', type, EVENT_TYPES));
  return errs;
}

/** Old-style events name their object's namespace; events.k8s.io ones about cluster objects sit in default or kube-system. */
function namespaceAgrees(namespace: string, involved: string, newStyle: boolean): boolean {
  if (involved !== '') return newStyle || namespace === involved;
  return newStyle
    ? namespace === 'default' || namespace === 'kube-system'
    : namespace === '' || namespace === 'default';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
