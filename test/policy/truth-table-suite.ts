// The NetworkPolicy truth tables of issue 8, in the style of the Kubernetes network-policy e2e matrix: namespaces
// x, y, z with workloads a, b, c serving TCP and UDP on 80 and 81. Every expected grid is written by hand from the
// Kubernetes semantics; any implementation (the engine, later the Linux dataplane) runs the same suite.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NetworkInput, NetworkPolicyInput, PolicyInputs, Protocol } from '../../src/policy/index.ts';

/** Answers whether a connection from one workload (ns/name) to another may start. */
export type Probe = (
  from: string,
  to: string,
  protocol: Protocol,
  port: number,
) => boolean | Promise<boolean>;
export type Oracle = (world: PolicyInputs) => Probe | Promise<Probe>;

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
export const WORKLOADS = NAMESPACES.flatMap((ns) => PODS.map((pod) => `${ns}/${pod}`));
export const COMBOS = ['TCP/80', 'TCP/81', 'UDP/80', 'UDP/81'] as const;
type Combo = (typeof COMBOS)[number];

type Peering = 'mesh' | 'none' | 'hub-x' | 'x-y-pending';

export interface TruthCase {
  readonly name: string;
  readonly peering?: Peering;
  readonly family?: 4 | 6;
  readonly policies: readonly NetworkPolicyInput[];
  /** A grid per combo; `otherwise` for the combos not listed. Rows are sources, columns destinations. */
  readonly expect: Partial<Record<Combo, string>> & { readonly otherwise?: string };
}

const BLOCKS = {
  4: { x: '10.0.0.0/16', y: '10.1.0.0/16', z: '10.2.0.0/16' },
  6: { x: 'fd00:10::/64', y: 'fd00:11::/64', z: 'fd00:12::/64' },
};
const ADDRESSES = {
  4: { x: '10.0.0.', y: '10.1.0.', z: '10.2.0.' },
  6: { x: 'fd00:10::', y: 'fd00:11::', z: 'fd00:12::' },
};
const HOST = { 4: { a: '10', b: '11', c: '12' }, 6: { a: 'a', b: 'b', c: 'c' } };

/** Peered pairs and their state; across namespaces both sides declare, and the Pending pair only on x. */
const PEERINGS: Record<Peering, readonly (readonly [string, string, 'Active' | 'Pending'])[]> = {
  mesh: [
    ['x', 'y', 'Active'],
    ['x', 'z', 'Active'],
    ['y', 'z', 'Active'],
  ],
  none: [],
  'hub-x': [
    ['x', 'y', 'Active'],
    ['x', 'z', 'Active'],
  ],
  'x-y-pending': [
    ['x', 'y', 'Pending'],
    ['x', 'z', 'Active'],
    ['y', 'z', 'Active'],
  ],
};

export function buildWorld(truth: TruthCase): PolicyInputs {
  const family = truth.family ?? 4;
  const pairs = PEERINGS[truth.peering ?? 'mesh'];
  const networks = NAMESPACES.map((ns): NetworkInput => {
    const mine = pairs.filter(([a, b, state]) => a === ns || (b === ns && state === 'Active'));
    const others = mine.map(([a, b, state]) => ({ other: a === ns ? b : a, state }));
    return {
      metadata: { name: 'net', namespace: ns },
      spec: {
        [family === 4 ? 'ipv4Blocks' : 'ipv6Blocks']: [BLOCKS[family][ns]],
        peering: others.map(({ other }) => ({ networkRef: { name: 'net', namespace: other } })),
      },
      status: {
        peerings: others.map(({ other, state }) => ({
          networkRef: { name: 'net', namespace: other },
          state,
        })),
      },
    };
  });
  const workloads = NAMESPACES.flatMap((ns) =>
    PODS.map((pod) => ({
      metadata: { name: pod, namespace: ns, labels: { pod } },
      spec: {
        ports: [
          { name: 'serve-80-tcp', port: 80, protocol: 'TCP' as const },
          { name: 'serve-81-tcp', port: 81, protocol: 'TCP' as const },
          { name: 'serve-80-udp', port: 80, protocol: 'UDP' as const },
          { name: 'serve-81-udp', port: 81, protocol: 'UDP' as const },
        ],
        networkInterfaces: [{ network: { name: 'net' } }],
      },
      status: { interfaces: [{ network: 'net', ipAddress: `${ADDRESSES[family][ns]}${HOST[family][pod]}` }] },
    })),
  );
  const namespaces = NAMESPACES.map((ns) => ({ metadata: { name: ns, labels: { ns } } }));
  return { namespaces, networks, workloads, policies: truth.policies };
}

