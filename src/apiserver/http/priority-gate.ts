/**
 * A small form of Kubernetes' API Priority and Fairness: at most `seats` requests are served at once, each
 * priority level at most its own share of them, and a freed seat goes to the oldest waiting request of the
 * highest level that may take it. nso up gives its own operator the higher level, as kube-apiserver's
 * default FlowSchemas put kube-controller-manager in workload-high and everyone else in global-default, and
 * caps the default level below the total: when clients create objects faster than the server can also
 * finish them, the clients wait at the door instead of the operator's work piling up behind theirs.
 */
export class PriorityGate {
  readonly #waiting: (() => void)[][];
  readonly #busy: number[];
  readonly #limits: readonly number[];
  #total = 0;

  /**
   * `limits[level]` caps each level's seats (level 0 the highest); a level without a limit may take them
   * all. `levels` is at least the number of limits, and 2 by default.
   */
  constructor(
    readonly seats: number,
    limits: readonly number[] = [],
    levels = Math.max(2, limits.length),
  ) {
    if (!Number.isInteger(seats) || seats < 1)
      throw new RangeError(`seats must be a positive integer: ${seats}`);
    this.#waiting = Array.from({ length: levels }, () => []);
    this.#busy = Array.from({ length: levels }, () => 0);
    this.#limits = Array.from({ length: levels }, (_, level) => Math.min(seats, limits[level] ?? seats));
  }

  /** Requests being served. */
  get busy(): number {
    return this.#total;
  }

  /** Requests waiting, per level. */
  get waiting(): readonly number[] {
    return this.#waiting.map((queue) => queue.length);
  }

  /** Resolves with the function that gives the seat back (idempotent) once the request has one. */
  async enter(level: number): Promise<() => void> {
    const at = Math.min(Math.max(level, 0), this.#waiting.length - 1);
    // A newcomer never overtakes a request waiting at its own level or above.
    const ahead = this.#waiting.slice(0, at + 1).some((queue) => queue.length > 0);
    if (!ahead && this.#mayTake(at)) this.#take(at);
    else await new Promise<void>((resolve) => this.#waiting[at]!.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#busy[at]!--;
      this.#total--;
      this.#next();
    };
  }

  #mayTake(level: number): boolean {
    return this.#total < this.seats && this.#busy[level]! < this.#limits[level]!;
  }

  #take(level: number): void {
    this.#busy[level]!++;
    this.#total++;
  }

  /** Hands freed seats to waiting requests, highest level first, as far as each level's share allows. */
  #next(): void {
    for (let level = 0; level < this.#waiting.length && this.#total < this.seats; level++) {
      const queue = this.#waiting[level]!;
      while (queue.length > 0 && this.#mayTake(level)) {
        this.#take(level);
        queue.shift()!();
      }
    }
  }
}
