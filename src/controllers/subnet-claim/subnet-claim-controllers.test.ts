// SubnetClaim → Subnet against a real API server: the specification's examples, exhaustion and recovery,
// a missing network, explicit blocks, adoption, a record surviving a crash, release on delete, and IPv6.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import { NetworkAllocationKind } from '../../api/network-allocation.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { SubnetClaimKind } from '../../api/subnet-claim.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import { SUBNET_CLAIM_FINALIZER } from './claim-finalizer.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from './indexes.ts';
import { recordEntries } from './record-entries.ts';
import { type SubnetClaimOperator, startSubnetClaimOperator } from './testing/subnet-claim-operator.ts';

type Event = KubeObject & { reason?: string; type?: string; message?: string };

const NS = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';

const network = (name: string, blocks: { ipv4?: string[]; ipv6?: string[] }): NetworkObject => ({
  apiVersion: API_VERSION,
  kind: 'Network',
  metadata: { name, namespace: NS },
  spec: {
    ...(blocks.ipv4 === undefined ? {} : { ipv4Blocks: blocks.ipv4 }),
    ...(blocks.ipv6 === undefined ? {} : { ipv6Blocks: blocks.ipv6 }),
  },
});

const claim = (name: string, spec: Partial<ClaimObject['spec']> & { network: string }): ClaimObject => {
  const { network: networkName, ...rest } = spec;
  return {
    apiVersion: API_VERSION,
    kind: 'SubnetClaim',
    metadata: { name, namespace: NS },
    spec: { networkRef: { name: networkName }, prefixLength: 24, ...rest },
  };
};

