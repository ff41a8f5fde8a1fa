import type { Clock } from './clock.ts';

/** How long a key waits before its next retry (client-go's workqueue.TypedRateLimiter). */
export interface RateLimiter {
  /** The delay in ms for this retry of `key`; each call counts as one retry. */
  when(key: string): number;
  /** Forgets `key`'s failures: its next retry waits as if it had never failed. */
  forget(key: string): void;
  numRequeues(key: string): number;
}

/** Per-key exponential backoff: base·2^failures, capped (client-go's ItemExponentialFailureRateLimiter). */
export class ItemExponentialRateLimiter implements RateLimiter {
  readonly #failures = new Map<string, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1_000_000,
  ) {}

  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2^64 already exceeds any cap; stopping the exponent there keeps the product finite.
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(failures, 64));
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * A global token bucket shared by all keys: `burst` retries at once, then `qps` a second; a retry beyond the
 * bucket reserves a future token and waits for it (golang.org/x/time/rate's Reserve().Delay()).
 */
export class BucketRateLimiter implements RateLimiter {
  #tokens: number;
  #last: number;

  constructor(
    private readonly clock: Clock,
    readonly qps = 10,
    readonly burst = 100,
  ) {
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_key: string): number {
    const now = this.clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + (Math.max(0, now - this.#last) * this.qps) / 1000);
    this.#last = Math.max(this.#last, now);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens * 1000) / this.qps);
  }

  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}

/** The longest delay of several limiters; every limiter counts every retry (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.#limiters.map((limiter) => limiter.when(key)));
  }

  forget(key: string): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(0, ...this.#limiters.map((limiter) => limiter.numRequeues(key)));
  }
}

/** client-go's DefaultControllerRateLimiter: 5 ms → 1000 s per key, and 10 qps with a burst of 100 overall. */
export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialRateLimiter(5, 1_000_000),
    new BucketRateLimiter(clock, 10, 100),
  );
}
