// Proves the API kinds (src/api) feed the engine as they are, with the specification's own examples: the
// web-tier policy, deny-all, and hub-and-spoke peering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network, NetworkPolicy, Workload } from '../api/index.ts';
import { compilePolicies } from './compile.ts';
import { evaluateFlow } from './evaluate.ts';
import type { PolicyInputs } from './inputs.ts';

const net = (name: string, cidr: string, peering: string[], active: string[]): Network => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name, namespace: 'default' },
  spec: { ipv4Blocks: [cidr], peering: peering.map((peer) => ({ networkRef: { name: peer } })) },
  status: { peerings: active.map((peer) => ({ networkRef: { name: peer }, state: 'Active' as const })) },
});

const wl = (name: string, tier: string, network: string, ipAddress: string): Workload => ({
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name, namespace: 'default', labels: { tier } },
  spec: {
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    networkInterfaces: [{ network: { name: network } }],
  },
  status: { interfaces: [{ network, ipAddress, binding: `${name}-${network}` }] },
});

const webTierPolicy: NetworkPolicy = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web-tier-policy', namespace: 'default' },
  spec: {
    podSelector: { matchLabels: { tier: 'web' } },
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }],
        ports: [
          { protocol: 'TCP', port: 80 },
          { protocol: 'TCP', port: 443 },
        ],
      },
    ],
    egress: [
      { to: [{ podSelector: { matchLabels: { tier: 'app' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ],
  },
};

const denyAll: NetworkPolicy = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-all', namespace: 'staging' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

const world: PolicyInputs = {
  networks: [
    net('hub-network', '10.0.0.0/16', [], []),
    net('prod-spoke-network', '10.1.0.0/16', ['hub-network'], ['hub-network']),
    net('staging-spoke-network', '10.2.0.0/16', ['hub-network'], ['hub-network']),
  ],
  workloads: [
    wl('frontend', 'frontend', 'hub-network', '10.0.0.10'),
    wl('web', 'web', 'prod-spoke-network', '10.1.0.10'),
    wl('app', 'app', 'prod-spoke-network', '10.1.0.11'),
    wl('tester', 'test', 'staging-spoke-network', '10.2.0.10'),
  ],
  policies: [webTierPolicy, denyAll],
};

const compiled = compilePolicies(world);
const allowed = (from: string, to: string, port: number) =>
  evaluateFlow(compiled, { from: { workload: `default/${from}` }, to: { workload: `default/${to}` }, port })
    .allowed;

test('web-tier-policy: web accepts the frontend on 80 and 443 only, and sends only to app on 8080', () => {
  assert.equal(allowed('frontend', 'web', 80), true, 'frontend → web :80 across hub and spoke');
  assert.equal(allowed('frontend', 'web', 443), true, ':443');
  assert.equal(allowed('frontend', 'web', 8080), false, ':8080 is not listed');
  assert.equal(allowed('app', 'web', 80), false, 'app is not a frontend');
  assert.equal(allowed('web', 'app', 8080), true, 'web → app :8080');
  assert.equal(allowed('web', 'app', 80), false, 'web → app :80');
  assert.equal(
    allowed('web', 'frontend', 80),
    false,
    'egress is isolated: policyTypes default to Ingress and Egress',
  );
});

test('hub and spoke: the spokes reach the hub but not each other', () => {
  assert.equal(allowed('tester', 'frontend', 80), true, 'staging spoke → hub');
  assert.equal(allowed('tester', 'app', 80), false, 'staging spoke → prod spoke');
});

test('deny-all in a namespace with no workloads changes nothing elsewhere', () => {
  assert.equal(allowed('app', 'frontend', 80), true, 'default is untouched');
});
