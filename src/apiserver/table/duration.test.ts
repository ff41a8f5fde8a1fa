// Proves ages print as apimachinery's duration package prints them, at every unit boundary (its own test table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { humanDuration, shortHumanDuration } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('ShortHumanDuration boundaries', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-2 * S + 0.000001, '0s'],
    [-1999, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [S, '1s'],
    [2 * S - 1, '1s'],
    [M - 1, '59s'],
    [M, '1m'],
    [2 * M - 1, '1m'],
    [H - 1, '59m'],
    [H, '1h'],
    [2 * H - 1, '1h'],
    [D - 1, '23h'],
    [D, '1d'],
    [2 * D - 1, '1d'],
    [Y - 1, '364d'],
    [Y, '1y'],
    [2 * Y - 1, '1y'],
    [2 * Y, '2y'],
  ];
  for (const [ms, want] of cases) assert.equal(shortHumanDuration(ms), want, `${ms}ms`);
});

test('HumanDuration boundaries', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-2 * S + 0.000001, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [S, '1s'],
    [70 * S, '70s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [190 * S, '3m10s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [70 * M, '70m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [47 * H, '47h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [49 * H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [367 * D, '367d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 23 * H + 59 * M, '2y'],
    [2 * Y + D - 1, '2y'],
    [2 * Y + D, '2y1d'],
    [2 * Y + 25 * H, '2y1d'],
    [3 * Y, '3y'],
    [7 * Y, '7y'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 364 * D, '8y'],
    [9 * Y, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

const UNITS: Record<string, number> = { s: S, m: M, h: H, d: D, y: Y };

/** The shortest span a printed duration stands for, e.g. `2d1h` → 49 hours. */
function lowerBound(printed: string): number {
  let total = 0;
  for (const [, n, unit] of printed.matchAll(/(\d+)([smhdy])/g))
    total += Number(n) * (UNITS[unit as string] ?? 0);
  return total;
}

test('a printed age never overstates the elapsed time, and understates it by less than one printed unit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20 * Y }), (ms) => {
      for (const print of [shortHumanDuration, humanDuration]) {
        const printed = print(ms);
        const smallest = UNITS[printed.at(-1) as string] ?? 0;
        assert.ok(lowerBound(printed) <= ms, `${printed} <= ${ms}ms`);
        assert.ok(ms - lowerBound(printed) < smallest, `${printed} is within one unit of ${ms}ms`);
      }
    }),
  );
});
