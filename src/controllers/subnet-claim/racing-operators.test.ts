// Proves allocation safety under racing operators (issue 7, requirement 4, reduced): 2, then 4 operators
// without leader election, each waiting 0–50 ms at random between reading a record and writing it, serve 40
// claims of /28 from a /24: exactly 16 Bound and 24 InsufficientCapacity, no overlap, no claim with two
// blocks; then 8 Bound claims are deleted at once and 8 waiting ones take their blocks. Compare-and-swap
// conflicts must have been observed, else the race never happened and the test proves nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkKind } from '../../api/network.ts';
import { NetworkAllocationKind } from '../../api/network-allocation.ts';
import { SubnetKind } from '../../api/subnet.ts';
import { SubnetClaimKind } from '../../api/subnet-claim.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { apiResourceOf } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import { startTestApiServer, type TestApiServer } from '../../client/testing/test-api-server.ts';
import { mustParsePrefix, overlaps } from '../../ipam/index.ts';
import type { ClaimObject, NetworkObject, RecordObject, SubnetObject } from './indexes.ts';
import { recordEntries } from './record-entries.ts';
import { type SubnetClaimOperator, startSubnetClaimOperator } from './testing/subnet-claim-operator.ts';

/** Rounds per operator count, as issue 7 asks; NSO_RACE_ROUNDS=5 for a quick local run. */
const ROUNDS = Number(process.env.NSO_RACE_ROUNDS ?? 50);
const CLAIMS = 40;
const BLOCK = '10.60.0.0/24';
const FITS = 16;
const DELETED = 8;
const NS = 'default';
const API_VERSION = 'networking.datumapis.com/v1alpha1';

const allocatedReason = (claim: ClaimObject): string | undefined =>
  claim.status?.conditions?.find((c) => c.type === 'Allocated')?.reason;

function assertDisjoint(cidrs: readonly string[], what: string): void {
  const prefixes = cidrs.map((cidr) => mustParsePrefix(cidr));
  for (let i = 0; i < prefixes.length; i++) {
    for (let j = i + 1; j < prefixes.length; j++) {
      assert.ok(!overlaps(prefixes[i]!, prefixes[j]!), `${what}: ${cidrs[i]} overlaps ${cidrs[j]}`);
    }
  }
}

