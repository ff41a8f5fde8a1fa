import { schemaRef } from './definition-name.ts';
import type { Schema } from './openapi-document.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const WATCH_EVENT = `${META}.WatchEvent`;
export const PATCH = `${META}.Patch`;
const TIME = `${META}.Time`;
const MANAGED_FIELDS_ENTRY = `${META}.ManagedFieldsEntry`;
const FIELDS_V1 = `${META}.FieldsV1`;
const OWNER_REFERENCE = `${META}.OwnerReference`;
const STATUS_DETAILS = `${META}.StatusDetails`;
const STATUS_CAUSE = `${META}.StatusCause`;
const PRECONDITIONS = `${META}.Preconditions`;
const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

export const API_VERSION_FIELD: Schema = {
  type: 'string',
  description:
    'The versioned schema of this representation of the object: group/version, or only the version for the core group. The server converts objects to the version a client asks for.',
};

export const KIND_FIELD: Schema = {
  type: 'string',
  description:
    'The kind of object, in CamelCase: one of the kinds its API version serves. It cannot be changed.',
};

const string = (description: string, extra: Schema = {}): Schema => ({
  type: 'string',
  description,
  ...extra,
});
const integer = (description: string, format: 'int32' | 'int64' = 'int64'): Schema => ({
  type: 'integer',
  format,
  description,
});
const boolean = (description: string): Schema => ({ type: 'boolean', description });
const ref = (name: string, description: string): Schema => ({ allOf: [schemaRef(name)], description });
const stringMap = (description: string): Schema => ({
  type: 'object',
  additionalProperties: { type: 'string', default: '' },
  description,
});
const gvk = (kind: string): Schema => ({
  'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind }],
});

/**
 * apimachinery's meta/v1 definitions that every group version document references, with descriptions so
 * that `kubectl explain <kind>.metadata` (and .metadata.ownerReferences and so on) has something to say.
 */
