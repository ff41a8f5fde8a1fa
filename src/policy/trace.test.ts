// Proves a trace explains each step (route, isolation, every rule's ports and peers) and agrees with evaluateFlow.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicies } from './compile.ts';
import { evaluateFlow } from './evaluate.ts';
import { inputs, network, policy, workload } from './testing/builders.ts';
import { formatTrace, type Trace, traceFlow } from './trace.ts';
import type { Flow } from './verdict.ts';

const compiled = compilePolicies(
  inputs({
    networks: [
      network('app/net', ['10.1.0.0/16'], { 'hub/net': 'Active' }),
      network('hub/net', ['10.0.0.0/16'], { 'app/net': 'Active', 'data/net': 'Active' }),
      network('data/net', ['10.2.0.0/16'], { 'hub/net': 'Active' }),
    ],
    workloads: [
      workload(
        'app/web',
        { tier: 'web' },
        [{ network: 'net', address: '10.1.0.5' }],
        [{ name: 'http', port: 8080 }],
      ),
      workload('app/worker', { tier: 'worker' }, [{ network: 'net', address: '10.1.0.6' }]),
      workload('hub/dns', { tier: 'dns' }, [{ network: 'net', address: '10.0.0.53' }]),
      workload('data/db', { tier: 'db' }, [{ network: 'net', address: '10.2.0.5' }]),
    ],
    policies: [
      policy('app/web-in', {
        podSelector: { matchLabels: { tier: 'web' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { tier: 'lb' } } }], ports: [{ port: 'http' }] },
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/16'] } }],
            ports: [{ port: 9000, endPort: 9100 }],
          },
        ],
      }),
      policy('app/deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      policy('app/worker-out', {
        podSelector: { matchLabels: { tier: 'worker' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { tier: 'web' } } }] }],
      }),
    ],
  }),
);

const flow = (from: string, to: string, port: number): Flow => ({
  from: from.includes('/') ? { workload: from } : { address: from },
  to: to.includes('/') ? { workload: to } : { address: to },
  port,
});

const lines = (trace: Trace) =>
  trace.steps.map((step) => `${step.stage}/${step.depth}/${step.outcome}: ${step.message}`);
const has = (trace: Trace, pattern: RegExp) =>
  assert.ok(
    lines(trace).some((line) => pattern.test(line)),
    `${pattern} in\n${lines(trace).join('\n')}`,
  );

