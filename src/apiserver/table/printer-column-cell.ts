import type { TableColumn } from '../registry/resource-info.ts';
import { goJson, goNumber, isGoInt } from '../schema/go-format.ts';
import { shortHumanDuration } from './duration.ts';
import { GO_ZERO_TIME_MS, parseRfc3339 } from './timestamp.ts';

/**
 * The cell of a CRD printer column from its JSONPath results, as the apiextensions table convertor renders it:
 * only the first result counts; string columns print any value; other types keep matching values only.
 */
export function printerColumnCell(
  type: TableColumn['type'],
  results: readonly unknown[],
  now: number,
): unknown {
  if (results.length === 0) return null;
  const value = results[0];
  return type === 'string' ? printed(value) : typedCell(type, value, now);
}

/** jsonpath's PrintResults of one value: lists and maps as JSON, scalars with fmt.Sprint. */
function printed(value: unknown): string {
  // The convertor re-wraps the value with reflect.ValueOf, so a JSON null reaches text/template as "no value".
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

function typedCell(type: Exclude<TableColumn['type'], 'string'>, value: unknown, now: number): unknown {
  switch (type) {
    case 'integer':
      if (typeof value !== 'number') return null;
      return isGoInt(value) ? value : Math.trunc(value);
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? age(value, now) : null;
  }
}

/** metav1.Time.UnmarshalQueryParameter, then ConvertToHumanReadableDateType. */
function age(text: string, now: number): string {
  if (text === '' || text === 'null') return '<unknown>';
  const ms = parseRfc3339(text);
  if (ms === undefined) return '<invalid>';
  return ms === GO_ZERO_TIME_MS ? '<unknown>' : shortHumanDuration(now - ms);
}
