import type { Network } from '../../api/network.ts';
import { formatPrefix, overlaps, type Prefix, parsePrefix } from '../../ipam/index.ts';

type PeeringStatus = NonNullable<NonNullable<Network['status']>['peerings']>[number];

interface Node {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly blocks: readonly Prefix[];
  /** Keys of the networks this one declares a peering with. */
  readonly declares: ReadonlySet<string>;
}

/**
 * The peering states one network reports, from every network the operator sees (DESIGN.md §4): a peering
 * declared by either side inside one namespace, or by both across namespaces, is Active unless ranges overlap
 * — the two networks' own, or those of two networks peered with the same hub, since traffic to the hub could
 * not tell them apart — which is Conflict, naming the ranges. Anything else is Pending, saying what is missing.
 * Both sides compute the same state for their pair, and peering is never transitive.
 */
export function peeringStatuses(self: Network, networks: readonly Network[]): PeeringStatus[] {
  const nodes = new Map(networks.map((network) => [keyOf(network), node(network)]));
  const own = nodes.get(keyOf(self)) ?? node(self);
  const peers = new Set(own.declares);
  for (const other of nodes.values())
    if (other.declares.has(own.key) && other.key !== own.key) peers.add(other.key);
  return [...peers].sort().map((peerKey) => {
    const [namespace, name] = peerKey.split('/') as [string, string];
    const networkRef = namespace === own.namespace ? { name } : { name, namespace };
    const { state, message } = pairState(own, peerKey, nodes);
    return { networkRef, state, message };
  });
}

function pairState(
  own: Node,
  peerKey: string,
  nodes: ReadonlyMap<string, Node>,
): { state: PeeringStatus['state']; message: string } {
  const peer = nodes.get(peerKey);
  if (peer === undefined) return { state: 'Pending', message: `network ${peerKey} does not exist` };
  if (!eligible(own, peer)) {
    const missing = own.declares.has(peer.key) ? peer : own;
    return {
      state: 'Pending',
      message: `across namespaces both sides must declare the peering; ${missing.key} does not declare ${missing === peer ? own.key : peer.key}`,
    };
  }
  const direct = overlap(own, peer);
  if (direct !== undefined) return { state: 'Conflict', message: direct };
  for (const [hub, spoke] of [
    [own, peer],
    [peer, own],
  ] as const) {
    for (const other of nodes.values()) {
      if (other.key === own.key || other.key === peer.key || !eligible(hub, other)) continue;
      const clash = overlap(spoke, other);
      if (clash !== undefined) {
        return { state: 'Conflict', message: `${clash}, and both peer with ${hub.key}` };
      }
    }
  }
  return { state: 'Active', message: `${own.key} and ${peer.key} are peered` };
}

/** A pair may be peered: declared by one side in one namespace, by both across namespaces. */
function eligible(a: Node, b: Node): boolean {
  const byA = a.declares.has(b.key);
  const byB = b.declares.has(a.key);
  return a.namespace === b.namespace ? byA || byB : byA && byB;
}

function overlap(a: Node, b: Node): string | undefined {
  for (const x of a.blocks) {
    for (const y of b.blocks) {
      if (overlaps(x, y))
        return `${a.key} range ${formatPrefix(x)} overlaps ${b.key} range ${formatPrefix(y)}`;
    }
  }
  return undefined;
}

function keyOf(network: Network): string {
  return `${network.metadata.namespace ?? 'default'}/${network.metadata.name ?? ''}`;
}

function node(network: Network): Node {
  const namespace = network.metadata.namespace ?? 'default';
  const blocks = [...(network.spec.ipv4Blocks ?? []), ...(network.spec.ipv6Blocks ?? [])]
    .map((text) => parsePrefix(text))
    .flatMap((parsed) => (parsed.ok ? [parsed.value] : []));
  return {
    key: keyOf(network),
    namespace,
    name: network.metadata.name ?? '',
    blocks,
    declares: new Set(
      (network.spec.peering ?? []).map(
        ({ networkRef }) => `${networkRef.namespace ?? namespace}/${networkRef.name}`,
      ),
    ),
  };
}
