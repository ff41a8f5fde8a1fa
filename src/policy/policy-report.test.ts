// Proves policyReport: the selected workloads (count, first 20 names), policyTypes as defaulted, and each warning.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePolicies } from './compile.ts';
import type { NetworkPolicyInput } from './inputs.ts';
import { type PolicyWarningReason, policyReport } from './policy-report.ts';
import { inputs, network, policy, workload } from './testing/builders.ts';

const names = Array.from({ length: 25 }, (_, i) => `w-${String(i).padStart(2, '0')}`);

function report(spec: NetworkPolicyInput['spec'], key = 'shop/p') {
  const compiled = compilePolicies(
    inputs({
      namespaces: [{ metadata: { name: 'shop', labels: { team: 'blue' } } }],
      networks: [
        network('shop/net', ['10.1.0.0/16'], { 'data/net': 'Active' }),
        network('data/net', ['10.2.0.0/16'], { 'shop/net': 'Active' }),
        network('far/net', ['10.3.0.0/16']),
      ],
      workloads: [
        ...[...names]
          .reverse()
          .map((name) =>
            workload(`shop/${name}`, { app: 'web' }, [{ network: 'net' }], [{ name: 'http', port: 80 }]),
          ),
        workload(
          'shop/db',
          { app: 'db' },
          [{ network: 'net' }],
          [{ name: 'dns', port: 53, protocol: 'UDP' }],
        ),
      ],
      policies: [policy(key, spec)],
    }),
  );
  const result = policyReport(compiled, key);
  assert.ok(result, `a report for ${key}`);
  return result;
}

const reasons = (spec: NetworkPolicyInput['spec']) => report(spec).warnings.map((w) => w.reason);

describe('policyReport', () => {
  test('counts every selected workload and names the first 20 in order', () => {
    const r = report({ podSelector: { matchLabels: { app: 'web' } } });
    assert.equal(r.selectedCount, 25, '25 web workloads');
    assert.deepEqual(r.selectedNames, names.slice(0, 20), 'w-00 to w-19');
    assert.deepEqual(r.warnings, [], 'nothing to warn about');
  });

  test('policyTypes as defaulted', () => {
    assert.deepEqual(report({ podSelector: {} }).policyTypes, ['Ingress'], 'no egress rules');
    assert.deepEqual(
      report({ podSelector: {}, egress: [{}] }).policyTypes,
      ['Ingress', 'Egress'],
      'egress rules',
    );
    assert.deepEqual(
      report({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] }).policyTypes,
      ['Ingress', 'Egress'],
      'listed',
    );
  });

  test('an unknown policy has no report', () => {
    const compiled = compilePolicies(inputs({}));
    assert.equal(policyReport(compiled, 'shop/none'), undefined, 'undefined');
  });

  const cases: [string, NetworkPolicyInput['spec'], PolicyWarningReason[], RegExp][] = [
    [
      'a podSelector that selects nothing',
      { podSelector: { matchLabels: { app: 'ghost' } } },
      ['SelectsNothing'],
      /podSelector app=ghost selects no workload in namespace shop/,
    ],
    [
      'a namespaceSelector that matches no namespace',
      { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }] },
      ['NamespaceSelectorMatchesNothing'],
      /namespaceSelector team=red matches no namespace/,
    ],
    [
      'a peer podSelector that matches no workload of its namespaces',
      {
        podSelector: {},
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'blue' } },
                podSelector: { matchLabels: { app: 'cache' } },
              },
            ],
          },
        ],
      },
      ['PodSelectorMatchesNothing'],
      /podSelector app=cache matches no workload in namespace shop/,
    ],
    [
      'an ipBlock over a peered network',
      { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.2.0.0/24' } }] }] },
      ['IPBlockOverlapsNetwork'],
      /ipBlock 10\.2\.0\.0\/24 overlaps network data\/net \(10\.2\.0\.0\/16\)/,
    ],
    [
      'the AND/OR indentation hazard',
      {
        podSelector: {},
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { team: 'blue' } } },
              { podSelector: { matchLabels: { app: 'db' } } },
            ],
          },
        ],
      },
      ['AndOrHazard'],
      /from\[0\] has only a namespaceSelector and from\[1\] only a podSelector: as separate peers either one allows \(OR\)/,
    ],
    [
      'rules for a direction policyTypes leaves out',
      { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] },
      ['RulesIgnored'],
      /egress rules are ignored: policyTypes is Ingress, without Egress/,
    ],
    [
      'an ipBlock that does not parse, and a peer with nothing in it',
      { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/8' } }, {}] }] },
      ['InvalidPeer', 'InvalidPeer'],
      /ipBlock 10\.0\.0\.1\/8: .*did you mean 10\.0\.0\.0\/8\?: it matches nothing/,
    ],
    [
      'a named port no selected workload defines with that protocol',
      {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ ports: [{ port: 'http' }, { port: 'dns' }, { protocol: 'UDP', port: 'dns' }] }],
      },
      ['NamedPortUndefined', 'NamedPortUndefined'],
      /no selected workload has a TCP port named http/,
    ],
  ];
  for (const [name, spec, expected, message] of cases) {
    test(`warns about ${name}`, () => {
      const r = report(spec);
      assert.deepEqual(
        r.warnings.map((w) => w.reason),
        expected,
        JSON.stringify(r.warnings),
      );
      assert.match(r.warnings[0]!.message, message, 'message');
    });
  }

  test('warnings carry the field path', () => {
    const r = report({
      podSelector: {},
      egress: [
        {},
        {
          to: [
            { podSelector: { matchLabels: { app: 'web' } } },
            { namespaceSelector: {} },
            { ipBlock: { cidr: '10.3.0.0/16' } },
          ],
        },
      ],
    });
    assert.deepEqual(
      r.warnings.map((w) => [w.reason, w.field]),
      [['AndOrHazard', 'spec.egress[1].to']],
      'far/net is not in scope; only the hazard',
    );
    assert.deepEqual(
      report({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }).warnings.map(
        (w) => w.field,
      ),
      ['spec.ingress[0].from[0].ipBlock', 'spec.ingress[0].from[0].ipBlock'],
      'shop/net and data/net',
    );
    assert.deepEqual(
      reasons({
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '192.168.0.0/16' } }] }],
      }),
      [],
      'clean',
    );
  });
});
