import { NAME_DESCRIPTION } from './object-meta-columns.ts';
import type { RowRenderer } from './row-renderer.ts';
import type { TableColumnDefinition } from './table-shape.ts';
import { instantOf, translateTimestampSince } from './timestamp.ts';
import { numberAt, objectAt, stringAt, valueAt } from './zero-valued-fields.ts';

const column = (name: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

// core/v1 Event's swagger descriptions, as the printer's column definitions take them.
const EVENT_COLUMNS: readonly TableColumnDefinition[] = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'The object that this event is about.'),
  column(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
    1,
  ),
  column('Source', 'The component reporting this event. Should be a short machine understandable string.', 1),
  column('Message', 'A human-readable description of the status of this operation.'),
  column(
    'First Seen',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    1,
  ),
  column('Count', 'The number of times this event has occurred.', 1),
  column('Name', NAME_DESCRIPTION, 1, 'name'),
];

/** kubectl's printEvent for core/v1 Events: ages from lastTimestamp, eventTime or the series, `<kind>/<name>`. */
export const EVENT_ROWS: RowRenderer = {
  columns: EVENT_COLUMNS,
  render(event, now) {
    const since = (value: unknown): string => translateTimestampSince(value, now);
    const firstTimestamp = valueAt(event, 'firstTimestamp');
    const firstSeen = since(
      instantOf(firstTimestamp) === undefined ? valueAt(event, 'eventTime') : firstTimestamp,
    );
    const lastTimestamp = valueAt(event, 'lastTimestamp');
    let lastSeen = instantOf(lastTimestamp) === undefined ? firstSeen : since(lastTimestamp);
    let count = numberAt(event, 'count');
    const series = objectAt(event, 'series');
    if (series) {
      lastSeen = since(valueAt(series, 'lastObservedTime'));
      count = numberAt(series, 'count');
    } else if (count === 0) count = 1;
    const involved = objectAt(event, 'involvedObject');
    const kind = stringAt(involved, 'kind').toLowerCase();
    const name = stringAt(involved, 'name');
    const source = objectAt(event, 'source');
    return {
      cells: [
        lastSeen,
        stringAt(event, 'type'),
        stringAt(event, 'reason'),
        name === '' ? kind : `${kind}/${name}`,
        stringAt(involved, 'fieldPath'),
        eventSource(
          firstNonEmpty(stringAt(source, 'component'), stringAt(event, 'reportingController')),
          firstNonEmpty(stringAt(source, 'host'), stringAt(event, 'reportingInstance')),
        ),
        goTrimSpace(stringAt(event, 'message')),
        firstSeen,
        count,
        stringAt(objectAt(event, 'metadata'), 'name'),
      ],
    };
  },
};

const firstNonEmpty = (a: string, b: string): string => (a === '' ? b : a);
const eventSource = (component: string, instance: string): string =>
  instance === '' ? component : `${component}, ${instance}`;

// strings.TrimSpace trims Unicode White_Space, which (unlike String.prototype.trim) leaves U+FEFF alone.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
const goTrimSpace = (s: string): string => s.replace(GO_TRIM, '');
