/**
 * A small form of Kubernetes' API Priority and Fairness: at most `seats` requests are served at once, and a
 * freed seat goes to the oldest waiting request of the highest priority level. nso up gives its own operator
 * the higher level, as kube-apiserver's default FlowSchemas put kube-controller-manager in workload-high and
 * everyone else in global-default: when clients create objects faster than the server can also finish them,
 * the clients wait at the door instead of the operator's work piling up behind theirs.
 */
export class PriorityGate {
  readonly #waiting: (() => void)[][];
  #busy = 0;

  /** `levels` priority levels, 0 the highest. */
  constructor(
    readonly seats: number,
    levels = 2,
  ) {
    if (!Number.isInteger(seats) || seats < 1)
      throw new RangeError(`seats must be a positive integer: ${seats}`);
    this.#waiting = Array.from({ length: levels }, () => []);
  }

  /** Requests being served. */
  get busy(): number {
    return this.#busy;
  }

  /** Requests waiting, per level. */
  get waiting(): readonly number[] {
    return this.#waiting.map((queue) => queue.length);
  }

  /** Resolves with the function that gives the seat back (idempotent) once the request has one. */
  async enter(level: number): Promise<() => void> {
    const queue = this.#waiting[Math.min(Math.max(level, 0), this.#waiting.length - 1)]!;
    if (this.#busy < this.seats && this.#waiting.every((q) => q.length === 0)) {
      this.#busy++;
    } else {
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#next();
    };
  }

  #next(): void {
    const queue = this.#waiting.find((q) => q.length > 0);
    // The seat passes straight to the next request, so #busy is unchanged.
    if (queue !== undefined) queue.shift()!();
    else this.#busy--;
  }
}
