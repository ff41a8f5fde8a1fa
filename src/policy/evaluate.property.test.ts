// Proves invariants of evaluation over random policies: order-free, allows only add, a policy selecting nothing
// changes nothing, and writing out the defaulted policyTypes changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compilePolicies } from './compile.ts';
import { evaluateFlow } from './evaluate.ts';
import type {
  EgressRuleInput,
  IngressRuleInput,
  LabelSelector,
  NetworkPolicyInput,
  PeerInput,
  PolicyInputs,
  PortInput,
} from './inputs.ts';
import { effectivePolicyTypes } from './policy-types.ts';
import { network, workload } from './testing/builders.ts';
import type { Flow, Verdict } from './verdict.ts';

const NAMESPACES = ['x', 'y'] as const;

const selector: fc.Arbitrary<LabelSelector> = fc.record(
  {
    matchLabels: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('a', 'b', 'web'), {
      maxKeys: 2,
    }),
    matchExpressions: fc.array(
      fc.oneof(
        fc.record({
          key: fc.constantFrom('app', 'tier'),
          operator: fc.constantFrom('In' as const, 'NotIn' as const),
          values: fc.uniqueArray(fc.constantFrom('a', 'b', 'web'), { minLength: 1, maxLength: 2 }),
        }),
        fc.record({
          key: fc.constantFrom('app', 'tier'),
          operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const),
        }),
      ),
      { maxLength: 1 },
    ),
  },
  { requiredKeys: [] },
);

const namespaceSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.record({
    matchLabels: fc.constantFrom({ team: 'red' }, { team: 'blue' }, { 'kubernetes.io/metadata.name': 'y' }),
  }),
);

const ipBlock = fc.constantFrom(
  { cidr: '10.0.0.0/8' },
  { cidr: '10.0.0.0/16', except: ['10.0.0.0/30'] },
  { cidr: '10.1.0.0/24' },
  { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] },
  { cidr: '192.168.0.0/16' },
  { cidr: 'fd00::/8' },
);

const peer: fc.Arbitrary<PeerInput> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector }),
  fc.record({ podSelector: selector, namespaceSelector }),
  fc.record({ ipBlock }),
);

const port: fc.Arbitrary<PortInput> = fc
  .record(
    {
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      port: fc.constantFrom<number | string>(80, 81, 'http', 'dns'),
    },
    { requiredKeys: [] },
  )
  .chain((p) =>
    typeof p.port === 'number'
      ? fc
          .option(fc.constantFrom(81, 90), { nil: undefined })
          .map((end) => (end === undefined ? p : { ...p, endPort: end }))
      : fc.constant(p),
  );

const ports = fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined });
const peers = fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined });
const ingressRule: fc.Arbitrary<IngressRuleInput> = fc
  .record({ from: peers, ports })
  .map(({ from, ports: p }) => ({ ...(from ? { from } : {}), ...(p ? { ports: p } : {}) }));
const egressRule: fc.Arbitrary<EgressRuleInput> = fc
  .record({ to: peers, ports })
  .map(({ to, ports: p }) => ({ ...(to ? { to } : {}), ...(p ? { ports: p } : {}) }));

const spec: fc.Arbitrary<NetworkPolicyInput['spec']> = fc
  .record({
    podSelector: selector,
    policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'] as ('Ingress' | 'Egress')[]), {
      nil: undefined,
    }),
    ingress: fc.option(fc.array(ingressRule, { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(egressRule, { maxLength: 2 }), { nil: undefined }),
  })
  .map(({ podSelector, policyTypes, ingress, egress }) => ({
    podSelector,
    ...(policyTypes ? { policyTypes } : {}),
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
  }));

const policies: fc.Arbitrary<NetworkPolicyInput[]> = fc
  .array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), spec }), { maxLength: 6 })
  .map((list) =>
    list.map(({ namespace, spec: s }, i) => ({ metadata: { name: `p${i}`, namespace }, spec: s })),
  );

const labels = fc.record(
  { app: fc.constantFrom('a', 'b'), tier: fc.constantFrom('web', 'db') },
  { requiredKeys: [] },
);

