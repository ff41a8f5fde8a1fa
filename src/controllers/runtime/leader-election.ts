import type { Logger } from '../../log/logger.ts';
import { type Clock, sleep, systemClock } from './clock.ts';

/** The fields of a coordination.k8s.io/v1 Lease's spec that leader election reads and writes. */
export interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  /** RFC 3339 to the microsecond, as metav1.MicroTime. */
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

export interface LeaseRecord {
  readonly spec: LeaseSpec;
  readonly resourceVersion: string;
}

/**
 * One Lease object. `create` fails if it exists; `update` replaces the spec only if the Lease is still at
 * `resourceVersion` and fails otherwise (409 Conflict). Any failure just means "not this round".
 */
export interface LeaseStore {
  get(): Promise<LeaseRecord | undefined>;
  create(spec: LeaseSpec): Promise<LeaseRecord>;
  update(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord>;
}

export interface LeaderCallbacks {
  /** Runs while this process leads; `signal` aborts when it stops leading. Its promise is awaited before the lease is released. */
  onStartedLeading(signal: AbortSignal): unknown;
  onStoppedLeading?(): void;
  /** A new holder was observed (this process included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionOptions {
  readonly store: LeaseStore;
  readonly identity: string;
  readonly callbacks: LeaderCallbacks;
  /** How long others wait after the last change they saw before taking the lease; 15 s unless given. */
  readonly leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it stops leading; 10 s unless given. */
  readonly renewDeadlineMs?: number;
  /** The wait between attempts; 2 s unless given. */
  readonly retryPeriodMs?: number;
  /** Give the lease up when stopped, so another candidate takes over at once; true unless given. */
  readonly releaseOnCancel?: boolean;
  readonly clock?: Clock;
  /** A number in [0, 1) for jitter between acquire attempts. */
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** client-go's JitterFactor: acquire attempts are retryPeriod apart plus up to 1.2 retryPeriods of jitter. */
const JITTER_FACTOR = 1.2;

/**
 * client-go's LeaderElector over a Lease. A lease is expired when its record has not changed for its
 * leaseDurationSeconds as measured by this process's clock since it saw the change, never by comparing
 * renewTime with local time, so clock skew between candidates does not matter.
 */
export class LeaderElector {
  readonly identity: string;
  readonly #store: LeaseStore;
  readonly #callbacks: LeaderCallbacks;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #releaseOnCancel: boolean;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;
  #observed: LeaseRecord | undefined;
  #observedTime = 0;
  #reportedLeader = '';
  #leading = false;
  #running = false;

