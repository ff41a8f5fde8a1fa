import { humanDuration } from './duration.ts';

const DAY_MS = 86_400_000;
// Go's time.Parse takes a one- or two-digit hour even in the RFC 3339 layout, and a comma before fractions.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The instant of Go's zero time.Time (0001-01-01T00:00:00Z), which metav1.Time.IsZero reports. */
export const GO_ZERO_TIME_MS = daysFromCivil(1, 1, 1) * DAY_MS;

/** Go's time.Parse(time.RFC3339, text) in (possibly fractional) milliseconds since the epoch; undefined where Go errs. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (offsetHours > 24 || offsetMinutes > 60) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7].slice(0, 9)}`) * 1000;
  const local = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  return local + fraction - offset;
}

/** A metav1.Time or MicroTime field of a decoded object: undefined when absent, null, unparsable or zero. */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = parseRfc3339(value);
  return ms === undefined || ms === GO_ZERO_TIME_MS ? undefined : ms;
}

/** The built-in printers' translateTimestampSince: `<unknown>` for a zero time, else HumanDuration until now. */
export function translateTimestampSince(value: unknown, now: number): string {
  const ms = instantOf(value);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Howard Hinnant's days_from_civil: Date.UTC maps years 0–99 to 1900–1999, so it cannot be used here.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
