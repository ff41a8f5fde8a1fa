// The Network status controller against a real API server, through the operator's composition: the
// specification's hub and spoke (Active both ways, spokes not peered with each other), an overlapping spoke
// turning both hub peerings into Conflict with a Warning Event, usage counted from subnets, and Ready at the
// network's generation, which is what `kubectl wait --for=condition=Ready` reads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Network, NetworkKind } from '../../api/network.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { runOperator } from '../../cli/operator.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';

type NetworkObject = Network & KubeObject;
type Loose = KubeObject & Record<string, unknown>;

const network = (name: string, blocks: string[], peers: string[] = []): NetworkObject =>
  ({
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'Network',
    metadata: { name, namespace: 'default' },
    spec: {
      ipv4Blocks: blocks,
      ...(peers.length === 0 ? {} : { peering: peers.map((peer) => ({ networkRef: { name: peer } })) }),
    },
  }) as NetworkObject;

describe('the Network status controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<NetworkObject>;
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient<NetworkObject>(transport, apiResourceOf(NetworkKind));
    const logger = createLogger({ component: 'operator', buffer: new LogBuffer() });
    running = runOperator(
      { kubeConfig: server.kubeConfig, logger, identity: 'test', leaderElection: true },
      stop.signal,
    );
  });
  after(async () => {
    stop.abort();
    await running;
    transport.close();
    await server.close();
  });

  const peeringsOf = (name: string, expected: string[]) =>
    eventually(`${name} peerings ${expected.join(', ')}`, async () => {
      const status = (await networks.get('default', name)).status;
      const seen = (status?.peerings ?? []).map((p) => `${p.networkRef.name}=${p.state}`);
      return JSON.stringify(seen) === JSON.stringify(expected) ? status : undefined;
    });

  test("the specification's hub and spoke", async () => {
    await networks.create(network('hub-network', ['10.0.0.0/16']));
    await networks.create(network('prod-spoke-network', ['10.1.0.0/16'], ['hub-network']));
    await networks.create(network('staging-spoke-network', ['10.2.0.0/16'], ['hub-network']));
    await peeringsOf('hub-network', ['prod-spoke-network=Active', 'staging-spoke-network=Active']);
    await peeringsOf('prod-spoke-network', ['hub-network=Active']);
    await peeringsOf('staging-spoke-network', ['hub-network=Active']);
  });

  test('a spoke overlapping another spoke of the hub is Conflict on the hub, with a Warning Event', async () => {
    await networks.create(network('twin-spoke-network', ['10.1.128.0/17'], ['hub-network']));
    const status = await peeringsOf('hub-network', [
      'prod-spoke-network=Conflict',
      'staging-spoke-network=Active',
      'twin-spoke-network=Conflict',
    ]);
    assert.match(
      status.peerings?.[0]?.message ?? '',
      /10\.1\.0\.0\/16 overlaps default\/twin-spoke-network range 10\.1\.128\.0\/17, and both peer with default\/hub-network/,
      'names the ranges',
    );
    const events = new ResourceClient<Loose>(transport, EVENTS);
    await eventually('a PeeringConflict event', async () =>
      (await events.list('default', { fieldSelector: 'involvedObject.name=hub-network' })).items.find(
        (event) => event.reason === 'PeeringConflict' && event.type === 'Warning',
      ),
    );
    await networks.delete('default', 'twin-spoke-network');
    await peeringsOf('hub-network', ['prod-spoke-network=Active', 'staging-spoke-network=Active']);
  });

  test('usage follows the subnets, and Ready follows the generation', async () => {
    const created = await networks.create(network('multi-tier-network', ['10.100.0.0/16']));
    const subnets = new ResourceClient<Loose>(transport, apiResourceOf(SubnetKind));
    for (const [name, cidr] of [
      ['web', '10.100.0.0/24'],
      ['app', '10.100.1.0/24'],
      ['db', '10.100.2.0/25'],
    ] as const) {
      await subnets.create({
        apiVersion: 'networking.datumapis.com/v1alpha1',
        kind: 'Subnet',
        metadata: { name, namespace: 'default' },
        spec: { networkRef: { name: 'multi-tier-network' }, cidrBlock: cidr, ipFamily: 'IPv4' },
      });
    }
    const status = await eventually('640 addresses allocated', async () => {
      const current = (await networks.get('default', 'multi-tier-network')).status;
      return current?.ipv4?.allocated === 640 ? current : undefined;
    });
    assert.deepEqual(
      status.ipv4,
      { size: 65536, allocated: 640, available: 64896, largestFreePrefix: 17 },
      'usage',
    );
    const ready = status.conditions?.find((condition) => condition.type === 'Ready');
    assert.equal(ready?.status, 'True', 'Ready');
    assert.equal(ready?.observedGeneration, created.metadata.generation, 'at the generation it saw');

    const current = await networks.get('default', 'multi-tier-network');
    await networks.update({ ...current, spec: { ...current.spec, mtu: 1400 } });
    await eventually('Ready at generation 2', async () => {
      const next = await networks.get('default', 'multi-tier-network');
      const condition = next.status?.conditions?.find((c) => c.type === 'Ready');
      return condition?.observedGeneration === next.metadata.generation && next.metadata.generation === 2
        ? true
        : undefined;
    });
  });
});
