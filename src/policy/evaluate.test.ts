// Proves evaluateFlow's verdicts: what decided them, external addresses, routes, and refusals of bad flows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicies } from './compile.ts';
import { evaluateFlow } from './evaluate.ts';
import type { NetworkPolicyInput, Protocol } from './inputs.ts';
import { inputs, network, policy, workload } from './testing/builders.ts';
import type { Flow, Verdict } from './verdict.ts';

const shop = (policies: readonly NetworkPolicyInput[]) =>
  compilePolicies(
    inputs({
      networks: [network('shop/net', ['10.10.0.0/16', 'fd00:10::/64'])],
      workloads: [
        workload(
          'shop/web',
          { tier: 'web' },
          [{ network: 'net', address: '10.10.0.5' }],
          [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'stream', port: 7000, protocol: 'SCTP' },
          ],
        ),
        workload(
          'shop/db',
          { tier: 'db' },
          [{ network: 'net', address: '10.10.0.6' }],
          [{ name: 'pg', port: 5432 }],
        ),
        workload('shop/frontend', { tier: 'frontend' }, [{ network: 'net', address: '10.10.0.7' }]),
      ],
      policies,
    }),
  );

const between = (from: string, to: string, port: number, protocol: Protocol = 'TCP'): Flow => ({
  from: from.includes('/') ? { workload: from } : { address: from },
  to: to.includes('/') ? { workload: to } : { address: to },
  protocol,
  port,
});

const webIngress = (rules: NonNullable<NetworkPolicyInput['spec']['ingress']>, name = 'shop/web-in') =>
  policy(name, { podSelector: { matchLabels: { tier: 'web' } }, ingress: rules });

function policyVerdict(verdict: Verdict) {
  assert.ok('path' in verdict, `expected a policy verdict, got ${JSON.stringify(verdict)}`);
  return verdict;
}

