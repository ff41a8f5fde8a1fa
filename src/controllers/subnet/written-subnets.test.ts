// Subnets written by hand, through the operator's composition against a real API server: reserved in the
// network's allocation record and Ready, never overlapped by a later claim; refused as Overlaps, OutsideNetwork
// or NetworkNotFound with a Warning Event, and Ready once the cause goes; their entry freed when they go.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NetworkKind } from '../../api/network.ts';
import type { NetworkAllocationEntry } from '../../api/network-allocation.ts';
import { NetworkAllocationKind } from '../../api/network-allocation.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { SubnetClaimKind } from '../../api/subnet-claim.ts';
import { runOperator } from '../../cli/operator.ts';
import { isNotFound } from '../../client/api-error.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { mustParsePrefix, overlaps } from '../../ipam/index.ts';
import { LogBuffer } from '../../log/log-buffer.ts';
import { createLogger } from '../../log/logger.ts';
import { EVENTS } from '../runtime/operator-api.ts';
import { eventually } from '../runtime/testing/eventually.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from '../subnet-claim/indexes.ts';
import { recordEntries } from '../subnet-claim/record-entries.ts';

type Event = KubeObject & { reason?: string; type?: string; message?: string };

const NS = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';

const network = (name: string, ipv4Blocks: string[]): NetworkObject => ({
  apiVersion: API_VERSION,
  kind: 'Network',
  metadata: { name, namespace: NS },
  spec: { ipv4Blocks },
});
const written = (name: string, networkName: string, cidrBlock: string): SubnetObject => ({
  apiVersion: API_VERSION,
  kind: 'Subnet',
  metadata: { name, namespace: NS },
  spec: { networkRef: { name: networkName }, cidrBlock, ipFamily: 'IPv4' },
});
const claim = (name: string, networkName: string, prefixLength: number): ClaimObject => ({
  apiVersion: API_VERSION,
  kind: 'SubnetClaim',
  metadata: { name, namespace: NS },
  spec: { networkRef: { name: networkName }, prefixLength },
});

