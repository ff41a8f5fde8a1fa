// A clock that moves only when a test says so; timers fire in due order, each followed by a settle of promises.
import type { Clock } from '../clock.ts';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fire: () => void;
}

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fire: () => void): () => void {
    const timer: Timer = { due: this.#now + Math.max(0, ms), seq: this.#seq++, fire };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting promise chains settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let next = this.#next(target); next !== undefined; next = this.#next(target)) {
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.fire();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Advances in steps of `step` ms until `until()` holds or `limit` ms have passed; returns whether it held. */
  async advanceUntil(until: () => boolean, limit: number, step = 100): Promise<boolean> {
    for (let waited = 0; !until(); waited += step) {
      if (waited >= limit) return false;
      await this.advance(step);
    }
    return true;
  }

  #next(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.due > target) continue;
      if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq))
        best = timer;
    }
    return best;
  }
}

/** Lets every promise chain that does not wait on a timer or real I/O run to its end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