describe('what decided a verdict', () => {
  test('the allowing rule, peer and port are named by index', () => {
    const compiled = shop([
      webIngress([
        { from: [{ podSelector: { matchLabels: { tier: 'db' } } }] },
        {
          from: [
            { podSelector: { matchLabels: { tier: 'other' } } },
            { podSelector: { matchLabels: { tier: 'frontend' } } },
          ],
          ports: [{ port: 9999 }, { port: 'http' }],
        },
      ]),
    ]);
    const verdict = policyVerdict(evaluateFlow(compiled, between('shop/frontend', 'shop/web', 8080)));
    assert.equal(verdict.reason, 'Allowed', 'an isolated side allowed it');
    assert.deepEqual(verdict.egress, { effect: 'NotIsolated' }, 'the frontend has no egress policy');
    assert.deepEqual(
      verdict.ingress,
      {
        effect: 'Allowed',
        isolatedBy: ['shop/web-in'],
        by: { policy: 'shop/web-in', direction: 'Ingress', rule: 1, peer: 1, port: 1 },
      },
      'ingress[1] from[1] ports[1]',
    );
    assert.deepEqual(
      verdict.path,
      {
        via: 'SameNetwork',
        from: { network: 'shop/net', address: '10.10.0.7' },
        to: { network: 'shop/net', address: '10.10.0.5' },
      },
      'one network',
    );
  });

  test('a rule without peers or ports allows with neither index', () => {
    const compiled = shop([webIngress([{}])]);
    const verdict = policyVerdict(evaluateFlow(compiled, between('shop/db', 'shop/web', 1)));
    assert.ok(verdict.ingress.effect === 'Allowed', 'allowed');
    assert.equal(verdict.ingress.by.peer, undefined, 'every peer');
    assert.equal(verdict.ingress.by.port, undefined, 'every port');
  });

  test('when several policies allow, the first by namespace/name decides, whatever the input order', () => {
    const a = webIngress([{}], 'shop/a-allow');
    const b = webIngress([{ ports: [{ port: 8080 }] }], 'shop/b-allow');
    for (const policies of [
      [a, b],
      [b, a],
    ]) {
      const verdict = policyVerdict(evaluateFlow(shop(policies), between('shop/db', 'shop/web', 8080)));
      assert.ok(verdict.ingress.effect === 'Allowed', 'allowed');
      assert.equal(verdict.ingress.by.policy, 'shop/a-allow', 'shop/a-allow sorts first');
      assert.deepEqual(verdict.ingress.isolatedBy, ['shop/a-allow', 'shop/b-allow'], 'both isolate');
    }
  });

  test('a denial names every isolating policy of the denying side', () => {
    const compiled = shop([
      policy('shop/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      webIngress([{ from: [{ podSelector: { matchLabels: { tier: 'db' } } }] }], 'shop/allow-db'),
    ]);
    const verdict = policyVerdict(evaluateFlow(compiled, between('shop/frontend', 'shop/web', 8080)));
    assert.equal(verdict.allowed, false, 'denied');
    assert.deepEqual(
      verdict.egress,
      { effect: 'Denied', isolatedBy: ['shop/deny-all'] },
      'egress of frontend',
    );
    assert.deepEqual(
      verdict.ingress,
      { effect: 'Denied', isolatedBy: ['shop/allow-db', 'shop/deny-all'] },
      'ingress of web',
    );
  });

  test('a workload can always reach itself', () => {
    const compiled = shop([policy('shop/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    assert.deepEqual(
      evaluateFlow(compiled, between('shop/web', 'shop/web', 8080)),
      { allowed: true, reason: 'Self' },
      'self',
    );
  });
});

describe('ports', () => {
  test('a named port resolves against the destination, by name and protocol', () => {
    const compiled = shop([
      webIngress([{ ports: [{ port: 'http' }, { protocol: 'SCTP', port: 'stream' }] }]),
    ]);
    const allowed = (port: number, protocol: Protocol = 'TCP') =>
      evaluateFlow(compiled, between('shop/db', 'shop/web', port, protocol)).allowed;
    assert.equal(allowed(8080), true, 'http is TCP 8080');
    assert.equal(allowed(8081), false, 'not 8081');
    assert.equal(allowed(8080, 'UDP'), false, 'not UDP 8080');
    assert.equal(allowed(7000, 'SCTP'), true, 'stream is SCTP 7000');
  });

  test('endPort bounds are inclusive', () => {
    const compiled = shop([webIngress([{ ports: [{ port: 9000, endPort: 9100 }] }])]);
    const allowed = (port: number) => evaluateFlow(compiled, between('shop/db', 'shop/web', port)).allowed;
    assert.deepEqual([8999, 9000, 9100, 9101].map(allowed), [false, true, true, false], '9000-9100');
  });
});

describe('addresses outside every workload', () => {
  test('ingress from an address is decided by ipBlock alone; the sending side is External', () => {
    const compiled = shop([
      webIngress([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }]),
    ]);
    const inside = policyVerdict(evaluateFlow(compiled, between('203.0.113.9', 'shop/web', 8080)));
    assert.equal(inside.allowed, true, 'inside the block');
    assert.deepEqual(inside.egress, { effect: 'External' }, 'no policy governs the address');
    assert.deepEqual(
      inside.path,
      { via: 'External', from: undefined, to: { network: 'shop/net', address: '10.10.0.5' } },
      'path',
    );
    assert.equal(
      evaluateFlow(compiled, between('203.0.113.200', 'shop/web', 8080)).allowed,
      false,
      'in except',
    );
    assert.equal(evaluateFlow(compiled, between('198.51.100.1', 'shop/web', 8080)).allowed, false, 'outside');
  });

  test('IPv6 ipBlock with except', () => {
    const compiled = shop([
      webIngress([{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }]),
    ]);
    assert.equal(evaluateFlow(compiled, between('2001:db8::1', 'shop/web', 8080)).allowed, true, 'inside');
    assert.equal(evaluateFlow(compiled, between('2001:db8:1::1', 'shop/web', 8080)).allowed, false, 'except');
    assert.equal(
      evaluateFlow(compiled, between('10.0.0.1', 'shop/web', 8080)).allowed,
      false,
      'other family',
    );
  });

  test('label selectors never match an address, even namespaceSelector {}', () => {
    const compiled = shop([webIngress([{ from: [{ namespaceSelector: {} }] }])]);
    assert.equal(
      evaluateFlow(compiled, between('shop/db', 'shop/web', 8080)).allowed,
      true,
      'a workload matches',
    );
    assert.equal(
      evaluateFlow(compiled, between('203.0.113.9', 'shop/web', 8080)).allowed,
      false,
      'an address does not',
    );
  });

  test('egress to an address: numeric ports and ipBlock match, named ports never do', () => {
    const compiled = shop([
      policy('shop/web-out', {
        podSelector: { matchLabels: { tier: 'web' } },
        policyTypes: ['Egress'],
        egress: [
          { ports: [{ port: 'http' }] },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
        ],
      }),
    ]);
    const allowed = (to: string, port: number) =>
      evaluateFlow(compiled, between('shop/web', to, port)).allowed;
    assert.equal(
      allowed('203.0.113.9', 8080),
      false,
      'http names a port of a workload, and an address has none',
    );
    assert.equal(allowed('203.0.113.9', 443), true, 'HTTPS to the internet');
    assert.equal(allowed('10.1.2.3', 443), false, 'the except block');
    assert.equal(allowed('shop/web', 8080), true, 'self');
  });
});

describe('routes before policy', () => {
  const world = (peers: Record<string, string>) =>
    compilePolicies(
      inputs({
        networks: [
          network('a/net', ['10.1.0.0/16'], peers),
          network('b/net', ['10.2.0.0/16'], { 'a/net': 'Active' }),
        ],
        workloads: [
          workload('a/one', {}, [{ network: 'net', address: '10.1.0.2' }]),
          workload('b/two', {}, [{ network: 'net', address: '10.2.0.2' }]),
          workload('b/lost', {}, [{ network: 'missing' }]),
          workload('b/none', {}, []),
        ],
      }),
    );

  test('an Active peering reported by both sides routes; Conflict or Pending on either side does not', () => {
    assert.equal(
      evaluateFlow(world({ 'b/net': 'Active' }), between('a/one', 'b/two', 80)).reason,
      'NotIsolated',
      'Active',
    );
    for (const state of ['Conflict', 'Pending']) {
      assert.equal(
        evaluateFlow(world({ 'b/net': state }), between('a/one', 'b/two', 80)).reason,
        'Unreachable',
        state,
      );
    }
  });

  test('an interface to a network that does not exist, or none at all, carries nothing', () => {
    const compiled = world({ 'b/net': 'Active' });
    assert.equal(
      evaluateFlow(compiled, between('b/lost', 'b/two', 80)).reason,
      'Unreachable',
      'missing network',
    );
    assert.equal(
      evaluateFlow(compiled, between('b/none', 'b/two', 80)).reason,
      'Unreachable',
      'no interface',
    );
    assert.equal(
      evaluateFlow(compiled, between('b/none', '203.0.113.1', 80)).reason,
      'Unreachable',
      'not even outside',
    );
  });

  test('hub and spoke in one namespace: declared and reported by the spokes only, not transitive', () => {
    const compiled = compilePolicies(
      inputs({
        networks: [
          network('hq/hub', ['10.0.0.0/16']),
          network('hq/prod', ['10.1.0.0/16'], { 'hq/hub': 'Active' }),
          network('hq/staging', ['10.2.0.0/16'], { 'hq/hub': 'Active' }),
        ],
        workloads: [
          workload('hq/shared', {}, [{ network: 'hub' }]),
          workload('hq/api', {}, [{ network: 'prod' }]),
          workload('hq/test', {}, [{ network: 'staging' }]),
        ],
      }),
    );
    const reason = (from: string, to: string) => evaluateFlow(compiled, between(from, to, 80)).reason;
    assert.equal(reason('hq/api', 'hq/shared'), 'NotIsolated', 'spoke to hub');
    assert.equal(reason('hq/shared', 'hq/test'), 'NotIsolated', 'hub to spoke');
    assert.equal(reason('hq/api', 'hq/test'), 'Unreachable', 'spoke to spoke');
  });

  test('a shared network is preferred to a peering, and ipBlock sees the address on that network', () => {
    const compiled = compilePolicies(
      inputs({
        networks: [
          network('n/one', ['10.1.0.0/16'], { 'n/two': 'Active' }),
          network('n/two', ['10.2.0.0/16']),
        ],
        workloads: [
          workload('n/client', {}, [
            { network: 'one', address: '10.1.0.9' },
            { network: 'two', address: '10.2.0.9' },
          ]),
          workload('n/server', { role: 'server' }, [{ network: 'two', address: '10.2.0.1' }]),
        ],
        policies: [
          policy('n/server-in', {
            podSelector: { matchLabels: { role: 'server' } },
            ingress: [{ from: [{ ipBlock: { cidr: '10.2.0.0/16' } }] }],
          }),
        ],
      }),
    );
    const verdict = policyVerdict(evaluateFlow(compiled, between('n/client', 'n/server', 80)));
    assert.equal(verdict.path.via, 'SameNetwork', 'via n/two');
    assert.deepEqual(
      verdict.path.from,
      { network: 'n/two', address: '10.2.0.9' },
      'the client leaves on n/two',
    );
    assert.equal(verdict.allowed, true, 'its n/two address is in the block');
  });

  test('the address comes from the spec when the status has none yet', () => {
    const compiled = compilePolicies(
      inputs({
        networks: [network('n/net', ['10.1.0.0/16'])],
        workloads: [
          {
            metadata: { name: 'client', namespace: 'n' },
            spec: { networkInterfaces: [{ network: { name: 'net' }, ipAddress: '10.1.0.50' }] },
          },
          workload('n/server', { role: 'server' }, [{ network: 'net', address: '10.1.0.1' }]),
        ],
        policies: [
          policy('n/server-in', {
            podSelector: { matchLabels: { role: 'server' } },
            ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.50/32' } }] }],
          }),
        ],
      }),
    );
    assert.equal(evaluateFlow(compiled, between('n/client', 'n/server', 80)).allowed, true, 'spec address');
  });
});

describe('namespaces', () => {
  test('a namespace without an object has only its kubernetes.io/metadata.name label', () => {
    const compiled = compilePolicies(
      inputs({
        namespaces: [{ metadata: { name: 'labelled', labels: { team: 'blue' } } }],
        networks: [
          network('labelled/net', ['10.1.0.0/16'], { 'bare/net': 'Active' }),
          network('bare/net', ['10.2.0.0/16'], { 'labelled/net': 'Active' }),
        ],
        workloads: [
          workload('labelled/a', { app: 'a' }, [{ network: 'net' }]),
          workload('bare/b', { app: 'b' }, [{ network: 'net' }]),
        ],
        policies: [
          policy('labelled/from-bare', {
            podSelector: {},
            ingress: [
              { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'bare' } } }] },
            ],
          }),
          policy('bare/from-blue', {
            podSelector: {},
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }],
          }),
        ],
      }),
    );
    assert.equal(
      evaluateFlow(compiled, between('bare/b', 'labelled/a', 80)).allowed,
      true,
      'by metadata.name',
    );
    assert.equal(evaluateFlow(compiled, between('labelled/a', 'bare/b', 80)).allowed, true, 'by team label');
    assert.deepEqual(
      compiled.namespaces.get('bare'),
      { 'kubernetes.io/metadata.name': 'bare' },
      'bare labels',
    );
    assert.deepEqual(
      compiled.namespaces.get('labelled'),
      { team: 'blue', 'kubernetes.io/metadata.name': 'labelled' },
      'given labels plus the name label',
    );
  });
});

