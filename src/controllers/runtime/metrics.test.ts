// Proves the operator's metrics live in their own registry and expose what dashboards read: reconciles, queues, allocations, utilisation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { register } from 'prom-client';
import { OperatorMetrics } from './metrics.ts';

function line(text: string, series: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${series} `));
}

describe('OperatorMetrics', () => {
  test('uses its own registry, so two instances never clash and the global one stays empty', async () => {
    const first = new OperatorMetrics();
    const second = new OperatorMetrics();
    first.reconciled('subnet-claim', 'success', 0.002);
    assert.equal(register.getSingleMetric('nso_reconcile_duration_seconds'), undefined, 'nothing global');
    const { text } = await second.metricsText();
    assert.equal(
      line(text, 'nso_reconcile_duration_seconds_count{controller="subnet-claim",result="success"}'),
      undefined,
      'the second registry did not see the first one’s reconcile',
    );
  });

  test('serves the Prometheus text format with its content type', async () => {
    const metrics = new OperatorMetrics();
    const { contentType, text } = await metrics.metricsText();
    assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8', 'Prometheus text 0.0.4');
    assert.match(text, /# TYPE nso_reconcile_duration_seconds histogram/, 'histogram declared');
    assert.match(text, /# TYPE nso_workqueue_depth gauge/, 'depth declared');
  });

  test('counts reconciles by result and errors separately', async () => {
    const metrics = new OperatorMetrics();
    metrics.reconciled('network', 'success', 0.003);
    metrics.reconciled('network', 'error', 0.5);
    metrics.reconciled('network', 'terminal_error', 0.001);
    metrics.reconciled('network', 'error', 0.2);
    const { text } = await metrics.metricsText();
    assert.equal(
      line(text, 'nso_reconcile_duration_seconds_count{controller="network",result="error"}'),
      'nso_reconcile_duration_seconds_count{controller="network",result="error"} 2',
      'two timed errors',
    );
    assert.equal(
      line(text, 'nso_reconcile_duration_seconds_sum{controller="network",result="error"}'),
      'nso_reconcile_duration_seconds_sum{controller="network",result="error"} 0.7',
      'their durations add up',
    );
    assert.equal(
      line(text, 'nso_reconcile_errors_total{controller="network",result="error"}'),
      'nso_reconcile_errors_total{controller="network",result="error"} 2',
      'two transient errors',
    );
    assert.equal(
      line(text, 'nso_reconcile_errors_total{controller="network",result="terminal_error"}'),
      'nso_reconcile_errors_total{controller="network",result="terminal_error"} 1',
      'one terminal error',
    );
    assert.equal(
      line(text, 'nso_reconcile_errors_total{controller="network",result="success"}'),
      undefined,
      'success is not an error',
    );
  });

  test('work queue hooks set depth and count adds and retries per queue', async () => {
    const metrics = new OperatorMetrics();
    const hooks = metrics.workQueue('subnet');
    hooks.added();
    hooks.added();
    hooks.retried();
    hooks.depth(7);
    const { text } = await metrics.metricsText();
    assert.equal(
      line(text, 'nso_workqueue_adds_total{name="subnet"}'),
      'nso_workqueue_adds_total{name="subnet"} 2',
      'adds',
    );
    assert.equal(
      line(text, 'nso_workqueue_retries_total{name="subnet"}'),
      'nso_workqueue_retries_total{name="subnet"} 1',
      'retries',
    );
    assert.equal(
      line(text, 'nso_workqueue_depth{name="subnet"}'),
      'nso_workqueue_depth{name="subnet"} 7',
      'depth',
    );
  });

  test('records allocations by kind and outcome, and utilisation per network and family until forgotten', async () => {
    const metrics = new OperatorMetrics();
    metrics.allocation('subnet', 'allocated');
    metrics.allocation('subnet', 'conflict', 3);
    metrics.allocation('address', 'allocated');
    metrics.utilization('prod', 'app-network', 'IPv4', 0.75);
    metrics.utilization('prod', 'app-network', 'IPv6', 0.001);
    let { text } = await metrics.metricsText();
    assert.equal(
      line(text, 'nso_ipam_allocations_total{kind="subnet",outcome="conflict"}'),
      'nso_ipam_allocations_total{kind="subnet",outcome="conflict"} 3',
      'three conflicts',
    );
    assert.equal(
      line(text, 'nso_ipam_allocations_total{kind="address",outcome="allocated"}'),
      'nso_ipam_allocations_total{kind="address",outcome="allocated"} 1',
      'one address',
    );
    assert.equal(
      line(text, 'nso_ipam_utilization_ratio{namespace="prod",network="app-network",family="IPv4"}'),
      'nso_ipam_utilization_ratio{namespace="prod",network="app-network",family="IPv4"} 0.75',
      'IPv4 utilisation',
    );
    metrics.forgetNetwork('prod', 'app-network');
    metrics.forgetNetwork('prod', 'never-seen');
    ({ text } = await metrics.metricsText());
    assert.doesNotMatch(text, /nso_ipam_utilization_ratio\{/, 'a deleted network is no longer exported');
  });
});