const world: fc.Arbitrary<Omit<PolicyInputs, 'policies'>> = fc
  .record({
    workloads: fc.array(
      fc.record({
        namespace: fc.constantFrom(...NAMESPACES),
        labels,
        httpPort: fc.constantFrom(80, 81),
        dnsProtocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    teams: fc.tuple(fc.constantFrom('red', 'blue'), fc.constantFrom('red', 'blue')),
    peered: fc.boolean(),
  })
  .map(({ workloads, teams, peered }) => ({
    namespaces: NAMESPACES.map((name, i) => ({ metadata: { name, labels: { team: teams[i]! } } })),
    networks: [
      network('x/net', ['10.0.0.0/16'], peered ? { 'y/net': 'Active' } : {}),
      network('y/net', ['10.1.0.0/16'], peered ? { 'x/net': 'Active' } : {}),
    ],
    workloads: workloads.map(({ namespace, labels: l, httpPort, dnsProtocol }, i) =>
      workload(
        `${namespace}/w${i}`,
        l,
        [{ network: 'net', address: `10.${namespace === 'x' ? 0 : 1}.0.${i + 1}` }],
        [
          { name: 'http', port: httpPort, protocol: 'TCP' },
          { name: 'dns', port: 81, protocol: dnsProtocol },
        ],
      ),
    ),
  }));

function flowsOf(inputs: Omit<PolicyInputs, 'policies'>): Flow[] {
  const keys = inputs.workloads.map((w) => `${w.metadata.namespace}/${w.metadata.name}`);
  const ends = [
    ...keys.map((workload) => ({ workload })),
    { address: '10.0.0.2' },
    { address: '192.168.7.7' },
  ];
  const flows: Flow[] = [];
  for (const from of ends) {
    for (const to of ends) {
      if ('address' in from && 'address' in to) continue;
      for (const [protocol, p] of [
        ['TCP', 80],
        ['TCP', 81],
        ['UDP', 81],
      ] as const) {
        flows.push({ from, to, protocol, port: p });
      }
    }
  }
  return flows;
}

function verdicts(inputs: PolicyInputs): Verdict[] {
  const compiled = compilePolicies(inputs);
  return flowsOf(inputs).map((flow) => evaluateFlow(compiled, flow));
}

test('evaluation does not depend on the order of policies (the deciding rule included)', () => {
  fc.assert(
    fc.property(
      world,
      policies.chain((list) =>
        fc.tuple(
          fc.constant(list),
          fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
        ),
      ),
      (w, [list, shuffled]) => {
        assert.deepEqual(
          verdicts({ ...w, policies: shuffled }),
          verdicts({ ...w, policies: list }),
          'same verdicts',
        );
      },
    ),
    { numRuns: 150 },
  );
});

test('adding an allow rule never removes reachability', () => {
  fc.assert(
    fc.property(
      world,
      policies.filter((list) => list.length > 0),
      fc.nat(),
      fc.boolean(),
      ingressRule,
      egressRule,
      (w, list, which, ingressSide, inRule, outRule) => {
        const index = which % list.length;
        const target = list[index]!;
        const types = effectivePolicyTypes(target.spec);
        const direction =
          types.includes('Ingress') && (ingressSide || !types.includes('Egress')) ? 'Ingress' : 'Egress';
        const spec =
          direction === 'Ingress'
            ? { ...target.spec, policyTypes: types, ingress: [...(target.spec.ingress ?? []), inRule] }
            : { ...target.spec, policyTypes: types, egress: [...(target.spec.egress ?? []), outRule] };
        const widened = list.map((p, i) => (i === index ? { ...p, spec } : p));
        const before = verdicts({ ...w, policies: list });
        const after = verdicts({ ...w, policies: widened });
        before.forEach((verdict, i) => {
          if (verdict.allowed)
            assert.equal(after[i]!.allowed, true, `flow ${i} stays allowed: ${JSON.stringify(after[i])}`);
        });
      },
    ),
    { numRuns: 150 },
  );
});

test('a policy that selects nothing changes nothing', () => {
  fc.assert(
    fc.property(world, policies, spec, fc.constantFrom(...NAMESPACES), (w, list, s, namespace) => {
      const none: NetworkPolicyInput = {
        metadata: { name: 'selects-nothing', namespace },
        spec: { ...s, podSelector: { matchLabels: { app: 'no-such-app' } } },
      };
      assert.deepEqual(
        verdicts({ ...w, policies: [...list, none] }),
        verdicts({ ...w, policies: list }),
        'same verdicts',
      );
    }),
    { numRuns: 150 },
  );
});

test('writing out the defaulted policyTypes changes nothing', () => {
  fc.assert(
    fc.property(world, policies, (w, list) => {
      const explicit = list.map((p) => ({
        ...p,
        spec: { ...p.spec, policyTypes: effectivePolicyTypes(p.spec) },
      }));
      assert.deepEqual(
        verdicts({ ...w, policies: explicit }),
        verdicts({ ...w, policies: list }),
        'same verdicts',
      );
    }),
    { numRuns: 100 },
  );
});
