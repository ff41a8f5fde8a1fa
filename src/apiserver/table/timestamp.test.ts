// Proves timestamps parse as Go's time.Parse(time.RFC3339) and zero times read as unknown, as printers show them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GO_ZERO_TIME_MS, instantOf, parseRfc3339, translateTimestampSince } from './timestamp.ts';

test('RFC 3339 instants, offsets and fractions', () => {
  assert.equal(parseRfc3339('2024-01-01T00:00:00Z'), Date.UTC(2024, 0, 1), 'UTC');
  assert.equal(parseRfc3339('2024-01-01T02:00:00+02:00'), Date.UTC(2024, 0, 1), 'positive offset');
  assert.equal(parseRfc3339('2023-12-31T19:30:00-04:30'), Date.UTC(2024, 0, 1), 'negative offset');
  assert.equal(parseRfc3339('2024-01-01T00:00:05.000000Z'), Date.UTC(2024, 0, 1, 0, 0, 5), 'MicroTime');
  assert.equal(parseRfc3339('2024-01-01T00:00:00.25Z'), Date.UTC(2024, 0, 1) + 250, 'fraction');
  assert.equal(
    parseRfc3339('2024-01-01T00:00:00,5Z'),
    Date.UTC(2024, 0, 1) + 500,
    'comma before the fraction',
  );
  assert.equal(parseRfc3339('2024-01-01T1:00:00Z'), Date.UTC(2024, 0, 1, 1), 'one-digit hour, as Go accepts');
  assert.equal(parseRfc3339('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29), 'leap day');
  assert.equal(parseRfc3339('0001-01-01T00:00:00Z'), GO_ZERO_TIME_MS, "Go's zero time");
  assert.equal(GO_ZERO_TIME_MS, -62135596800000, 'year 1 is not year 1901');
});

test('what Go refuses to parse', () => {
  for (const text of [
    '',
    '2024-01-01',
    '2024-01-01 00:00:00Z',
    '2024-01-01t00:00:00Z',
    '2024-01-01T00:00:00z',
    '2024-01-01T00:00:00',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:60:00Z',
    '2024-01-01T00:00:60Z',
    '2024-01-01T00:00:00.Z',
    '2024-01-01T00:00:00+0200',
    '2024-01-01T00:00:00Zjunk',
    'Mon, 01 Jan 2024 00:00:00 GMT',
  ]) {
    assert.equal(parseRfc3339(text), undefined, text);
  }
});

test('printers read absent, null, zero and unparsable times as <unknown>', () => {
  const now = Date.UTC(2024, 0, 1, 1);
  assert.equal(translateTimestampSince('2024-01-01T00:00:00Z', now), '60m', 'HumanDuration');
  for (const value of [undefined, null, '', '0001-01-01T00:00:00Z', 'yesterday', 42]) {
    assert.equal(translateTimestampSince(value, now), '<unknown>', String(value));
    assert.equal(instantOf(value), undefined, String(value));
  }
});