describe('refusals', () => {
  const compiled = shop([]);
  const refusal = (flow: Flow) => {
    const verdict = evaluateFlow(compiled, flow);
    assert.ok(verdict.reason === 'InvalidFlow', `refused: ${JSON.stringify(verdict)}`);
    return verdict.message;
  };

  test('unknown workloads, with a hint when the namespace is missing', () => {
    assert.match(
      refusal(between('shop/ghost', 'shop/web', 80)),
      /workload shop\/ghost does not exist/,
      'unknown',
    );
    assert.match(
      refusal({ from: { workload: 'web' }, to: { workload: 'shop/web' }, port: 80 }),
      /NAMESPACE\/NAME, e\.g\. default\/web/,
      'no namespace',
    );
  });

  test('ports, protocols and addresses', () => {
    assert.match(refusal(between('shop/db', 'shop/web', 0)), /port 0 is out of range/, 'port 0');
    assert.match(refusal(between('shop/db', 'shop/web', 65536)), /port 65536 is out of range/, 'port 65536');
    assert.match(refusal(between('shop/db', 'shop/web', 1.5)), /out of range/, 'fraction');
    assert.match(
      refusal({ ...between('shop/db', 'shop/web', 80), protocol: 'ICMP' as Protocol }),
      /protocol "ICMP"/,
      'ICMP',
    );
    assert.match(refusal(between('10.0.0.300', 'shop/web', 80)), /not a valid IPv4 address/, 'bad address');
    assert.match(refusal(between('10.0.0.1', '10.0.0.2', 80)), /at least one end/, 'two addresses');
  });
});