describe('traceFlow', () => {
  test('the allowing rule, peer and port are named; a denial shows each rule’s ports and peers', () => {
    const trace = traceFlow(compiled, flow('app/worker', 'app/web', 9050));
    assert.equal(trace.verdict.reason, 'Allowed', 'worker (10.1.0.6) is in 10/8 and outside 10.0.0.0/16');
    has(trace, /^Ingress\/0\/Pass: allowed by app\/web-in ingress\[1\] from\[0\] ports\[0\]$/);
    has(
      trace,
      /^Ingress\/2\/Pass: from\[0\] \(ipBlock 10\.0\.0\.0\/8 except 10\.0\.0\.0\/16\) matches app\/worker$/,
    );
    has(
      trace,
      /^Verdict\/0\/Pass: allowed: egress allowed by app\/worker-out egress\[0\] to\[0\]; ingress allowed by app\/web-in ingress\[1\] from\[0\] ports\[0\]$/,
    );
    has(trace, /^Verdict\/1\/Info: replies on this connection are allowed: policy is stateful$/);
    const fromWorker = traceFlow(compiled, flow('app/worker', 'app/web', 8080));
    assert.equal(fromWorker.verdict.allowed, false, 'worker is not an lb');
    has(fromWorker, /^Egress\/0\/Pass: allowed by app\/worker-out egress\[0\] to\[0\]$/);
    has(fromWorker, /^Ingress\/0\/Fail: denied: app\/web is isolated for ingress/);
    has(fromWorker, /^Ingress\/2\/Pass: ports\[0\] TCP\/http \(8080 on app\/web\) admits TCP\/8080$/);
    has(
      fromWorker,
      /^Ingress\/2\/Fail: from\[0\] \(workloads tier=lb in namespace app\) does not match: app\/worker is not among them$/,
    );
    has(fromWorker, /^Ingress\/2\/Fail: ports: none of TCP\/9000-9100 admits TCP\/8080$/);
  });

  test('an address: ipBlock and its except block are explained', () => {
    const inside = traceFlow(compiled, flow('10.7.0.1', 'app/web', 9000));
    assert.equal(inside.verdict.allowed, true, 'in 10/8, outside the except');
    has(inside, /^Ingress\/0\/Pass: allowed by app\/web-in ingress\[1\] from\[0\] ports\[0\]$/);
    has(inside, /^Reachability\/0\/Pass: 10\.7\.0\.1 is outside every workload/);
    has(inside, /^Verdict\/1\/Info: replies on this connection are allowed/);
    const excepted = traceFlow(compiled, flow('10.0.3.3', 'app/web', 9000));
    has(excepted, /does not match: 10\.0\.3\.3 is in the except block 10\.0\.0\.0\/16$/);
    const outside = traceFlow(compiled, flow('192.168.1.1', 'app/web', 9000));
    has(outside, /does not match: 192\.168\.1\.1 is outside 10\.0\.0\.0\/8$/);
    has(
      outside,
      /from\[0\] \(workloads tier=lb in namespace app\) does not match: an address outside every workload is never selected by labels/,
    );
  });

  test('a policy with no rules for the direction only isolates; not-isolated names the other selections', () => {
    const trace = traceFlow(compiled, flow('app/web', 'hub/dns', 53));
    assert.equal(trace.verdict.allowed, false, 'app/deny-egress');
    has(trace, /^Egress\/1\/Fail: app\/deny-egress has no egress rules: it only isolates$/);
    has(trace, /^Egress\/1\/Info: app\/web is isolated for egress by app\/deny-egress$/);
    const intoWeb = traceFlow(compiled, flow('hub/dns', 'app/worker', 53));
    has(
      intoWeb,
      /^Ingress\/0\/Pass: app\/worker is not isolated for ingress: no policy selecting it has policyType Ingress; it is selected by app\/deny-egress \(Egress\), app\/worker-out \(Egress\)$/,
    );
  });

  test('unreachable: the peering state of each pair and the hub that is not a transit', () => {
    const trace = traceFlow(compiled, flow('data/db', 'app/web', 8080));
    has(
      trace,
      /^Reachability\/0\/Fail: no shared network and no Active direct peering between data\/db and app\/web$/,
    );
    has(trace, /^Reachability\/1\/Fail: data\/net ↔ app\/net: peering None/);
    has(trace, /^Reachability\/2\/Info: both peer with hub\/net, but peering is not transitive/);
    assert.equal(trace.steps.at(-1)?.stage, 'Verdict', 'the verdict ends the trace');
  });

  test('self and invalid flows end at once', () => {
    assert.equal(
      traceFlow(compiled, flow('app/web', 'app/web', 1)).summary,
      'allowed: a workload can always reach itself; policy never blocks it',
      'self',
    );
    const invalid = traceFlow(compiled, flow('app/nope', 'app/web', 1));
    assert.match(invalid.summary, /^invalid flow: workload app\/nope does not exist$/, 'unknown');
  });

  test('the verdict is evaluateFlow’s, and every stage opens with its conclusion', () => {
    for (const [from, to, port] of [
      ['app/worker', 'app/web', 8080],
      ['10.7.0.1', 'app/web', 9000],
      ['data/db', 'app/web', 80],
      ['app/web', '8.8.8.8', 53],
      ['hub/dns', 'data/db', 5432],
    ] as const) {
      const f = flow(from, to, port);
      const trace = traceFlow(compiled, f);
      assert.deepEqual(trace.verdict, evaluateFlow(compiled, f), `${from} → ${to}`);
      let stage = '';
      for (const step of trace.steps) {
        if (step.stage !== stage) assert.equal(step.depth, 0, `${step.stage} opens with its conclusion`);
        stage = step.stage;
      }
      assert.deepEqual(
        JSON.parse(JSON.stringify(trace)).steps,
        trace.steps,
        'a trace is plain JSON (-o json)',
      );
      const text = formatTrace(trace);
      assert.equal(text.split('\n').length, trace.steps.length, 'one line a step');
      assert.match(text, /^· Flow: TCP\//, 'the flow first');
    }
  });
});
