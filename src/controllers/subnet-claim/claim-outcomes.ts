import type { AllocationFailure } from './allocation-plan.ts';

/**
 * Why the allocator last found no block for a claim, by claim uid: what the claim controller reports as the
 * claim's status. Held in memory only, since it follows from the record and is worked out again after a restart.
 */
export class ClaimOutcomes {
  readonly #failures = new Map<string, AllocationFailure>();

  get(uid: string): AllocationFailure | undefined {
    return this.#failures.get(uid);
  }

  /** Whether this changed what the claim controller would report. */
  set(uid: string, failure: AllocationFailure): boolean {
    const previous = this.#failures.get(uid);
    this.#failures.set(uid, failure);
    return previous?.reason !== failure.reason || previous.message !== failure.message;
  }

  delete(uid: string): void {
    this.#failures.delete(uid);
  }
}
