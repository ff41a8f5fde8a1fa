import type { Parameter, Schema } from './openapi-document.ts';

const query = (name: string, description: string, schema: Schema): Parameter => ({
  name,
  in: 'query',
  description,
  schema,
});
const STRING: Schema = { type: 'string', uniqueItems: true };
const BOOLEAN: Schema = { type: 'boolean', uniqueItems: true };
const INTEGER: Schema = { type: 'integer', uniqueItems: true };

export function pathParameter(name: string, description: string): Parameter {
  return { name, in: 'path', description, required: true, schema: STRING };
}

export const PRETTY = query('pretty', "If 'true', the response is indented for people to read.", STRING);

const DRY_RUN = query(
  'dryRun',
  'When present, the request is checked and processed but nothing is stored. All is the only value.',
  STRING,
);
const FIELD_MANAGER = query(
  'fieldManager',
  'The name of the actor making the change, recorded in metadata.managedFields. Required for apply patches; at most 128 printable characters.',
  STRING,
);
/** kubectl looks for this parameter on PATCH to decide that the server validates fields itself. */
const FIELD_VALIDATION = query(
  'fieldValidation',
  'What to do with fields of the body that the schema does not know, or that appear twice: Ignore drops them silently, Warn accepts the request and returns one Warning header per field, Strict rejects the request with a BadRequest error.',
  STRING,
);
const FORCE = query(
  'force',
  'For apply patches only: take over fields another field manager owns instead of failing with a Conflict. Must be absent for other patch types.',
  BOOLEAN,
);

export const WRITE_PARAMETERS: readonly Parameter[] = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
export const PATCH_PARAMETERS: readonly Parameter[] = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];

export const LIST_PARAMETERS: readonly Parameter[] = [
  query(
    'allowWatchBookmarks',
    'Lets a watch send BOOKMARK events that carry only a resourceVersion, so that a client can resume from there. Ignored without watch.',
    BOOLEAN,
  ),
  query(
    'continue',
    'The continue token of the previous part of a chunked list, to get the next part. Use the same parameters as for the first part.',
    STRING,
  ),
  query(
    'fieldSelector',
    'Only objects whose fields match, as comma-separated terms ANDed together, such as metadata.name=web or metadata.namespace!=default.',
    STRING,
  ),
  query(
    'labelSelector',
    'Only objects whose labels match, such as env=prod,tier in (web,api) or !canary.',
    STRING,
  ),
  query(
    'limit',
    'The most items to return. When more exist, the list metadata carries a continue token for the rest.',
    INTEGER,
  ),
  query(
    'resourceVersion',
    'For a list, 0 or unset returns the current state and a specific version returns a state at least that recent. For a watch, 0 or unset first sends every matching object as ADDED; a specific version sends every change after it, or fails with 410 Gone when that version is too old.',
    STRING,
  ),
  query(
    'timeoutSeconds',
    'How many seconds a list or watch may last; the server closes a watch at the latest then.',
    INTEGER,
  ),
  query(
    'watch',
    'Stream changes (ADDED, MODIFIED, DELETED) to the matching objects instead of listing them once.',
    BOOLEAN,
  ),
];

export const DELETE_PARAMETERS: readonly Parameter[] = [
  DRY_RUN,
  query(
    'gracePeriodSeconds',
    'How many seconds the object may take to terminate; 0 deletes it at once. Unset means the default of the kind.',
    INTEGER,
  ),
  query(
    'orphanDependents',
    'Deprecated in favour of propagationPolicy. True leaves dependents in place; false deletes them.',
    BOOLEAN,
  ),
  query(
    'propagationPolicy',
    'What happens to dependents: Orphan leaves them, Background deletes them after the owner, Foreground deletes them before the owner is removed.',
    STRING,
  ),
];

export const LOG_PARAMETERS: readonly Parameter[] = [
  query('container', 'The container to read; optional when the pod has only one.', STRING),
  query('follow', 'Keep the response open and stream new lines as they are written.', BOOLEAN),
  query('limitBytes', 'Stop after this many bytes.', INTEGER),
  query('previous', 'Read the log of the previous, terminated instance of the container.', BOOLEAN),
  query('sinceSeconds', 'Only lines written in the last this many seconds.', INTEGER),
  query('sinceTime', 'Only lines written at or after this RFC 3339 time.', STRING),
  query('tailLines', 'Only this many lines from the end of the log.', INTEGER),
  query('timestamps', 'Prefix each line with the RFC 3339 time it was written.', BOOLEAN),
];
