import {
  type CompiledPolicies,
  compilePolicies,
  evaluateFlow,
  type Flow,
  type NetworkInput,
  type NetworkPolicyInput,
  type PolicyInputs,
  type Protocol,
  type WorkloadInput,
} from '../src/policy/index.ts';
import { type Bench, medianOf, random } from './bench.ts';

const NAMESPACES = 20;
const WORKLOADS = 1_000;
const POLICIES = 500;
const TIERS = ['web', 'api', 'db', 'cache'] as const;

/** 20 namespaces of 50 workloads, one network each peered with a hub and a neighbour, 25 policies a namespace. */
function world(): PolicyInputs {
  const namespaces = Array.from({ length: NAMESPACES }, (_, n) => ({
    metadata: { name: `ns-${n}`, labels: { team: `team-${n % 4}`, env: n % 2 ? 'prod' : 'staging' } },
  }));
  const networks = Array.from({ length: NAMESPACES }, (_, n): NetworkInput => {
    const peers = [...new Set([0, (n + 1) % NAMESPACES, (n + NAMESPACES - 1) % NAMESPACES])].filter(
      (p) => p !== n,
    );
    return {
      metadata: { name: 'net', namespace: `ns-${n}` },
      spec: {
        ipv4Blocks: [`10.${n}.0.0/16`],
        peering: peers.map((p) => ({ networkRef: { name: 'net', namespace: `ns-${p}` } })),
      },
      status: {
        peerings: peers.map((p) => ({ networkRef: { name: 'net', namespace: `ns-${p}` }, state: 'Active' })),
      },
    };
  });
  const perNamespace = WORKLOADS / NAMESPACES;
  const workloads = Array.from({ length: WORKLOADS }, (_, i): WorkloadInput => {
    const n = Math.floor(i / perNamespace);
    return {
      metadata: {
        name: `w-${i}`,
        namespace: `ns-${n}`,
        labels: { app: `app-${i % 10}`, tier: TIERS[i % TIERS.length]!, shard: `s-${i % 7}` },
      },
      spec: {
        ports: [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
        networkInterfaces: [{ network: { name: 'net' } }],
      },
      status: {
        interfaces: [{ network: 'net', ipAddress: `10.${n}.${Math.floor(i / 250)}.${(i % 250) + 2}` }],
      },
    };
  });
  const perPolicyNamespace = POLICIES / NAMESPACES;
  const policies = Array.from({ length: POLICIES }, (_, p): NetworkPolicyInput => {
    const n = Math.floor(p / perPolicyNamespace);
    const k = p % perPolicyNamespace;
    const meta = { name: `p-${k}`, namespace: `ns-${n}` };
    if (k === 0) return { metadata: meta, spec: { podSelector: {} } };
    if (k === 1)
      return {
        metadata: meta,
        spec: { podSelector: { matchLabels: { tier: 'db' } }, policyTypes: ['Egress'] },
      };
    return {
      metadata: meta,
      spec: {
        podSelector: {
          matchLabels: { app: `app-${k % 10}`, ...(k % 3 === 0 ? { tier: TIERS[k % 4]! } : {}) },
        },
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { tier: 'web' } } },
              {
                namespaceSelector: { matchLabels: { team: `team-${k % 4}` } },
                podSelector: { matchLabels: { app: `app-${(k + 1) % 10}` } },
              },
            ],
            ports: [{ port: 8080 }, { port: 'metrics' }],
          },
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`10.${(n + 5) % NAMESPACES}.0.0/16`] } }],
            ports: [{ port: 9000, endPort: 9100 }],
          },
        ],
        ...(k % 2 === 0
          ? {
              egress: [
                {
                  to: [
                    {
                      podSelector: {
                        matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['db', 'cache'] }],
                      },
                    },
                  ],
                  ports: [{ port: 5432 }],
                },
                { to: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP' as const, port: 'dns' }] },
                { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
              ],
            }
          : {}),
      },
    };
  });
  return { namespaces, networks, workloads, policies };
}

/** Half inside a namespace, 40% to a peered one (hub or neighbour), 10% anywhere (mostly unreachable). */
function flows(count: number): Flow[] {
  const next = random(7);
  const pick = (n: number) => Math.floor(next() * n);
  const perNamespace = WORKLOADS / NAMESPACES;
  const ports: readonly [Protocol, number][] = [
    ['TCP', 8080],
    ['TCP', 9090],
    ['TCP', 5432],
    ['TCP', 9050],
    ['TCP', 80],
    ['UDP', 53],
  ];
  return Array.from({ length: count }, () => {
    const [protocol, port] = ports[pick(ports.length)]!;
    const source = pick(WORKLOADS);
    const n = Math.floor(source / perNamespace);
    const roll = next();
    const peers = [0, (n + 1) % NAMESPACES, (n + NAMESPACES - 1) % NAMESPACES];
    const m = roll < 0.5 ? n : roll < 0.9 ? peers[pick(peers.length)]! : pick(NAMESPACES);
    const destination = m * perNamespace + pick(perNamespace);
    return {
      from: { workload: `ns-${n}/w-${source}` },
      to: { workload: `ns-${m}/w-${destination}` },
      protocol,
      port,
    };
  });
}

function compileOnce(inputs: PolicyInputs): Record<string, number> {
  const start = performance.now();
  const compiled = compilePolicies(inputs);
  const ms = performance.now() - start;
  if (compiled.workloads.length !== WORKLOADS || compiled.policies.length !== POLICIES) {
    throw new Error('policy.compile lost workloads or policies');
  }
  return { ms, workloads: WORKLOADS, policies: POLICIES };
}

function evaluateMany(
  compiled: CompiledPolicies,
  sample: readonly Flow[],
  rounds: number,
): Record<string, number> {
  let allowed = 0;
  let unreachable = 0;
  const start = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < sample.length; i++) {
      const verdict = evaluateFlow(compiled, sample[i]!);
      if (verdict.allowed) allowed++;
      else if (verdict.reason === 'Unreachable') unreachable++;
      else if (verdict.reason === 'InvalidFlow') throw new Error(verdict.message);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const total = sample.length * rounds;
  return {
    evalsPerSec: total / seconds,
    allowedShare: allowed / total,
    unreachableShare: unreachable / total,
  };
}

export const benches: Bench[] = [
  {
    name: 'policy.compile',
    run: () => {
      const inputs = world();
      return medianOf(7, () => compileOnce(inputs));
    },
  },
  {
    name: 'policy.evaluate',
    run: () => {
      const compiled = compilePolicies(world());
      const sample = flows(100_000);
      const rules = compiled.workloads.reduce(
        (sum, w) => sum + w.ingress.rules.length + w.egress.rules.length,
        0,
      );
      return {
        ...medianOf(5, () => evaluateMany(compiled, sample, 10)),
        rulesPerWorkload: rules / WORKLOADS,
      };
    },
  },
];
