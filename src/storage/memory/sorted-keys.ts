import { compareKeys } from '../key-order.ts';

const MAX_CHUNK = 512;

/** A set of keys in key order, in chunks so that an insert or delete moves at most one chunk. */
export class SortedKeys {
  readonly #chunks: string[][] = [];

  /** Adds a key that is not in the set. */
  insert(key: string): void {
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      return;
    }
    const c = Math.min(this.#chunkFor(key), this.#chunks.length - 1);
    const chunk = this.#chunks[c]!;
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > MAX_CHUNK) this.#chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  /** Removes a key that is in the set. */
  delete(key: string): void {
    const c = this.#chunkFor(key);
    const chunk = this.#chunks[c];
    const i = chunk ? lowerBound(chunk, key) : -1;
    if (!chunk || chunk[i] !== key) throw new Error(`sorted keys: ${key} is not in the set`);
    chunk.splice(i, 1);
    if (chunk.length === 0) this.#chunks.splice(c, 1);
  }

  /** Visits keys in order from `start` (exclusive or not) until `visit` returns false. */
  scan(start: string, exclusive: boolean, visit: (key: string) => boolean): void {
    const bound = exclusive ? upperBound : lowerBound;
    const first = this.#chunkFor(start);
    for (let c = first; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      for (let i = c === first ? bound(chunk, start) : 0; i < chunk.length; i++) {
        if (!visit(chunk[i]!)) return;
      }
    }
  }

  /** The first chunk whose last key sorts at or after `key`; the chunk count if none does. */
  #chunkFor(key: string): number {
    let low = 0;
    let high = this.#chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const chunk = this.#chunks[mid]!;
      if (compareKeys(chunk[chunk.length - 1]!, key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(keys[mid]!, key) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function upperBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(keys[mid]!, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
