import { Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { IP_FAMILIES } from '../../api/common.ts';
import type { WorkQueueMetrics } from './workqueue.ts';

export const RECONCILE_RESULTS = ['success', 'requeue', 'error', 'terminal_error'] as const;
export type ReconcileResult = (typeof RECONCILE_RESULTS)[number];

export const ALLOCATION_KINDS = ['subnet', 'address'] as const;
export type AllocationKind = (typeof ALLOCATION_KINDS)[number];

/** allocated/released: committed; conflict: lost a compare-and-swap and retried; exhausted: no room. */
export const ALLOCATION_OUTCOMES = ['allocated', 'released', 'conflict', 'exhausted'] as const;
export type AllocationOutcome = (typeof ALLOCATION_OUTCOMES)[number];

export type IPFamily = (typeof IP_FAMILIES)[number];

export interface MetricsText {
  readonly contentType: string;
  readonly text: string;
}

/**
 * The operator's Prometheus metrics in a registry of their own, so several operators in one process (tests,
 * `nso up`) never share or clash over series.
 */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly #reconcileDuration = new Histogram({
    name: 'nso_reconcile_duration_seconds',
    help: 'How long reconciles took, by controller and result.',
    labelNames: ['controller', 'result'] as const,
    buckets: exponentialBuckets(0.001, 2, 17),
    registers: [this.registry],
  });
  readonly #reconcileErrors = new Counter({
    name: 'nso_reconcile_errors_total',
    help: 'Reconciles that failed, by controller and result (error retries with backoff; terminal_error waits for a change).',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly #queueDepth = new Gauge({
    name: 'nso_workqueue_depth',
    help: 'Keys waiting to be reconciled, by queue.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly #queueAdds = new Counter({
    name: 'nso_workqueue_adds_total',
    help: 'Keys added to a work queue, by queue.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly #queueRetries = new Counter({
    name: 'nso_workqueue_retries_total',
    help: 'Keys scheduled for a later retry, by queue.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly #allocations = new Counter({
    name: 'nso_ipam_allocations_total',
    help: 'IPAM allocation attempts by kind (subnet, address) and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #utilization = new Gauge({
    name: 'nso_ipam_utilization_ratio',
    help: 'Allocated share of a network’s address space, by network and family (0 to 1).',
    labelNames: ['namespace', 'network', 'family'] as const,
    registers: [this.registry],
  });

  /** Hooks for the work queue `name` (the controller's name). */
  workQueue(name: string): WorkQueueMetrics {
    return {
      added: () => this.#queueAdds.inc({ name }),
      retried: () => this.#queueRetries.inc({ name }),
      depth: (keys) => this.#queueDepth.set({ name }, keys),
    };
  }

  reconciled(controller: string, result: ReconcileResult, seconds: number): void {
    this.#reconcileDuration.observe({ controller, result }, seconds);
    if (result === 'error' || result === 'terminal_error') this.#reconcileErrors.inc({ controller, result });
  }

  allocation(kind: AllocationKind, outcome: AllocationOutcome, count = 1): void {
    this.#allocations.inc({ kind, outcome }, count);
  }

  /** How many allocation attempts of `kind` ended in `outcome` so far. */
  async allocations(kind: AllocationKind, outcome: AllocationOutcome): Promise<number> {
    const { values } = await this.#allocations.get();
    return values
      .filter((value) => value.labels.kind === kind && value.labels.outcome === outcome)
      .reduce((sum, value) => sum + value.value, 0);
  }

  utilization(namespace: string, network: string, family: IPFamily, ratio: number): void {
    this.#utilization.set({ namespace, network, family }, ratio);
  }

  /** Drops a deleted network's series so it stops being exported. */
  forgetNetwork(namespace: string, network: string): void {
    for (const family of ['IPv4', 'IPv6'] as const) this.#utilization.remove({ namespace, network, family });
  }

  /** The text exposition for GET /metrics and the Content-Type to serve it with. */
  async metricsText(): Promise<MetricsText> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
