import type { Address } from '../ipam/index.ts';
import type { CompiledPeer, CompiledRule, Isolation } from './compile.ts';
import type { Protocol } from './inputs.ts';
import { ipBlockContains } from './ip-block.ts';
import type { CompiledPort, NamedPorts } from './port-match.ts';
import type { DirectionDecision } from './verdict.ts';

// The hot path of evaluation lives in this one module: calls across modules cost a getter each under tsx.

/** The rule lists no peers or no ports, so it matches them all. */
export const ALL = -2;
export const NONE = -1;

const NOT_ISOLATED: DirectionDecision = { effect: 'NotIsolated' };

/**
 * One direction of a flow: allowed by the first rule (policy-key order) whose ports and peers both admit it.
 * `peer` is the other end's workload index (-1 for an address) and `address` its address on the route.
 */
export function decideDirection(
  isolation: Isolation,
  peer: number,
  address: Address | undefined,
  protocol: Protocol,
  port: number,
  destination: NamedPorts | undefined,
): DirectionDecision {
  if (isolation.policies.length === 0) return NOT_ISOLATED;
  const { rules } = isolation;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    const portIndex = matchRulePorts(rule, protocol, port, destination);
    if (portIndex === NONE) continue;
    const peerIndex = matchRulePeers(rule, peer, address);
    if (peerIndex === NONE) continue;
    return {
      effect: 'Allowed',
      isolatedBy: isolation.policies,
      by: {
        policy: rule.policy,
        direction: rule.direction,
        rule: rule.index,
        peer: peerIndex === ALL ? undefined : peerIndex,
        port: portIndex === ALL ? undefined : portIndex,
      },
    };
  }
  return isolation.denied;
}

/** The index of the first port entry that admits the flow, ALL or NONE; named ports resolve against `destination`. */
export function matchRulePorts(
  rule: CompiledRule,
  protocol: Protocol,
  port: number,
  destination: NamedPorts | undefined,
): number {
  const { ports } = rule;
  if (ports === undefined) return ALL;
  for (let i = 0; i < ports.length; i++) if (portMatches(ports[i]!, protocol, port, destination)) return i;
  return NONE;
}

/** The index of the first peer that is the other end (workload index, or -1 with an address), ALL or NONE. */
export function matchRulePeers(rule: CompiledRule, workload: number, address: Address | undefined): number {
  const { peers } = rule;
  if (peers === undefined) return ALL;
  for (let i = 0; i < peers.length; i++) if (peerMatches(peers[i]!, workload, address)) return i;
  return NONE;
}

/** The destination is unknown (undefined) for traffic to an external address: a named port then never matches. */
export function portMatches(
  compiled: CompiledPort,
  protocol: Protocol,
  port: number,
  destination: NamedPorts | undefined,
): boolean {
  if (compiled.protocol !== protocol) return false;
  if (compiled.name === undefined) return port >= compiled.from && port <= compiled.to;
  const named = destination?.get(compiled.name);
  return named !== undefined && named.protocol === protocol && named.port === port;
}

/** A selector peer matches workloads only; an ipBlock matches the other end's address, a workload's included. */
export function peerMatches(peer: CompiledPeer, workload: number, address: Address | undefined): boolean {
  switch (peer.kind) {
    case 'Workloads':
      return workload >= 0 && ((peer.members[workload >>> 5]! >>> (workload & 31)) & 1) === 1;
    case 'IPBlock':
      return address !== undefined && ipBlockContains(peer.block, address);
    case 'Invalid':
      return false;
  }
}
