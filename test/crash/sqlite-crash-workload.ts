import { Buffer } from 'node:buffer';

/** The crash test's workload, shared by the parent and the child it kills. */
export const TOTAL_KEYS = 5_000;
export const WRITERS = 16;

export function crashKey(index: number): string {
  return `/crash/${String(index).padStart(5, '0')}`;
}

/** About 1 KiB, different for every key, so a value read back proves which write it came from. */
export function crashValue(index: number): Uint8Array {
  return new Uint8Array(Buffer.alloc(1024, `${index};`));
}