describe('racing operators', { timeout: 600_000 }, () => {
  let server: TestApiServer;
  let transport: ApiTransport;
  let networks: ResourceClient<NetworkObject>;
  let claims: ResourceClient<ClaimObject>;
  let subnets: ResourceClient<SubnetObject>;
  let records: ResourceClient<RecordObject>;

  before(async () => {
    server = await startTestApiServer();
    transport = new ApiTransport(server.kubeConfig);
    networks = new ResourceClient(transport, apiResourceOf(NetworkKind));
    claims = new ResourceClient(transport, apiResourceOf(SubnetClaimKind));
    subnets = new ResourceClient(transport, apiResourceOf(SubnetKind));
    records = new ResourceClient(transport, apiResourceOf(NetworkAllocationKind));
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  const claimsOf = async (network: string) =>
    (await claims.list(NS, { fieldSelector: `spec.networkRef.name=${network}` })).items;

  /** Every invariant of one round, as the API server holds it. */
  const verify = async (network: string, total: number): Promise<void> => {
    const all = await claimsOf(network);
    assert.equal(all.length, total, `${network}: every claim`);
    const bound = all.filter((claim) => claim.status?.phase === 'Bound');
    const refused = all.filter((claim) => allocatedReason(claim) === 'InsufficientCapacity');
    assert.equal(bound.length, FITS, `${network}: Bound claims`);
    assert.equal(refused.length, total - FITS, `${network}: InsufficientCapacity claims`);
    for (const claim of refused) {
      assert.equal(
        claim.status?.conditions?.find((c) => c.type === 'Allocated')?.message,
        `network ${network}: no free /28 in ${BLOCK}; every address is allocated`,
        `${claim.metadata.name}: the explanation`,
      );
      assert.equal(claim.status?.cidrBlock, undefined, `${claim.metadata.name}: no block`);
    }
    assertDisjoint(
      bound.map((claim) => claim.status!.cidrBlock!),
      `${network}: claims`,
    );

    const record = await records.get(NS, network);
    const entries = recordEntries(record);
    assert.equal(entries.length, FITS, `${network}: record entries`);
    assert.equal(new Set(entries.map((e) => e.uid)).size, FITS, `${network}: one entry per claim`);
    assertDisjoint(
      entries.map((e) => e.cidr),
      `${network}: record`,
    );
    const byUid = new Map(entries.map((e) => [e.uid, e.cidr]));
    for (const claim of bound) {
      assert.equal(
        byUid.get(claim.metadata.uid!),
        claim.status?.cidrBlock,
        `${claim.metadata.name}: as recorded`,
      );
    }

    const owned = (await subnets.list(NS, { fieldSelector: `spec.networkRef.name=${network}` })).items;
    assert.equal(owned.length, FITS, `${network}: one Subnet per Bound claim`);
    for (const subnet of owned) {
      const owner = subnet.metadata.ownerReferences?.find((ref) => ref.controller)?.uid ?? '';
      assert.equal(
        byUid.get(owner),
        subnet.spec.cidrBlock,
        `Subnet ${subnet.metadata.name}: its claim's block`,
      );
    }
  };

  /** Waits until the network has `total` claims, each Bound or InsufficientCapacity, FITS of them Bound. */
  const settled = async (network: string, total: number): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const all = await claimsOf(network);
      const bound = all.filter((claim) => claim.status?.phase === 'Bound').length;
      const refused = all.filter((claim) => allocatedReason(claim) === 'InsufficientCapacity').length;
      if (all.length === total && bound === FITS && bound + refused === total) return;
      assert.ok(
        Date.now() < deadline,
        `${network}: ${total} claims settled within 30 s (${all.length} claims, ${bound} Bound, ${refused} refused)`,
      );
      await sleep(50);
    }
  };

  for (const operators of [2, 4]) {
    test(`${operators} operators, ${ROUNDS} rounds of ${CLAIMS} /28 claims into a /24`, async (t) => {
      const running: SubnetClaimOperator[] = [];
      for (let i = 0; i < operators; i++) {
        running.push(
          await startSubnetClaimOperator(server.kubeConfig, {
            identity: `racer-${operators}-${i}`,
            beforeCommit: () => sleep(Math.random() * 50),
          }),
        );
      }
      try {
        const rounds: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const network = `race-${operators}-${round}`;
          rounds.push(network);
          await networks.create({
            apiVersion: API_VERSION,
            kind: 'Network',
            metadata: { name: network, namespace: NS },
            spec: { ipv4Blocks: [BLOCK] },
          });
          await Promise.all(
            Array.from({ length: CLAIMS }, (_, i) =>
              claims.create({
                apiVersion: API_VERSION,
                kind: 'SubnetClaim',
                metadata: { name: `${network}-${String(i).padStart(2, '0')}`, namespace: NS },
                spec: { networkRef: { name: network }, prefixLength: 28 },
              }),
            ),
          );
          await settled(network, CLAIMS);
          await verify(network, CLAIMS);
          const freed = (await claimsOf(network))
            .filter((claim) => claim.status?.phase === 'Bound')
            .slice(0, DELETED)
            .map((claim) => claim.metadata.name!);
          await Promise.all(freed.map((name) => claims.delete(NS, name)));
          await settled(network, CLAIMS - DELETED);
          await verify(network, CLAIMS - DELETED);
        }
        // Nothing moved since: every earlier round still holds.
        for (const network of rounds) await verify(network, CLAIMS - DELETED);
        const conflicts = (await Promise.all(running.map((operator) => operator.conflicts()))).reduce(
          (a, b) => a + b,
        );
        t.diagnostic(`${conflicts} compare-and-swap conflicts`);
        assert.ok(
          conflicts > 0,
          `the operators raced: ${conflicts} compare-and-swap conflicts over ${ROUNDS} rounds`,
        );
      } finally {
        await Promise.all(running.map((operator) => operator.stop()));
      }
    });
  }
});
