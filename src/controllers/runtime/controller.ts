import type { Logger } from '../../log/logger.ts';
import { type Clock, systemClock } from './clock.ts';
import type { EventSource } from './event-source.ts';
import { byObjectKey, type KeyMapper } from './key-mappers.ts';
import type { OperatorMetrics, ReconcileResult } from './metrics.ts';
import type { ObjectLike } from './object-key.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { isTerminal } from './terminal-error.ts';
import { WorkQueue } from './workqueue.ts';

/** What a reconcile asks for next: nothing (done), a retry after `requeueAfter` ms, or a rate-limited retry. */
export interface Result {
  readonly requeueAfter?: number;
  readonly requeue?: boolean;
}

/** Brings the object named by `key` to its desired state; `signal` aborts when the controller stops. */
export type Reconcile = (key: string, signal: AbortSignal) => Promise<Result | undefined>;

export interface ControllerOptions {
  readonly name: string;
  readonly reconcile: Reconcile;
  /** Keys reconciled at once (each key by one worker at a time); 1 unless given. */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
  readonly metrics?: OperatorMetrics;
  readonly logger?: Logger;
}

/**
 * controller-runtime's controller: workers take keys from a rate-limited queue and reconcile them. Errors
 * retry with backoff, success forgets the key's backoff, a TerminalError waits for the next event. A
 * controller runs once: after `stop` make a new one.
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #reconcile: Reconcile;
  readonly #workers: number;
  readonly #clock: Clock;
  readonly #metrics: OperatorMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #abort = new AbortController();
  readonly #unsubscribe: (() => void)[] = [];
  #running: Promise<void>[] | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.#reconcile = options.reconcile;
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#clock = options.clock ?? systemClock;
    this.#metrics = options.metrics;
    this.#logger = options.logger?.child({ controller: options.name });
    this.queue = new WorkQueue({
      clock: this.#clock,
      ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics.workQueue(options.name) }),
    });
  }

  /** Enqueues the keys `toKeys` maps each add, update (old and new object) and delete to. */
  watch<T extends ObjectLike>(source: EventSource<T>, toKeys?: KeyMapper<T>): void;
  watch<T>(source: EventSource<T>, toKeys: KeyMapper<T>): void;
  watch<T>(source: EventSource<T>, toKeys: KeyMapper<T> = byObjectKey as KeyMapper<T>): void {
    const enqueue = (object: T): void => {
      for (const key of toKeys(object)) this.queue.add(key);
    };
    this.#unsubscribe.push(
      source.addEventHandler({
        onAdd: enqueue,
        onUpdate: (oldObject, newObject) => {
          enqueue(oldObject);
          enqueue(newObject);
        },
        onDelete: enqueue,
      }),
    );
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    if (this.queue.shuttingDown) throw new Error(`controller ${this.name} was stopped; create a new one`);
    if (this.#running !== undefined) return;
    this.#running = Array.from({ length: this.#workers }, () => this.#work());
  }

  /** Takes no more keys, aborts the signal given to running reconciles and waits for them to return. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Starts, and stops gracefully once `signal` aborts; resolves when stopped. */
  async run(signal: AbortSignal): Promise<void> {
    this.start();
    if (!signal.aborted)
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await this.stop();
  }

  async #stop(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.queue.shutDown();
    this.#abort.abort(new Error(`controller ${this.name} is stopping`));
    await Promise.all(this.#running ?? []);
  }

  async #work(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.#process(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #process(key: string): Promise<void> {
    const started = this.#clock.now();
    const signal = this.#abort.signal;
    let result: ReconcileResult;
    try {
      const next = await this.#reconcile(key, signal);
      result = this.#succeeded(key, next);
    } catch (error) {
      result = this.#failed(key, error, signal);
    }
    this.#metrics?.reconciled(this.name, result, Math.max(0, this.#clock.now() - started) / 1000);
  }

  #succeeded(key: string, next: Result | undefined): ReconcileResult {
    if (next?.requeueAfter !== undefined && next.requeueAfter > 0) {
      this.queue.forget(key);
      this.queue.addAfter(key, next.requeueAfter);
      return 'requeue';
    }
    if (next?.requeue) {
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    this.queue.forget(key);
    return 'success';
  }

  #failed(key: string, error: unknown, signal: AbortSignal): ReconcileResult {
    if (isTerminal(error)) {
      this.queue.forget(key);
      this.#logger?.warn('reconcile failed; waiting for a change', { key, error });
      return 'terminal_error';
    }
    if (signal.aborted) {
      this.#logger?.info('reconcile ended by stop', { key, error });
      return 'error';
    }
    this.queue.addRateLimited(key);
    this.#logger?.error('reconcile failed; will retry', {
      key,
      error,
      retries: this.queue.numRequeues(key),
    });
    return 'error';
  }
}
