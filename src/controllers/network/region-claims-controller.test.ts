// Network regions → owned SubnetClaims against a real API server with the SubnetClaim controllers: the
// specification's multi-region example gets three /16 claims owned by the network, all Bound without overlap;
// a removed region's claim is deleted, an added claim is created, and deleting the network deletes them all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { type Network, NetworkKind } from '../../api/network.ts';
import { type SubnetClaim, SubnetClaimKind } from '../../api/subnet-claim.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { Informer } from '../../client/informer.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import type { Controller } from '../runtime/controller.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import {
  type SubnetClaimOperator,
  startSubnetClaimOperator,
} from '../subnet-claim/testing/subnet-claim-operator.ts';
import { regionClaimsController } from './region-claims-controller.ts';

type NetworkObject = Network & KubeObject;
type ClaimObject = SubnetClaim & KubeObject;
const NS = 'default';

const example = parse(
  readFileSync(new URL('../../../examples/multi-region.yaml', import.meta.url), 'utf8'),
) as NetworkObject;

describe('the Network regions controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let claimOperator: SubnetClaimOperator;
  let informers: Informer<NetworkObject | ClaimObject>[];
  let controller: Controller;
  let networks: ResourceClient<NetworkObject>;
  let claims: ResourceClient<ClaimObject>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    claims = new ResourceClient(transport, apiResourceOf(SubnetClaimKind));
    claimOperator = await startSubnetClaimOperator(server.kubeConfig, { identity: 'claims' });
    const networkInformer = new Informer<NetworkObject>(networks);
    const claimInformer = new Informer<ClaimObject>(claims);
    informers = [networkInformer, claimInformer] as Informer<NetworkObject | ClaimObject>[];
    for (const each of informers) each.start();
    await Promise.all(informers.map((each) => each.waitForSync()));
    controller = regionClaimsController({
      networks: networkInformer,
      claims: claimInformer,
      claimClient: claims,
    });
    controller.start();
  });
  after(async () => {
    await controller.stop();
    await Promise.all(informers.map((each) => each.stop()));
    await claimOperator.stop();
    transport.close();
    await server.close();
  });

  const claimNames = (expected: string[]) =>
    eventually(`claims ${expected.join(', ')}`, async () => {
      const items = (await claims.list(NS)).items;
      const names = items.map((claim) => claim.metadata.name ?? '').sort();
      return JSON.stringify(names) === JSON.stringify([...expected].sort()) ? items : undefined;
    });

  test("the specification's multi-region network gets three owned /16 claims, all Bound", async () => {
    const network = await networks.create({ ...example, metadata: { ...example.metadata, namespace: NS } });
    const names = [
      'global-network-us-central1',
      'global-network-europe-west1',
      'global-network-asia-southeast1',
    ];
    const found = await claimNames(names);
    for (const claim of found) {
      const owner = claim.metadata.ownerReferences?.[0];
      assert.equal(owner?.kind, 'Network', `${claim.metadata.name} is owned by a Network`);
      assert.equal(owner?.uid, network.metadata.uid, `${claim.metadata.name} is owned by global-network`);
      assert.equal(owner?.controller, true, `${claim.metadata.name} is controlled by it`);
      assert.equal(claim.spec.prefixLength, 16, `${claim.metadata.name} asks for a /16`);
      assert.equal(
        claim.spec.location?.region,
        claim.metadata.name?.replace('global-network-', ''),
        `${claim.metadata.name} is located in its region`,
      );
    }
    const bound = await eventually('three claims Bound', async () => {
      const items = (await claims.list(NS)).items.filter((claim) => claim.status?.phase === 'Bound');
      return items.length === 3 ? items : undefined;
    });
    const blocks = bound.map((claim) => claim.status?.cidrBlock ?? '');
    assert.equal(new Set(blocks).size, 3, `three distinct blocks: ${blocks.join(', ')}`);
    for (const block of blocks) assert.match(block, /^10\.\d+\.0\.0\/16$/, `${block} is a /16 of 10.0.0.0/8`);
  });

  test("a removed region's claim is deleted and an added claim is created", async () => {
    const current = await networks.get(NS, 'global-network');
    const regions = (current.spec.regions ?? [])
      .filter((region) => region.name !== 'asia-southeast1')
      .map((region) =>
        region.name === 'europe-west1'
          ? { ...region, subnetClaims: [...(region.subnetClaims ?? []), { prefixLength: 20 }] }
          : region,
      );
    await networks.update({ ...current, spec: { ...current.spec, regions } });
    const found = await claimNames([
      'global-network-us-central1',
      'global-network-europe-west1',
      'global-network-europe-west1-2',
    ]);
    const added = found.find((claim) => claim.metadata.name === 'global-network-europe-west1-2');
    assert.equal(added?.spec.prefixLength, 20, 'the added claim asks for a /20');
    await eventually('the /20 Bound', async () =>
      (await claims.get(NS, 'global-network-europe-west1-2')).status?.phase === 'Bound' ? true : undefined,
    );
  });

  test('deleting the network deletes its claims', async () => {
    await networks.delete(NS, 'global-network');
    await claimNames([]);
  });
});
