import { type Clock, systemClock } from './clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

/** What a queue reports as it moves; metrics.ts provides one backed by Prometheus. */
export interface WorkQueueMetrics {
  /** A key became due for processing (an add that was not already pending). */
  added(): void;
  /** A key was scheduled for a later retry. */
  retried(): void;
  /** Keys due for processing, including those waiting for their current run to end. */
  depth(keys: number): void;
}

export interface WorkQueueOptions {
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: WorkQueueMetrics;
}

interface Delayed {
  readonly readyAt: number;
  readonly cancel: () => void;
}

/**
 * client-go's rate-limited work queue of keys. A key queued while it waits is held once; a key is handed to
 * one worker at a time, and one added while it is processed is queued again when that worker calls `done`.
 * After shutdown, adds are ignored and `get` resolves undefined; keys still queued are dropped, since
 * reconciliation is level-triggered and the next start lists everything again.
 */
export class WorkQueue {
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #metrics: WorkQueueMetrics | undefined;
  /** Keys ready to hand out, in insertion order; always a subset of #dirty. */
  readonly #queue = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #getters: ((key: string | undefined) => void)[] = [];
  readonly #drained: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter(this.#clock);
    this.#metrics = options.metrics;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    this.#metrics?.added();
    this.#reportDepth();
    if (this.#processing.has(key)) return;
    this.#queue.add(key);
    this.#dispatch();
  }

  /** Adds `key` after `ms`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    this.#metrics?.retried();
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.#clock.now() + ms;
    const pending = this.#delayed.get(key);
    if (pending !== undefined && pending.readyAt <= readyAt) return;
    pending?.cancel();
    const cancel = this.#clock.after(ms, () => {
      this.#delayed.delete(key);
      this.add(key);
    });
    this.#delayed.set(key, { readyAt, cancel });
  }

  /** Adds `key` after the rate limiter's delay for it: its own backoff or the global bucket, whichever is longer. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Clears `key`'s backoff; call it when the key was processed successfully. */
  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  /** The next key, marked as being processed until `done`; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#getters.push(resolve);
      this.#dispatch();
    });
  }

  done(key: string): void {
    if (!this.#processing.delete(key)) return;
    if (this.#shuttingDown) {
      if (this.#processing.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
      return;
    }
    if (this.#dirty.has(key)) {
      this.#queue.add(key);
      this.#dispatch();
    }
  }

  /** Keys ready to be handed out now (not those waiting on a delay or on their current run). */
  len(): number {
    return this.#queue.size;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const { cancel } of this.#delayed.values()) cancel();
    this.#delayed.clear();
    this.#queue.clear();
    this.#dirty.clear();
    this.#reportDepth();
    for (const resolve of this.#getters.splice(0)) resolve(undefined);
  }

  /** Shuts down, then resolves once every key handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #dispatch(): void {
    while (this.#getters.length > 0 && this.#queue.size > 0) {
      const key = this.#queue.values().next().value as string;
      this.#queue.delete(key);
      this.#dirty.delete(key);
      this.#processing.add(key);
      this.#reportDepth();
      this.#getters.shift()?.(key);
    }
  }

  #reportDepth(): void {
    this.#metrics?.depth(this.#dirty.size);
  }
}
