/**
 * Work by key: a key queued while it waits runs once; a key never runs twice at the same time; a failure
 * retries with exponential backoff (10 ms doubling to 30 s).
 */
export class KeyedQueue {
  readonly #waiting = new Map<string, () => Promise<void>>();
  readonly #running = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  add(key: string, work: () => Promise<void>): void {
    if (this.#stopped) return;
    this.#waiting.set(key, work);
    this.#pump();
  }

  stop(): void {
    this.#stopped = true;
    this.#waiting.clear();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #pump(): void {
    for (const [key, work] of this.#waiting) {
      if (this.#running.size >= this.concurrency) return;
      if (this.#running.has(key)) continue;
      this.#waiting.delete(key);
      this.#running.add(key);
      work().then(
        () => {
          this.#failures.delete(key);
          this.#done(key);
        },
        (error: unknown) => {
          const failures = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, failures);
          this.onError(key, error);
          if (!this.#stopped) {
            const timer = setTimeout(
              () => {
                this.#timers.delete(timer);
                if (!this.#waiting.has(key)) this.add(key, work);
              },
              Math.min(30_000, 10 * 2 ** Math.min(failures, 12)),
            );
            this.#timers.add(timer);
          }
          this.#done(key);
        },
      );
    }
  }

  #done(key: string): void {
    this.#running.delete(key);
    this.#pump();
  }
}