describe('Subnets written by hand', { timeout: 120_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<NetworkObject>;
  let subnets: ResourceClient<SubnetObject>;
  let claims: ResourceClient<ClaimObject>;
  let records: ResourceClient<RecordObject>;
  let events: ResourceClient<Event>;
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    subnets = new ResourceClient(transport, apiResourceOf(SubnetKind));
    claims = new ResourceClient(transport, apiResourceOf(SubnetClaimKind));
    records = new ResourceClient(transport, apiResourceOf(NetworkAllocationKind));
    events = new ResourceClient(transport, EVENTS);
    const logger = createLogger({ component: 'operator', buffer: new LogBuffer() });
    running = runOperator(
      { kubeConfig: server.kubeConfig, logger, identity: 'test', leaderElection: false },
      stop.signal,
    );
  });
  after(async () => {
    stop.abort();
    await running;
    transport.close();
    await server.close();
  });

  const subnetWhere = (name: string, what: string, check: (subnet: SubnetObject) => boolean) =>
    eventually(`subnet ${name} ${what}`, async () => {
      const found = await subnets.get(NS, name);
      return check(found) ? found : undefined;
    });
  const readyOf = (subnet: SubnetObject) => subnet.status?.conditions?.find((c) => c.type === 'Ready');
  const refusedWith = (name: string, reason: string) =>
    subnetWhere(name, `refused as ${reason}`, (s) => readyOf(s)?.reason === reason);
  const boundClaim = (name: string) =>
    eventually(`claim ${name} Bound`, async () => {
      const found = await claims.get(NS, name);
      return found.status?.phase === 'Bound' ? found : undefined;
    });
  const entriesOf = async (networkName: string): Promise<readonly NetworkAllocationEntry[]> => {
    try {
      return recordEntries(await records.get(NS, networkName));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  };
  const eventOf = (name: string, reason: string) =>
    eventually(`a ${reason} event about ${name}`, async () =>
      (await events.list(NS, { fieldSelector: `involvedObject.name=${name}` })).items.find(
        (event) => event.reason === reason,
      ),
    );
  const assertNoOverlap = (entries: readonly NetworkAllocationEntry[], what: string): void => {
    for (const [i, a] of entries.entries()) {
      for (const b of entries.slice(i + 1)) {
        assert.ok(
          !overlaps(mustParsePrefix(a.cidr), mustParsePrefix(b.cidr)),
          `${what}: ${a.kind} ${a.name} (${a.cidr}) and ${b.kind} ${b.name} (${b.cidr}) overlap`,
        );
      }
    }
  };

  test('one inside the network is reserved in the record and Ready; a later claim goes around it', async () => {
    await networks.create(network('written-network', ['10.20.0.0/16']));
    const created = await subnets.create(written('manual', 'written-network', '10.20.0.0/24'));
    const ready = await subnetWhere('manual', 'Ready', (s) => s.status?.phase === 'Ready');
    assert.equal(readyOf(ready)?.status, 'True', 'Ready condition True');
    assert.deepEqual(
      [ready.status?.gateway, ready.status?.allocatedIPs, ready.status?.availableIPs],
      ['10.20.0.1', 4, 252],
      'gateway and the counts of a fresh /24',
    );
    assert.deepEqual(
      await entriesOf('written-network'),
      [{ cidr: '10.20.0.0/24', kind: 'Subnet', name: 'manual', uid: created.metadata.uid }],
      'the record holds the Subnet’s own entry',
    );
    await eventOf('manual', 'Ready');

    await claims.create(claim('after-claim', 'written-network', 24));
    const bound = await boundClaim('after-claim');
    assert.equal(bound.status?.cidrBlock, '10.20.1.0/24', 'the lowest /24 the written Subnet leaves');
    assertNoOverlap(await entriesOf('written-network'), 'the record');
  });

  test('one over a claim’s block is Overlaps naming the claim, Pending, with a Warning Event; Ready once the claim goes', async () => {
    const created = await subnets.create(written('squatter', 'written-network', '10.20.1.128/25'));
    const refused = await refusedWith('squatter', 'Overlaps');
    assert.equal(readyOf(refused)?.status, 'False', 'not Ready');
    assert.equal(refused.status?.phase, 'Pending', 'Pending: it is reserved once the holder goes');
    assert.equal(
      readyOf(refused)?.message,
      '10.20.1.128/25 overlaps 10.20.1.0/24, which is allocated to SubnetClaim after-claim',
      'names the holder and its block',
    );
    assert.equal(refused.status?.gateway, undefined, 'no gateway for a block it does not hold');
    assert.ok(
      !(await entriesOf('written-network')).some((e) => e.uid === created.metadata.uid),
      'no entry for it',
    );
    const warning = await eventOf('squatter', 'Overlaps');
    assert.equal(warning.type, 'Warning', 'a Warning Event');

    await claims.delete(NS, 'after-claim');
    await subnetWhere('squatter', 'Ready once the claim is gone', (s) => s.status?.phase === 'Ready');
    assert.ok(
      (await entriesOf('written-network')).some(
        (e) => e.uid === created.metadata.uid && e.kind === 'Subnet' && e.cidr === '10.20.1.128/25',
      ),
      'reserved in the record',
    );
  });

  test('one outside the network is OutsideNetwork and Failed, with a Warning Event', async () => {
    const created = await subnets.create(written('stray', 'written-network', '10.99.0.0/24'));
    const refused = await refusedWith('stray', 'OutsideNetwork');
    assert.equal(refused.status?.phase, 'Failed', 'Failed: the network must change first');
    assert.equal(
      readyOf(refused)?.message,
      '10.99.0.0/24 is outside network written-network (10.20.0.0/16)',
      'names the network’s blocks',
    );
    assert.ok(
      !(await entriesOf('written-network')).some((e) => e.uid === created.metadata.uid),
      'no entry for it',
    );
    assert.equal((await eventOf('stray', 'OutsideNetwork')).type, 'Warning', 'a Warning Event');
  });

  test('one whose network is missing is NetworkNotFound, and Ready once the network exists', async () => {
    await subnets.create(written('early', 'later-network', '10.30.0.0/24'));
    const refused = await refusedWith('early', 'NetworkNotFound');
    assert.equal(refused.status?.phase, 'Pending', 'Pending: the network may yet come');
    assert.equal(
      readyOf(refused)?.message,
      `network later-network does not exist in namespace ${NS}`,
      'names the network',
    );
    await networks.create(network('later-network', ['10.30.0.0/16']));
    await subnetWhere('early', 'Ready once the network exists', (s) => s.status?.phase === 'Ready');
  });

  test('deleting one frees its entry, and a claim can then take its block', async () => {
    const manual = await subnets.get(NS, 'manual');
    await subnets.delete(NS, 'manual');
    await eventually('the entry of manual freed', async () =>
      (await entriesOf('written-network')).some((e) => e.uid === manual.metadata.uid) ? undefined : true,
    );
    await claims.create(claim('reuse-claim', 'written-network', 24));
    const bound = await boundClaim('reuse-claim');
    assert.equal(bound.status?.cidrBlock, '10.20.0.0/24', 'the freed block is the lowest free /24 again');
    assertNoOverlap(await entriesOf('written-network'), 'the record');
  });

  test('a burst of written Subnets and claims on one network never leaves two overlapping holders', async () => {
    await networks.create(network('burst-network', ['10.40.0.0/22']));
    await Promise.all([
      ...[0, 1, 2, 3].map((i) => subnets.create(written(`burst-${i}`, 'burst-network', `10.40.${i}.0/24`))),
      ...[0, 1].map((i) => claims.create(claim(`burst-claim-${i}`, 'burst-network', 24))),
    ]);
    const settled = await eventually('every burst Subnet Ready or refused', async () => {
      const all = (await subnets.list(NS)).items.filter((s) => s.spec.networkRef.name === 'burst-network');
      const handWritten = all.filter(
        (s) => s.metadata.name?.startsWith('burst-') && !s.metadata.ownerReferences,
      );
      const done = handWritten.every((s) => s.status?.phase === 'Ready' || readyOf(s)?.reason === 'Overlaps');
      return handWritten.length === 4 && done ? handWritten : undefined;
    });
    const entries = await entriesOf('burst-network');
    assertNoOverlap(entries, 'the burst record');
    for (const subnet of settled) {
      const held = entries.some((e) => e.uid === subnet.metadata.uid && e.cidr === subnet.spec.cidrBlock);
      assert.equal(held, subnet.status?.phase === 'Ready', `${subnet.metadata.name} is Ready iff reserved`);
    }
  });
});