  constructor(options: LeaderElectionOptions) {
    this.identity = options.identity;
    this.#store = options.store;
    this.#callbacks = options.callbacks;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.#releaseOnCancel = options.releaseOnCancel ?? true;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger?.child({ identity: options.identity });
    if (this.identity === '') throw new Error('leader election needs a non-empty identity');
    if (this.#retryPeriodMs <= 0) throw new Error('retryPeriod must be greater than zero');
    if (this.#leaseDurationMs <= this.#renewDeadlineMs)
      throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.#renewDeadlineMs <= JITTER_FACTOR * this.#retryPeriodMs)
      throw new Error(`renewDeadline must be greater than retryPeriod*${JITTER_FACTOR}`);
  }

  /** Whether this process is leading now (between onStartedLeading and the abort of its signal). */
  get leading(): boolean {
    return this.#leading;
  }

  /** The holder of the lease as last observed; '' if none. */
  get leader(): string {
    return this.#observed?.spec.holderIdentity ?? '';
  }

  /**
   * Campaigns until it leads, leads until it cannot renew or `signal` aborts, then releases the lease if it
   * still holds it. Resolves when done; run again to campaign again.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error(`leader elector ${this.identity} is already running`);
    this.#running = true;
    try {
      if (!(await this.#acquire(signal))) return;
      if (signal.aborted) await this.#release();
      else await this.#lead(signal);
    } finally {
      this.#running = false;
    }
  }

  async #lead(signal: AbortSignal): Promise<void> {
    const leading = new AbortController();
    const forward = (): void => leading.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    this.#leading = true;
    this.#logger?.info('started leading');
    const work = (async () => {
      try {
        await this.#callbacks.onStartedLeading(leading.signal);
      } catch (error) {
        this.#logger?.error('leading work failed', { error });
      }
    })();
    try {
      await this.#renew(leading.signal);
    } finally {
      this.#leading = false;
      leading.abort(new Error('stopped leading'));
      signal.removeEventListener('abort', forward);
      this.#logger?.info('stopped leading');
      await work;
      await this.#release();
      this.#callbacks.onStoppedLeading?.();
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const acquired = await this.#tryAcquireOrRenew();
      this.#reportTransition();
      if (acquired) return true;
      const jitter = this.#random() * JITTER_FACTOR * this.#retryPeriodMs;
      await sleep(this.#clock, this.#retryPeriodMs + jitter, signal);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal did not succeed within renewDeadline, or on abort. */
  async #renew(signal: AbortSignal): Promise<void> {
    // Unlike client-go, the first renewal waits a retry period: the lease was written a moment ago.
    while (await sleep(this.#clock, this.#retryPeriodMs, signal)) {
      const deadline = this.#clock.now() + this.#renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted) {
        renewed = await this.#beforeDeadline(this.#tryAcquireOrRenew(), deadline);
        this.#reportTransition();
        if (renewed || this.#lostTo() !== undefined) break;
        if (this.#clock.now() + this.#retryPeriodMs > deadline) break;
        await sleep(this.#clock, this.#retryPeriodMs, signal);
      }
      if (signal.aborted) return;
      if (!renewed) {
        const holder = this.#lostTo();
        this.#logger?.warn('failed to renew the lease', holder === undefined ? {} : { holder });
        return;
      }
    }
  }

  /** A store call that has not answered by the deadline counts as a failure (client-go's renew timeout). */
  async #beforeDeadline(attempt: Promise<boolean>, deadline: number): Promise<boolean> {
    const timeout = new AbortController();
    try {
      return await Promise.race([
        attempt,
        sleep(this.#clock, deadline - this.#clock.now(), timeout.signal).then(() => false),
      ]);
    } finally {
      timeout.abort();
    }
  }

  /** The other holder if the lease was seen held by someone else: renewing can no longer succeed. */
  #lostTo(): string | undefined {
    const holder = this.leader;
    return holder !== '' && holder !== this.identity ? holder : undefined;
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = this.#clock.now();
    const desired: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.#leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    let current: LeaseRecord | undefined;
    try {
      current = await this.#store.get();
    } catch (error) {
      this.#logger?.warn('could not read the lease', { error });
      return false;
    }
    if (current === undefined) return this.#write(() => this.#store.create(desired));
    if (current.resourceVersion !== this.#observed?.resourceVersion) this.#observe(current);
    const holder = current.spec.holderIdentity ?? '';
    if (holder !== '' && holder !== this.identity && this.#leaseValid(now)) return false;
    const transitions = current.spec.leaseTransitions ?? 0;
    const next: LeaseSpec =
      holder === this.identity
        ? {
            ...desired,
            acquireTime: current.spec.acquireTime ?? microTime(now),
            leaseTransitions: transitions,
          }
        : { ...desired, leaseTransitions: transitions + 1 };
    return this.#write(() => this.#store.update(next, current.resourceVersion));
  }

  async #write(commit: () => Promise<LeaseRecord>): Promise<boolean> {
    try {
      this.#observe(await commit());
      return true;
    } catch (error) {
      this.#logger?.debug('lease write refused', { error });
      return false;
    }
  }

  /** Best effort, bounded by retryPeriod: a lease left held simply expires. */
  async #release(): Promise<void> {
    const observed = this.#observed;
    if (!this.#releaseOnCancel || observed === undefined || observed.spec.holderIdentity !== this.identity)
      return;
    const now = microTime(this.#clock.now());
    const released: LeaseSpec = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: observed.spec.leaseTransitions ?? 0,
    };
    const write = this.#write(() => this.#store.update(released, observed.resourceVersion));
    if (!(await this.#beforeDeadline(write, this.#clock.now() + this.#retryPeriodMs)))
      this.#logger?.warn('could not release the lease');
  }

  #observe(record: LeaseRecord): void {
    this.#observed = record;
    this.#observedTime = this.#clock.now();
  }

  #leaseValid(now: number): boolean {
    const seconds = this.#observed?.spec.leaseDurationSeconds ?? 0;
    return this.#observedTime + seconds * 1000 > now;
  }

  #reportTransition(): void {
    const holder = this.leader;
    if (holder === this.#reportedLeader) return;
    this.#reportedLeader = holder;
    if (holder !== '') this.#callbacks.onNewLeader?.(holder);
  }
}

/** metav1.MicroTime's wire form, e.g. 2025-01-01T00:00:00.000000Z. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