export const META_SCHEMAS: Readonly<Record<string, Schema>> = {
  [OBJECT_META]: {
    type: 'object',
    description:
      'Metadata every persisted object carries: its identity (name, namespace, uid), the labels and annotations users and tools attach, and the fields the server maintains (resourceVersion, generation, timestamps, managedFields).',
    properties: {
      annotations: stringMap(
        'Arbitrary key/value data attached by users and tools, for example to record configuration or the last applied manifest. Unlike labels, annotations cannot be used to select objects.',
      ),
      creationTimestamp: ref(
        TIME,
        'When the server created the object, in UTC. Set by the server and read-only; absent on objects that were never stored.',
      ),
      deletionGracePeriodSeconds: integer(
        'How many seconds the object was given to terminate gracefully when its deletion was requested. Set by the server together with deletionTimestamp; read-only.',
      ),
      deletionTimestamp: ref(
        TIME,
        'When deletion of the object was requested. While it is set the object is being deleted: it stays visible until every finalizer has been removed, then the server removes it. Set by the server; read-only.',
      ),
      finalizers: {
        type: 'array',
        items: { type: 'string', default: '' },
        description:
          'Names of the controllers that must finish cleaning up before the object may be removed. A deleted object with finalizers remains, with deletionTimestamp set, until each controller has removed its own entry. The order is not significant.',
        'x-kubernetes-list-type': 'set',
      },
      generateName: string(
        'A prefix from which the server makes a unique name, by appending random characters, when name is empty on create.',
      ),
      generation: integer(
        'A counter the server increments whenever the desired state of the object changes. Controllers report the generation they acted on as status.observedGeneration. Read-only.',
      ),
      labels: stringMap(
        'Key/value pairs that organise objects and select them, for example with the labelSelector parameter of list and watch requests.',
      ),
      managedFields: {
        type: 'array',
        items: { allOf: [schemaRef(MANAGED_FIELDS_ENTRY)], default: {} },
        description:
          'Which field manager owns which fields, as server-side apply tracks them. Maintained by the server; clients seldom need to read or write it.',
        'x-kubernetes-list-type': 'atomic',
      },
      name: string(
        'The name of the object: unique among objects of its kind in its namespace, or in the cluster for cluster-scoped kinds. Required on create unless generateName is given, and cannot be changed afterwards.',
      ),
      namespace: string(
        'The namespace the object lives in; empty for cluster-scoped kinds. It defaults to the namespace of the request URL and cannot be changed afterwards.',
      ),
      ownerReferences: {
        type: 'array',
        items: { allOf: [schemaRef(OWNER_REFERENCE)], default: {} },
        description:
          'The objects this object belongs to. Once all of its owners are deleted, the garbage collector deletes this object too, unless the deletion orphaned it. At most one owner may be marked as the controller.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
      },
      resourceVersion: string(
        'An opaque value that changes each time the object is written. Send it back with an update to make the write fail with a Conflict if someone else wrote first, or use it to list and watch from a known point. Compare it only for equality.',
      ),
      selfLink: string('Deprecated; the server no longer sets it.'),
      uid: string(
        'A unique identifier the server assigns on creation. It never changes and is never reused, so it tells this object apart from a later one with the same name. Read-only.',
      ),
    },
  },
  [LIST_META]: {
    type: 'object',
    description: 'Metadata of a list response.',
    properties: {
      continue: string(
        'Set when the server returned only part of the result because of the limit parameter: pass it as the continue parameter to get the next part. It expires after a while, and the list must then be started again.',
      ),
      remainingItemCount: integer(
        'An estimate of how many more items the following parts of a chunked list hold, when the server can count them cheaply.',
      ),
      resourceVersion: string(
        'The resourceVersion at which the list was read. A watch started from it receives every change that follows.',
      ),
      selfLink: string('Deprecated; the server no longer sets it.'),
    },
  },
  [MANAGED_FIELDS_ENTRY]: {
    type: 'object',
    description:
      "One field manager's ownership of a set of fields, for one API version and one kind of operation.",
    properties: {
      apiVersion: string(
        'The API version the field set is written in; field names can differ between versions.',
      ),
      fieldsType: string('The format of the field set. FieldsV1 is the only format defined.'),
      fieldsV1: ref(FIELDS_V1, 'The fields owned, in the FieldsV1 format.'),
      manager: string(
        "The field manager: the fieldManager parameter of the request, or a name derived from the client's user agent.",
      ),
      operation: string(
        'Apply when the fields were set through server-side apply; Update when they were set through a create, update or non-apply patch.',
      ),
      subresource: string(
        'The subresource the write went through, such as status; empty for the main resource.',
      ),
      time: ref(TIME, 'When the manager last changed one of these fields.'),
    },
  },
  [FIELDS_V1]: {
    type: 'object',
    description:
      "A set of fields encoded as a JSON trie. Each key names a child: 'f:<field>' a field, 'k:<key fields as JSON>' a list item by its keys, 'v:<value as JSON>' a set member, 'i:<index>' a list position; the key '.' marks the node itself as part of the set.",
  },
  [OWNER_REFERENCE]: {
    type: 'object',
    description:
      'Identifies an owner of the object: an object in the same namespace, or a cluster-scoped one, whose deletion cascades to this one.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    properties: {
      apiVersion: string("The owner's API version."),
      blockOwnerDeletion: boolean(
        'If true and the owner is deleted in the foreground, the owner remains until this object is gone.',
      ),
      controller: boolean('True on the single owner that manages this object.'),
      kind: string("The owner's kind."),
      name: string("The owner's name."),
      uid: string(
        "The owner's uid: the reference names that exact object, not a later one with the same name.",
      ),
    },
    'x-kubernetes-map-type': 'atomic',
  },
  [TIME]: {
    type: 'string',
    format: 'date-time',
    description:
      'A point in time in RFC 3339 form with second precision, in UTC, such as 2024-05-01T12:00:00Z.',
  },
  [STATUS]: {
    type: 'object',
    description:
      'The outcome of a request that returns no object, such as a completed delete, and the body of every error response.',
    properties: {
      apiVersion: API_VERSION_FIELD,
      code: integer('The HTTP status code of the response, when one applies.', 'int32'),
      details: ref(
        STATUS_DETAILS,
        'More about the object involved and the causes of a failure; which fields are set depends on reason.',
      ),
      kind: KIND_FIELD,
      message: string('A human-readable explanation of the outcome.'),
      metadata: ref(LIST_META, 'Standard list metadata; normally empty.'),
      reason: string(
        'Why the request failed, as a CamelCase word machines can act on, such as NotFound, AlreadyExists, Conflict or Invalid. Clients should decide on it rather than on message.',
      ),
      status: string('Success or Failure.'),
    },
    ...gvk('Status'),
  },
  [STATUS_DETAILS]: {
    type: 'object',
    description: 'The object an operation concerned and the individual causes of a failure.',
    properties: {
      causes: {
        type: 'array',
        items: { allOf: [schemaRef(STATUS_CAUSE)], default: {} },
        description: 'Each problem found, for example one per invalid field.',
        'x-kubernetes-list-type': 'atomic',
      },
      group: string('The API group of the resource.'),
      kind: string('The kind, or for some errors the resource, of the object.'),
      name: string('The name of the object, when it has one.'),
      retryAfterSeconds: integer(
        'How many seconds to wait before retrying, when the failure is temporary.',
        'int32',
      ),
      uid: string('The uid of the object, when known.'),
    },
  },
  [STATUS_CAUSE]: {
    type: 'object',
    description: 'One cause of a failure.',
    properties: {
      field: string(
        'The path of the field the cause concerns, such as spec.mtu or spec.regions[0].name; empty when it concerns no single field.',
      ),
      message: string('A human-readable description of the cause.'),
      reason: string('The kind of problem, such as FieldValueInvalid or FieldValueRequired.'),
    },
  },
  [DELETE_OPTIONS]: {
    type: 'object',
    description: 'Options of a delete request, sent as its body.',
    properties: {
      apiVersion: API_VERSION_FIELD,
      dryRun: {
        type: 'array',
        items: { type: 'string', default: '' },
        description:
          'When set, the request is checked and processed but nothing is stored. All is the only value.',
        'x-kubernetes-list-type': 'atomic',
      },
      gracePeriodSeconds: integer(
        'How many seconds the object may take to terminate; 0 deletes it at once. Absent means the default of the kind.',
      ),
      kind: KIND_FIELD,
      orphanDependents: boolean(
        'Deprecated in favour of propagationPolicy. True leaves dependents in place; false deletes them.',
      ),
      preconditions: ref(PRECONDITIONS, 'Conditions the object must meet for the delete to go ahead.'),
      propagationPolicy: string(
        'What happens to dependents (objects listing this one in ownerReferences): Orphan leaves them; Background deletes them after the owner is gone; Foreground deletes them first, while the owner stays visible with the foregroundDeletion finalizer.',
      ),
    },
    ...gvk('DeleteOptions'),
  },
  [PRECONDITIONS]: {
    type: 'object',
    description: 'Conditions an object must meet for an operation to go ahead.',
    properties: {
      resourceVersion: string('The resourceVersion the object must still have.'),
      uid: string('The uid the object must have.'),
    },
  },
  [WATCH_EVENT]: {
    type: 'object',
    description: 'One event of a watch stream.',
    required: ['type', 'object'],
    properties: {
      object: ref(
        RAW_EXTENSION,
        'For ADDED and MODIFIED the new state of the object, for DELETED its last state, for BOOKMARK an object that carries only metadata.resourceVersion, and for ERROR a Status.',
      ),
      type: string(
        'ADDED, MODIFIED or DELETED for a change to a watched object; BOOKMARK to report progress without a change (only when allowWatchBookmarks was requested); ERROR when the watch fails.',
      ),
    },
    ...gvk('WatchEvent'),
  },
  [RAW_EXTENSION]: {
    type: 'object',
    description: 'An embedded object of any kind, in JSON, carrying its own apiVersion and kind.',
  },
  [PATCH]: {
    type: 'object',
    description:
      'The body of a PATCH request. Its Content-Type says how to read it: application/json-patch+json (RFC 6902 JSON Patch), application/merge-patch+json (RFC 7386 JSON Merge Patch) or application/apply-patch+yaml (a server-side apply configuration).',
  },
};