const policy = (namespace: string, name: string, spec: NetworkPolicyInput['spec']): NetworkPolicyInput => ({
  metadata: { name, namespace },
  spec,
});
const pod = (name: string) => ({ matchLabels: { pod: name } });
const ns = (name: string) => ({ matchLabels: { ns: name } });

//                    to: x   y   z
//                        abc abc abc
const ALL = `
  xa ... ... ...
  xb ... ... ...
  xc ... ... ...
  ya ... ... ...
  yb ... ... ...
  yc ... ... ...
  za ... ... ...
  zb ... ... ...
  zc ... ... ...`;

/** Nothing but x/a itself reaches x/a. */
const XA_INGRESS_CLOSED = `
  xa ... ... ...
  xb X.. ... ...
  xc X.. ... ...
  ya X.. ... ...
  yb X.. ... ...
  yc X.. ... ...
  za X.. ... ...
  zb X.. ... ...
  zc X.. ... ...`;

/** x/a reaches nothing but itself. */
const XA_EGRESS_CLOSED = `
  xa .XX XXX XXX
  xb ... ... ...
  xc ... ... ...
  ya ... ... ...
  yb ... ... ...
  yc ... ... ...
  za ... ... ...
  zb ... ... ...
  zc ... ... ...`;

/** Every workload of x reaches only itself. */
const X_EGRESS_CLOSED = `
  xa .XX XXX XXX
  xb X.X XXX XXX
  xc XX. XXX XXX
  ya ... ... ...
  yb ... ... ...
  yc ... ... ...
  za ... ... ...
  zb ... ... ...
  zc ... ... ...`;

/** x/a accepts everything but namespace y. */
const XA_NOT_FROM_Y = `
  xa ... ... ...
  xb ... ... ...
  xc ... ... ...
  ya X.. ... ...
  yb X.. ... ...
  yc X.. ... ...
  za ... ... ...
  zb ... ... ...
  zc ... ... ...`;

