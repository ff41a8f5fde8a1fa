import { type Prefix, parsePrefix } from '../ipam/index.ts';
import { DEFAULT_NAMESPACE, type NetworkInput } from './inputs.ts';

export const PEERING_STATES = ['Active', 'Pending', 'Conflict', 'None'] as const;
export type PeeringState = (typeof PEERING_STATES)[number];

export interface Peering {
  readonly state: PeeringState;
  /** Which side reported what, for a trace. */
  readonly detail: string;
}

/** Networks by `namespace/name`, their blocks, and which pairs may carry traffic before any policy. */
export interface NetworkGraph {
  readonly keys: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly blocks: readonly (readonly Prefix[])[];
  /** linked[a * size + b] is 1 when a = b or a and b have an Active direct peering; peering is not transitive. */
  readonly linked: Uint8Array;
  readonly peerings: ReadonlyMap<string, Peering>;
}

const NO_PEERING: Peering = { state: 'None', detail: 'neither network declares a peering with the other' };

export function compileNetworks(networks: readonly NetworkInput[]): NetworkGraph {
  const keys: string[] = [];
  const index = new Map<string, number>();
  const blocks: Prefix[][] = [];
  for (const network of networks) {
    const { name, namespace = DEFAULT_NAMESPACE } = network.metadata;
    const key = `${namespace}/${name}`;
    if (name === undefined || index.has(key)) continue;
    index.set(key, keys.length);
    keys.push(key);
    blocks.push(
      [...(network.spec.ipv4Blocks ?? []), ...(network.spec.ipv6Blocks ?? [])]
        .map((text) => parsePrefix(text))
        .flatMap((parsed) => (parsed.ok ? [parsed.value] : [])),
    );
  }
  const reports = new Map<string, { declared: string[]; states: Map<string, string> }>();
  const report = (pair: string) => {
    const found = reports.get(pair) ?? { declared: [], states: new Map<string, string>() };
    reports.set(pair, found);
    return found;
  };
  for (const network of networks) {
    const { name, namespace = DEFAULT_NAMESPACE } = network.metadata;
    const self = `${namespace}/${name}`;
    if (name === undefined) continue;
    for (const { networkRef } of network.spec.peering ?? []) {
      const other = `${networkRef.namespace ?? namespace}/${networkRef.name}`;
      if (other !== self) report(pairKey(self, other)).declared.push(self);
    }
    for (const { networkRef, state } of network.status?.peerings ?? []) {
      const other = `${networkRef.namespace ?? namespace}/${networkRef.name}`;
      if (other !== self) report(pairKey(self, other)).states.set(self, state);
    }
  }
  const size = keys.length;
  const linked = new Uint8Array(size * size);
  for (let i = 0; i < size; i++) linked[i * size + i] = 1;
  const peerings = new Map<string, Peering>();
  for (const [pair, { declared, states }] of reports) {
    const peering = combine(declared, states);
    peerings.set(pair, peering);
    const [a, b] = JSON.parse(pair) as [string, string];
    const ia = index.get(a);
    const ib = index.get(b);
    if (peering.state === 'Active' && ia !== undefined && ib !== undefined) {
      linked[ia * size + ib] = 1;
      linked[ib * size + ia] = 1;
    }
  }
  return { keys, index, blocks, linked, peerings };
}

export function peeringBetween(graph: NetworkGraph, a: string, b: string): Peering {
  return graph.peerings.get(pairKey(a, b)) ?? NO_PEERING;
}

/** Networks with an Active peering to both a and b: the hubs traffic cannot transit. */
export function sharedPeers(graph: NetworkGraph, a: string, b: string): string[] {
  const ia = graph.index.get(a);
  const ib = graph.index.get(b);
  if (ia === undefined || ib === undefined) return [];
  const size = graph.keys.length;
  return graph.keys.filter(
    (_, hub) =>
      hub !== ia && hub !== ib && graph.linked[ia * size + hub] === 1 && graph.linked[ib * size + hub] === 1,
  );
}

function pairKey(a: string, b: string): string {
  return JSON.stringify(a < b ? [a, b] : [b, a]);
}

/** Active only when a side reports Active and neither reports anything else: one bad report keeps it closed. */
function combine(declared: readonly string[], states: ReadonlyMap<string, string>): Peering {
  const reported = [...states].map(([side, state]) => `${side} reports ${state}`).join('; ');
  const values = [...states.values()];
  if (values.includes('Conflict')) return { state: 'Conflict', detail: reported };
  if (values.length > 0 && values.every((state) => state === 'Active'))
    return { state: 'Active', detail: reported };
  if (values.length > 0) return { state: 'Pending', detail: reported };
  return {
    state: 'Pending',
    detail: `declared by ${declared.join(' and ')}, but no state has been reported yet`,
  };
}
