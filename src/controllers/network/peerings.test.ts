import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Network } from '../../api/network.ts';
import { peeringStatuses } from './peerings.ts';

const network = (key: string, blocks: string[], peers: string[] = []): Network => {
  const [namespace, name] = key.split('/') as [string, string];
  return {
    apiVersion: 'networking.datumapis.com/v1alpha1',
    kind: 'Network',
    metadata: { name, namespace },
    spec: {
      ipv4Blocks: blocks,
      peering: peers.map((peer) => {
        const [ns, n] = peer.split('/') as [string, string];
        return { networkRef: ns === namespace ? { name: n } : { name: n, namespace: ns } };
      }),
    },
  } as Network;
};

const states = (self: Network, all: Network[]) =>
  peeringStatuses(self, all).map((p) => `${p.networkRef.namespace ?? '.'}/${p.networkRef.name}=${p.state}`);

describe('peeringStatuses', () => {
  const hub = network('default/hub', ['10.0.0.0/16']);
  const prod = network('default/prod', ['10.1.0.0/16'], ['default/hub']);
  const staging = network('default/staging', ['10.2.0.0/16'], ['default/hub']);
  const all = [hub, prod, staging];

  test("the specification's hub and spoke: one-sided declarations in a namespace are Active on both sides", () => {
    assert.deepEqual(states(hub, all), ['./prod=Active', './staging=Active'], 'the hub reports both spokes');
    assert.deepEqual(
      states(prod, all),
      ['./hub=Active'],
      'a spoke reports only the hub: peering is not transitive',
    );
  });

  test('across namespaces both sides must declare; until then Pending says who has not', () => {
    const a = network('team-a/net', ['10.10.0.0/16'], ['team-b/net']);
    const b = network('team-b/net', ['10.20.0.0/16']);
    const [pending] = peeringStatuses(a, [a, b]);
    assert.equal(pending?.state, 'Pending', 'one side only');
    assert.match(
      pending?.message ?? '',
      /both sides must declare the peering; team-b\/net does not declare team-a\/net/,
      'message',
    );
    const both = network('team-b/net', ['10.20.0.0/16'], ['team-a/net']);
    assert.deepEqual(states(a, [a, both]), ['team-b/net=Active'], 'both declare');
    assert.deepEqual(states(both, [a, both]), ['team-a/net=Active'], 'the other side agrees');
  });

  test('overlapping peers, and two overlapping spokes of one hub, are Conflict naming the ranges', () => {
    const clash = network('default/clash', ['10.0.128.0/17'], ['default/hub']);
    const [direct] = peeringStatuses(clash, [hub, clash]);
    assert.equal(direct?.state, 'Conflict', 'direct overlap');
    assert.equal(
      direct?.message,
      'default/clash range 10.0.128.0/17 overlaps default/hub range 10.0.0.0/16',
      'message',
    );

    const twin = network('default/twin', ['10.1.128.0/17'], ['default/hub']);
    const withTwin = [...all, twin];
    assert.deepEqual(
      states(hub, withTwin),
      ['./prod=Conflict', './staging=Active', './twin=Conflict'],
      'the hub cannot route to two overlapping spokes',
    );
    const [spoke] = peeringStatuses(prod, withTwin);
    assert.match(
      spoke?.message ?? '',
      /default\/prod range 10\.1\.0\.0\/16 overlaps default\/twin range 10\.1\.128\.0\/17, and both peer with default\/hub/,
      'the spoke says why',
    );
  });

  test('a declared peer that does not exist is Pending', () => {
    const lonely = network('default/lonely', ['10.9.0.0/16'], ['default/ghost']);
    const [only] = peeringStatuses(lonely, [lonely]);
    assert.deepEqual(
      [only?.state, only?.message],
      ['Pending', 'network default/ghost does not exist'],
      'pending',
    );
  });
});