export const CASES: readonly TruthCase[] = [
  { name: 'no policies: every workload reaches every workload', policies: [], expect: { otherwise: ALL } },
  {
    name: 'deny-all ingress in x: podSelector {} with no rules defaults to policyTypes [Ingress]',
    policies: [policy('x', 'deny-all-ingress', { podSelector: {} })],
    expect: {
      otherwise: `
        xa .XX ... ...
        xb X.X ... ...
        xc XX. ... ...
        ya XXX ... ...
        yb XXX ... ...
        yc XXX ... ...
        za XXX ... ...
        zb XXX ... ...
        zc XXX ... ...`,
    },
  },
  {
    name: 'deny-all egress in x: x sends nothing, yet still receives (replies are not its egress)',
    policies: [policy('x', 'deny-all-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    expect: { otherwise: X_EGRESS_CLOSED },
  },
  {
    name: 'deny-all of the specification (Ingress and Egress) in x',
    policies: [policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    expect: {
      otherwise: `
        xa .XX XXX XXX
        xb X.X XXX XXX
        xc XX. XXX XXX
        ya XXX ... ...
        yb XXX ... ...
        yc XXX ... ...
        za XXX ... ...
        zb XXX ... ...
        zc XXX ... ...`,
    },
  },
  {
    name: 'allow-all ingress beside deny-all ingress: allows add up',
    policies: [
      policy('x', 'deny-all-ingress', { podSelector: {} }),
      policy('x', 'allow-all-ingress', { podSelector: {}, ingress: [{}] }),
    ],
    expect: { otherwise: ALL },
  },
  {
    name: 'allow-all egress beside deny-all egress',
    policies: [
      policy('x', 'deny-all-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      policy('x', 'allow-all-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
    ],
    expect: { otherwise: ALL },
  },
  {
    name: 'x/a accepts only x/b: a podSelector peer means the policy namespace',
    policies: [
      policy('x', 'a-from-b', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb ... ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb X.. ... ...
        yc X.. ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'x/a accepts namespace y only: namespaceSelector',
    policies: [
      policy('x', 'a-from-y', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: ns('y') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb X.. ... ...
        xc X.. ... ...
        ya ... ... ...
        yb ... ... ...
        yc ... ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'AND: namespaceSelector and podSelector in one peer admit only y/b',
    policies: [
      policy('x', 'a-from-y-b', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: ns('y'), podSelector: pod('b') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb X.. ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb ... ... ...
        yc X.. ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'OR: namespaceSelector and podSelector as two peers admit all of y and x/b (not z/b)',
    policies: [
      policy('x', 'a-from-y-or-b', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: ns('y') }, { podSelector: pod('b') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb ... ... ...
        xc X.. ... ...
        ya ... ... ...
        yb ... ... ...
        yc ... ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'namespaceSelector {} with podSelector: workload b of every namespace',
    policies: [
      policy('x', 'a-from-any-b', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: pod('b') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb ... ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb ... ... ...
        yc X.. ... ...
        za X.. ... ...
        zb ... ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'ports: x/a accepts TCP 80 from anyone (protocol defaults to TCP)',
    policies: [policy('x', 'a-tcp-80', { podSelector: pod('a'), ingress: [{ ports: [{ port: 80 }] }] })],
    expect: { 'TCP/80': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'ports: a protocol without a port admits every UDP port',
    policies: [policy('x', 'a-udp', { podSelector: pod('a'), ingress: [{ ports: [{ protocol: 'UDP' }] }] })],
    expect: { 'UDP/80': ALL, 'UDP/81': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'endPort: TCP 75-80 admits 80, not 81',
    policies: [
      policy('x', 'a-tcp-75-80', {
        podSelector: pod('a'),
        ingress: [{ ports: [{ port: 75, endPort: 80 }] }],
      }),
    ],
    expect: { 'TCP/80': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'endPort: UDP 81-90 admits UDP 81 only',
    policies: [
      policy('x', 'a-udp-81-90', {
        podSelector: pod('a'),
        ingress: [{ ports: [{ protocol: 'UDP', port: 81, endPort: 90 }] }],
      }),
    ],
    expect: { 'UDP/81': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'named port: serve-81-tcp resolves to TCP 81 on x/a',
    policies: [
      policy('x', 'a-named-81', { podSelector: pod('a'), ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] }),
    ],
    expect: { 'TCP/81': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'named port: a UDP port named under the default TCP protocol matches nothing',
    policies: [
      policy('x', 'a-named-mismatch', {
        podSelector: pod('a'),
        ingress: [{ ports: [{ port: 'serve-80-udp' }] }],
      }),
    ],
    expect: { otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'named port: UDP serve-80-udp admits UDP 80',
    policies: [
      policy('x', 'a-named-udp-80', {
        podSelector: pod('a'),
        ingress: [{ ports: [{ protocol: 'UDP', port: 'serve-80-udp' }] }],
      }),
    ],
    expect: { 'UDP/80': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'named port on egress resolves against the destination: x/a sends UDP serve-81-udp only',
    policies: [
      policy('x', 'a-egress-named', {
        podSelector: pod('a'),
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'UDP', port: 'serve-81-udp' }] }],
      }),
    ],
    expect: { 'UDP/81': ALL, otherwise: XA_EGRESS_CLOSED },
  },
  {
    name: 'ipBlock with except on ingress: 10.1.0.0/16 except y/b (10.1.0.11)',
    policies: [
      policy('x', 'a-from-block', {
        podSelector: pod('a'),
        ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16', except: ['10.1.0.11/32'] } }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb X.. ... ...
        xc X.. ... ...
        ya ... ... ...
        yb X.. ... ...
        yc ... ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'ipBlock with except on egress: x/a sends to 10.0.0.0/8 except 10.2.0.0/16 (namespace z)',
    policies: [
      policy('x', 'a-to-block', {
        podSelector: pod('a'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.2.0.0/16'] } }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... XXX
        xb ... ... ...
        xc ... ... ...
        ya ... ... ...
        yb ... ... ...
        yc ... ... ...
        za ... ... ...
        zb ... ... ...
        zc ... ... ...`,
    },
  },
  {
    name: 'IPv6 ipBlock with except: fd00::/16 except fd00:11::/64 (namespace y)',
    family: 6,
    policies: [
      policy('x', 'a-from-v6-block', {
        podSelector: pod('a'),
        ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/16', except: ['fd00:11::/64'] } }] }],
      }),
    ],
    expect: { otherwise: XA_NOT_FROM_Y },
  },
  {
    name: 'an IPv4 ipBlock (0.0.0.0/0) never matches IPv6 addresses',
    family: 6,
    policies: [
      policy('x', 'a-from-v4-anywhere', {
        podSelector: pod('a'),
        ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
    ],
    expect: { otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'a policy in y selects only workloads of y: y/a accepts y/b, not x/b',
    policies: [
      policy('y', 'a-from-b', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] }),
    ],
    expect: {
      otherwise: `
        xa ... X.. ...
        xb ... X.. ...
        xc ... X.. ...
        ya ... ... ...
        yb ... ... ...
        yc ... X.. ...
        za ... X.. ...
        zb ... X.. ...
        zc ... X.. ...`,
    },
  },
  {
    name: 'allows add up across policies: x/a accepts x/b by one policy and y/c by another',
    policies: [
      policy('x', 'a-from-b', { podSelector: pod('a'), ingress: [{ from: [{ podSelector: pod('b') }] }] }),
      policy('x', 'a-from-y-c', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: ns('y'), podSelector: pod('c') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb ... ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb X.. ... ...
        yc ... ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: "a connection needs the source's egress and the destination's ingress",
    policies: [
      policy('x', 'a-sends-to-y-b', {
        podSelector: pod('a'),
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: ns('y'), podSelector: pod('b') }] }],
      }),
      policy('y', 'b-accepts-x-c', {
        podSelector: pod('b'),
        ingress: [{ from: [{ namespaceSelector: ns('x'), podSelector: pod('c') }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa .XX XXX XXX
        xb ... .X. ...
        xc ... ... ...
        ya ... .X. ...
        yb ... ... ...
        yc ... .X. ...
        za ... .X. ...
        zb ... .X. ...
        zc ... .X. ...`,
    },
  },
  {
    name: 'policyTypes [Egress] ignores the ingress rules it lists',
    policies: [
      policy('x', 'egress-only', {
        podSelector: pod('a'),
        policyTypes: ['Egress'],
        ingress: [{ from: [{ podSelector: pod('b') }] }],
        egress: [{}],
      }),
    ],
    expect: { otherwise: ALL },
  },
  {
    name: 'policyTypes default to Ingress and Egress when egress rules exist: x/a isolated both ways',
    policies: [
      policy('x', 'a-to-b', { podSelector: pod('a'), egress: [{ to: [{ podSelector: pod('b') }] }] }),
    ],
    expect: {
      otherwise: `
        xa ..X XXX XXX
        xb X.. ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb X.. ... ...
        yc X.. ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'deny-all egress in x with one allow: namespace y on UDP 81',
    policies: [
      policy('x', 'deny-all-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      policy('x', 'to-y-udp-81', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: ns('y') }], ports: [{ protocol: 'UDP', port: 81 }] }],
      }),
    ],
    expect: {
      'UDP/81': `
        xa .XX ... XXX
        xb X.X ... XXX
        xc XX. ... XXX
        ya ... ... ...
        yb ... ... ...
        yc ... ... ...
        za ... ... ...
        zb ... ... ...
        zc ... ... ...`,
      otherwise: X_EGRESS_CLOSED,
    },
  },
  {
    name: 'matchExpressions In: podSelector pod in (a, b) closes the ingress of x/a and x/b',
    policies: [
      policy('x', 'a-and-b-closed', {
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] },
        policyTypes: ['Ingress'],
      }),
    ],
    expect: {
      otherwise: `
        xa .X. ... ...
        xb X.. ... ...
        xc XX. ... ...
        ya XX. ... ...
        yb XX. ... ...
        yc XX. ... ...
        za XX. ... ...
        zb XX. ... ...
        zc XX. ... ...`,
    },
  },
  {
    name: 'matchExpressions NotIn: x/a accepts every namespace but y',
    policies: [
      policy('x', 'a-not-from-y', {
        podSelector: pod('a'),
        ingress: [
          {
            from: [
              { namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['y'] }] } },
            ],
          },
        ],
      }),
    ],
    expect: { otherwise: XA_NOT_FROM_Y },
  },
  {
    name: 'kubernetes.io/metadata.name selects namespace z by name',
    policies: [
      policy('x', 'a-from-z', {
        podSelector: pod('a'),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb X.. ... ...
        xc X.. ... ...
        ya X.. ... ...
        yb X.. ... ...
        yc X.. ... ...
        za ... ... ...
        zb ... ... ...
        zc ... ... ...`,
    },
  },
  {
    name: 'an empty from list admits every source: x/a accepts TCP 81 from anyone',
    policies: [
      policy('x', 'a-81', { podSelector: pod('a'), ingress: [{ from: [], ports: [{ port: 81 }] }] }),
    ],
    expect: { 'TCP/81': ALL, otherwise: XA_INGRESS_CLOSED },
  },
  {
    name: 'an empty ports list admits every port: x/a accepts x/c on all four',
    policies: [
      policy('x', 'a-from-c', {
        podSelector: pod('a'),
        ingress: [{ from: [{ podSelector: pod('c') }], ports: [] }],
      }),
    ],
    expect: {
      otherwise: `
        xa ... ... ...
        xb X.. ... ...
        xc ... ... ...
        ya X.. ... ...
        yb X.. ... ...
        yc X.. ... ...
        za X.. ... ...
        zb X.. ... ...
        zc X.. ... ...`,
    },
  },
  {
    name: 'peering off: networks that are not peered reach only themselves',
    peering: 'none',
    policies: [],
    expect: {
      otherwise: `
        xa ... XXX XXX
        xb ... XXX XXX
        xc ... XXX XXX
        ya XXX ... XXX
        yb XXX ... XXX
        yc XXX ... XXX
        za XXX XXX ...
        zb XXX XXX ...
        zc XXX XXX ...`,
    },
  },
  {
    name: 'transit through a hub: y and z peer with x, and peering is not transitive',
    peering: 'hub-x',
    policies: [],
    expect: {
      otherwise: `
        xa ... ... ...
        xb ... ... ...
        xc ... ... ...
        ya ... ... XXX
        yb ... ... XXX
        yc ... ... XXX
        za ... XXX ...
        zb ... XXX ...
        zc ... XXX ...`,
    },
  },
  {
    name: 'a peering across namespaces declared on one side only stays Pending: x and y do not meet',
    peering: 'x-y-pending',
    policies: [],
    expect: {
      otherwise: `
        xa ... XXX ...
        xb ... XXX ...
        xc ... XXX ...
        ya XXX ... ...
        yb XXX ... ...
        yc XXX ... ...
        za ... ... ...
        zb ... ... ...
        zc ... ... ...`,
    },
  },
  {
    name: 'policy cannot open a route: behind hub x, z accepts only y, which cannot reach it',
    peering: 'hub-x',
    policies: [
      policy('z', 'from-y', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: ns('y') }] }] }),
    ],
    expect: {
      otherwise: `
        xa ... ... XXX
        xb ... ... XXX
        xc ... ... XXX
        ya ... ... XXX
        yb ... ... XXX
        yc ... ... XXX
        za ... XXX .XX
        zb ... XXX X.X
        zc ... XXX XX.`,
    },
  },
];

const ROW_LABELS = WORKLOADS.map((key) => key.replace('/', ''));

/** A grid as text: one row per source, labelled xa..zc, cells '.' (connects) or 'X' (does not). */
export function parseGrid(text: string): boolean[][] {
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  assert.equal(rows.length, WORKLOADS.length, `a grid has ${WORKLOADS.length} rows:\n${text}`);
  return rows.map(([label, ...groups], i) => {
    assert.equal(label, ROW_LABELS[i], `row ${i + 1} is labelled ${ROW_LABELS[i]}:\n${text}`);
    const cells = groups.join('');
    assert.match(cells, /^[.X]{9}$/, `row ${label} has nine cells of '.' or 'X':\n${text}`);
    return [...cells].map((cell) => cell === '.');
  });
}

function formatGrid(grid: readonly (readonly boolean[])[]): string {
  return grid
    .map((row, i) => {
      const cells = row.map((ok) => (ok ? '.' : 'X')).join('');
      return `${ROW_LABELS[i]} ${cells.slice(0, 3)} ${cells.slice(3, 6)} ${cells.slice(6)}`;
    })
    .join('\n');
}

/** Runs every case against an implementation, comparing all 81 pairs for each protocol and port. */
export function policyTruthTable(name: string, oracle: Oracle): void {
  describe(`NetworkPolicy truth table: ${name}`, () => {
    test('covers at least 25 policy cases with unique names', () => {
      assert.ok(CASES.length >= 25, `${CASES.length} cases`);
      assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
    });
    for (const truth of CASES) {
      test(truth.name, async () => {
        const probe = await oracle(buildWorld(truth));
        const failures: string[] = [];
        for (const combo of COMBOS) {
          const text = truth.expect[combo] ?? truth.expect.otherwise;
          assert.ok(text !== undefined, `${truth.name}: no expectation for ${combo}`);
          const expected = parseGrid(text);
          const [protocol, port] = combo.split('/') as [Protocol, string];
          const actual: boolean[][] = [];
          for (const from of WORKLOADS) {
            const row: boolean[] = [];
            for (const to of WORKLOADS) row.push(await probe(from, to, protocol, Number(port)));
            actual.push(row);
          }
          if (formatGrid(actual) !== formatGrid(expected)) {
            failures.push(`${combo}\nexpected:\n${formatGrid(expected)}\nactual:\n${formatGrid(actual)}`);
          }
        }
        assert.deepEqual(failures, [], `${truth.name}\n${failures.join('\n\n')}`);
      });
    }
  });
}
