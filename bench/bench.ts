/** A benchmark: a name such as ipam.v4.fill24 and figures keyed camelCase with the unit in the key. */
export interface Bench {
  readonly name: string;
  run(): Promise<Record<string, number>> | Record<string, number>;
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `sample` `times` times (after one warm-up) and returns the per-key medians. */
export function medianOf(times: number, sample: () => Record<string, number>): Record<string, number> {
  sample();
  const runs = Array.from({ length: times }, () => {
    gc();
    return sample();
  });
  return Object.fromEntries(
    Object.keys(runs[0]!).map((key) => [key, round(median(runs.map((run) => run[key]!)))]),
  );
}

export function round(value: number): number {
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

/** A deterministic pseudo-random sequence, so runs are comparable. */
export { seededRandom as random } from '../test/support/seeded-random.ts';

/** The p-th percentile (0 to 100) of values already sorted ascending; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
