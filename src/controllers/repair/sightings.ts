/**
 * How many passes in a row each finding has been seen in. A pass that does not see a finding forgets it, so
 * a count only grows while the finding is seen without a break.
 */
export class Sightings {
  #counts = new Map<string, number>();

  /** Records one pass that saw `keys`; returns each one's count, this pass included. */
  pass(keys: Iterable<string>): ReadonlyMap<string, number> {
    const next = new Map<string, number>();
    for (const key of keys) next.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#counts = next;
    return new Map(next);
  }

  /** Starts `key` over, as if the last pass had not seen it. */
  forget(key: string): void {
    this.#counts.delete(key);
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
}