describe('the SubnetClaim controllers', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let operator: SubnetClaimOperator;
  let networks: ResourceClient<NetworkObject>;
  let claims: ResourceClient<ClaimObject>;
  let subnets: ResourceClient<SubnetObject>;
  let records: ResourceClient<RecordObject>;
  let events: ResourceClient<Event>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    claims = new ResourceClient(transport, apiResourceOf(SubnetClaimKind));
    subnets = new ResourceClient(transport, apiResourceOf(SubnetKind));
    records = new ResourceClient(transport, apiResourceOf(NetworkAllocationKind));
    events = new ResourceClient(transport, EVENTS);
    operator = await startSubnetClaimOperator(server.kubeConfig, { identity: 'operator' });
  });
  after(async () => {
    await operator.stop();
    transport.close();
    await server.close();
  });

  const claimWhere = (name: string, check: (claim: ClaimObject) => boolean, timeoutMs?: number) =>
    eventually(
      `claim ${name} as expected`,
      async () => {
        const found = await claims.get(NS, name);
        return check(found) ? found : undefined;
      },
      timeoutMs,
    );
  const bound = (name: string) => claimWhere(name, (c) => c.status?.phase === 'Bound');
  const failedWith = (name: string, reason: string) =>
    claimWhere(name, (c) => c.status?.conditions?.find((x) => x.type === 'Allocated')?.reason === reason);
  const condition = (found: ClaimObject, type: 'Allocated' | 'Ready') =>
    found.status?.conditions?.find((c) => c.type === type);
  const eventOf = (name: string, reason: string) =>
    eventually(`a ${reason} event about ${name}`, async () =>
      (await events.list(NS, { fieldSelector: `involvedObject.name=${name}` })).items.find(
        (event) => event.reason === reason,
      ),
    );
  const gone = async (read: () => Promise<unknown>): Promise<boolean> => {
    try {
      await read();
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  };

  test('the multi-tier example: 10.100.0.0/24, 10.100.1.0/24 and 10.100.2.0/25 in creation order', async () => {
    await networks.create(network('app-network', { ipv4: ['10.100.0.0/16'] }));
    for (const [name, prefixLength] of [
      ['web-subnet', 24],
      ['app-subnet', 24],
      ['db-subnet', 25],
    ] as const) {
      await claims.create(claim(name, { network: 'app-network', prefixLength }));
    }
    const expected = {
      'web-subnet': '10.100.0.0/24',
      'app-subnet': '10.100.1.0/24',
      'db-subnet': '10.100.2.0/25',
    };
    const uids = new Map<string, string>();
    for (const [name, cidr] of Object.entries(expected)) {
      const found = await bound(name);
      uids.set(name, found.metadata.uid!);
      assert.equal(found.status?.cidrBlock, cidr, `${name}'s block`);
      assert.equal(
        found.status?.subnetRef?.name,
        name,
        `${name} has no -claim suffix: the Subnet takes its name`,
      );
      const subnet = await subnets.get(NS, name);
      assert.equal(subnet.spec.cidrBlock, cidr, `Subnet ${name}'s block`);
      assert.equal(subnet.spec.networkRef.name, 'app-network', `Subnet ${name}'s network`);
    }
    const record = await records.get(NS, 'app-network');
    assert.deepEqual(
      recordEntries(record),
      Object.entries(expected).map(([name, cidr]) => ({
        cidr,
        kind: 'SubnetClaim',
        name,
        uid: uids.get(name),
      })),
      'one entry per claim, by uid, in address order',
    );
    assert.equal(record.spec.count, 3, 'the count kubectl shows');
    const owner = record.metadata.ownerReferences?.[0];
    assert.equal(owner?.kind, 'Network', 'the record is owned by its network');
    assert.equal(owner?.uid, (await networks.get(NS, 'app-network')).metadata.uid, 'by its uid');
  });

  test('web-tier-subnet-claim becomes the Ready Subnet web-tier-subnet, with its location', async () => {
    await networks.create(network('production-network', { ipv4: ['10.0.0.0/16'], ipv6: ['fd00:db8::/64'] }));
    const location = { region: 'us-central1', zone: 'us-central1-a' };
    await claims.create(
      claim('web-tier-subnet-claim', { network: 'production-network', prefixLength: 24, location }),
    );
    const found = await bound('web-tier-subnet-claim');
    assert.equal(found.status?.subnetRef?.name, 'web-tier-subnet', 'the specification’s naming');
    assert.equal(found.status?.cidrBlock, '10.0.0.0/24', 'the lowest free /24');
    assert.equal(found.status?.observedGeneration, found.metadata.generation, 'observedGeneration');
    assert.equal(condition(found, 'Allocated')?.status, 'True', 'Allocated');
    assert.equal(
      condition(found, 'Allocated')?.message,
      '10.0.0.0/24 allocated from network production-network',
      'message',
    );
    assert.equal(condition(found, 'Ready')?.reason, 'SubnetReady', 'Ready');
    assert.ok(found.metadata.finalizers?.includes('networking.datumapis.com/subnet-allocation'), 'finalizer');
    const subnet = await subnets.get(NS, 'web-tier-subnet');
    assert.deepEqual(
      subnet.spec,
      { networkRef: { name: 'production-network' }, cidrBlock: '10.0.0.0/24', ipFamily: 'IPv4', location },
      'the Subnet’s spec',
    );
    assert.deepEqual(
      subnet.metadata.ownerReferences?.map(({ kind, name, uid, controller }) => ({
        kind,
        name,
        uid,
        controller,
      })),
      [{ kind: 'SubnetClaim', name: 'web-tier-subnet-claim', uid: found.metadata.uid, controller: true }],
      'owned by the claim',
    );
    const event = await eventOf('web-tier-subnet-claim', 'Allocated');
    assert.equal(event.type, 'Normal', 'event type');
    assert.match(event.message ?? '', /10\.0\.0\.0\/24 .* for Subnet web-tier-subnet$/, 'event message');
  });

  test('on a server that does not add the finalizer, the operator adds it itself', async () => {
    await networks.create(network('bare-network', { ipv4: ['10.9.0.0/16'] }));
    await claims.create(claim('bare-claim', { network: 'bare-network', prefixLength: 24 }));
    // What a Kubernetes API server without nso's admission leaves: no finalizer at all.
    const stripped = await claims.patch(NS, 'bare-claim', {
      type: 'merge',
      patch: { metadata: { finalizers: null } },
    });
    assert.deepEqual(stripped.metadata.finalizers ?? [], [], 'the finalizer is gone');
    const found = await eventually('the finalizer back', async () => {
      const current = await claims.get(NS, 'bare-claim');
      return SUBNET_CLAIM_FINALIZER.on(current) ? current : undefined;
    });
    assert.ok(SUBNET_CLAIM_FINALIZER.on(found), 'the operator put it back');
    assert.equal((await bound('bare-claim')).status?.cidrBlock, '10.9.0.0/24', 'and allocated the claim');
  });

  test('exhaustion is explained, and the waiting claim gets the block a deleted claim frees', async () => {
    await networks.create(network('small-network', { ipv4: ['10.1.0.0/26'] }));
    await claims.create(claim('small-1', { network: 'small-network', prefixLength: 27 }));
    await claims.create(claim('small-2', { network: 'small-network', prefixLength: 27 }));
    assert.equal((await bound('small-1')).status?.cidrBlock, '10.1.0.0/27', 'first /27');
    assert.equal((await bound('small-2')).status?.cidrBlock, '10.1.0.32/27', 'second /27');
    await claims.create(claim('small-3', { network: 'small-network', prefixLength: 27 }));
    const waiting = await failedWith('small-3', 'InsufficientCapacity');
    assert.equal(waiting.status?.phase, 'Pending', 'waits for capacity');
    assert.equal(
      condition(waiting, 'Allocated')?.message,
      'network small-network: no free /27 in 10.1.0.0/26; every address is allocated',
      "the allocator's explanation",
    );
    assert.equal((await eventOf('small-3', 'InsufficientCapacity')).type, 'Warning', 'a Warning event');

    await claims.delete(NS, 'small-1');
    const recovered = await bound('small-3');
    assert.equal(recovered.status?.cidrBlock, '10.1.0.0/27', 'the freed block');
    assert.ok(await gone(() => claims.get(NS, 'small-1')), 'the deleted claim is gone once released');
  });

  test('a claim on a missing network says so, and is allocated once the network exists', async () => {
    await claims.create(claim('early-claim', { network: 'late-network', prefixLength: 20 }));
    const waiting = await failedWith('early-claim', 'NetworkNotFound');
    assert.equal(
      condition(waiting, 'Allocated')?.message,
      'network late-network does not exist in namespace default',
      'message',
    );
    assert.equal(waiting.status?.phase, 'Pending', 'phase');
    assert.equal((await eventOf('early-claim', 'NetworkNotFound')).type, 'Warning', 'a Warning event');
    await networks.create(network('late-network', { ipv4: ['172.16.0.0/16'] }));
    const found = await bound('early-claim');
    assert.equal(found.status?.cidrBlock, '172.16.0.0/20', 'allocated once the network appears');
    assert.equal(found.status?.subnetRef?.name, 'early', 'the -claim suffix dropped');
  });

  test('an explicit cidrBlock is reserved; one overlapping it, outside the network or too large is refused', async () => {
    await networks.create(network('explicit-network', { ipv4: ['10.2.0.0/16'] }));
    await claims.create(
      claim('pinned', { network: 'explicit-network', prefixLength: 24, cidrBlock: '10.2.5.0/24' }),
    );
    assert.equal((await bound('pinned')).status?.cidrBlock, '10.2.5.0/24', 'the block asked for');
    await claims.create(claim('dynamic', { network: 'explicit-network', prefixLength: 24 }));
    assert.equal(
      (await bound('dynamic')).status?.cidrBlock,
      '10.2.4.0/24',
      'best fit: the smallest free block, the explicit one’s buddy, rather than splitting 10.2.0.0/22',
    );

    await claims.create(
      claim('clash', { network: 'explicit-network', prefixLength: 25, cidrBlock: '10.2.5.128/25' }),
    );
    const clash = await failedWith('clash', 'Overlaps');
    assert.equal(
      condition(clash, 'Allocated')?.message,
      '10.2.5.128/25 overlaps 10.2.5.0/24, which is allocated to SubnetClaim pinned',
      'names the holder',
    );
    assert.equal(clash.status?.phase, 'Pending', 'waits for the holder to go');
    await claims.create(
      claim('outside', { network: 'explicit-network', prefixLength: 24, cidrBlock: '10.3.0.0/24' }),
    );
    const outside = await failedWith('outside', 'OutsideNetwork');
    assert.equal(
      condition(outside, 'Allocated')?.message,
      '10.3.0.0/24 is outside network explicit-network (10.2.0.0/16)',
      'names the network’s blocks',
    );
    assert.equal(outside.status?.phase, 'Failed', 'only a change can fix it');
    await claims.create(claim('huge', { network: 'explicit-network', prefixLength: 12 }));
    const huge = await failedWith('huge', 'PrefixLengthOutOfRange');
    assert.match(
      condition(huge, 'Allocated')?.message ?? '',
      /a \/12 is larger than every block of the network/,
      'why',
    );
    assert.equal(huge.status?.phase, 'Failed', 'phase');

    await claims.delete(NS, 'pinned');
    assert.equal((await bound('clash')).status?.cidrBlock, '10.2.5.128/25', 'served once the holder is gone');
  });

  test('a Subnet written for the claim is adopted, and the claim takes its block', async () => {
    const created = await claims.create(
      claim('adopted-claim', { network: 'adopt-network', prefixLength: 24 }),
    );
    await failedWith('adopted-claim', 'NetworkNotFound');
    const written = await subnets.create({
      apiVersion: API_VERSION,
      kind: 'Subnet',
      metadata: {
        name: 'adopted',
        namespace: NS,
        ownerReferences: [
          { apiVersion: API_VERSION, kind: 'SubnetClaim', name: 'adopted-claim', uid: created.metadata.uid! },
        ],
      },
      spec: { networkRef: { name: 'adopt-network' }, cidrBlock: '10.0.1.0/24' },
    });
    await networks.create(network('adopt-network', { ipv4: ['10.0.0.0/16'] }));
    const found = await bound('adopted-claim');
    assert.equal(found.status?.cidrBlock, '10.0.1.0/24', 'the Subnet’s block, not the lowest free one');
    const subnet = await subnets.get(NS, 'adopted');
    assert.equal(subnet.metadata.uid, written.metadata.uid, 'the same Subnet, not a new one');
    assert.deepEqual(
      recordEntries(await records.get(NS, 'adopt-network')).map((e) => [e.cidr, e.uid]),
      [['10.0.1.0/24', created.metadata.uid]],
      'recorded for the claim',
    );
  });

  test('after a crash between commit and Subnet, the recorded block is used and never a second one', async () => {
    const created = await claims.create(claim('crashed', { network: 'crash-network', prefixLength: 24 }));
    await failedWith('crashed', 'NetworkNotFound');
    // What an operator that died right after its commit leaves: an entry, no Subnet, no status.
    await records.create({
      apiVersion: API_VERSION,
      kind: 'NetworkAllocation',
      metadata: { name: 'crash-network', namespace: NS },
      spec: {
        networkRef: { name: 'crash-network' },
        allocations: [`10.4.7.0/24 SubnetClaim crashed ${created.metadata.uid}`],
        count: 1,
      },
    });
    const net = await networks.create(network('crash-network', { ipv4: ['10.4.0.0/16'] }));
    const found = await bound('crashed');
    assert.equal(found.status?.cidrBlock, '10.4.7.0/24', 'the recorded block, not 10.4.0.0/24');
    assert.equal((await subnets.get(NS, 'crashed')).spec.cidrBlock, '10.4.7.0/24', 'the Subnet finished');
    const record = await eventually('the record adopted by its network', async () => {
      const current = await records.get(NS, 'crash-network');
      return current.metadata.ownerReferences?.[0]?.uid === net.metadata.uid ? current : undefined;
    });
    assert.equal(recordEntries(record).length, 1, 'still one entry');
  });

  test('deleting a claim deletes its Subnet, frees its entry, then lets the claim go', async () => {
    await networks.create(network('release-network', { ipv4: ['10.5.0.0/16'] }));
    const created = await claims.create(
      claim('release-me-claim', { network: 'release-network', prefixLength: 22 }),
    );
    await bound('release-me-claim');
    await claims.delete(NS, 'release-me-claim');
    await eventually('the claim gone', async () =>
      (await gone(() => claims.get(NS, 'release-me-claim'))) ? true : undefined,
    );
    assert.ok(await gone(() => subnets.get(NS, 'release-me')), 'the Subnet is gone');
    const record = await records.get(NS, 'release-network');
    assert.ok(!recordEntries(record).some((e) => e.uid === created.metadata.uid), 'the entry is freed');
    assert.equal(record.spec.count, 0, 'nothing allocated');
    const event = await eventOf('release-me-claim', 'Released');
    assert.equal(event.message, '10.5.0.0/22 released to network release-network', 'a Released event');
  });

  test('IPv6 claims get /64s of the IPv6 blocks; an IPv4 claim on an IPv6-only network fails', async () => {
    await networks.create(network('v6-network', { ipv6: ['fd00:10::/48'] }));
    await claims.create(claim('v6-a', { network: 'v6-network', ipFamily: 'IPv6', prefixLength: 64 }));
    await claims.create(claim('v6-b', { network: 'v6-network', ipFamily: 'IPv6', prefixLength: 64 }));
    assert.equal((await bound('v6-a')).status?.cidrBlock, 'fd00:10::/64', 'first /64');
    assert.equal((await bound('v6-b')).status?.cidrBlock, 'fd00:10:0:1::/64', 'second /64');
    assert.equal((await subnets.get(NS, 'v6-a')).spec.ipFamily, 'IPv6', 'the Subnet’s family');
    await claims.create(claim('v4-on-v6', { network: 'v6-network', prefixLength: 24 }));
    const failed = await failedWith('v4-on-v6', 'FamilyNotInNetwork');
    assert.equal(condition(failed, 'Allocated')?.message, 'network v6-network has no IPv4 blocks', 'message');
    assert.equal(failed.status?.phase, 'Failed', 'phase');
  });
});
