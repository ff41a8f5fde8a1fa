import { type Address, parseAddress } from '../ipam/index.ts';
import type { CompiledAttachment, CompiledPolicies, CompiledWorkload } from './compile.ts';
import { PROTOCOLS, type Protocol } from './inputs.ts';
import { MAX_PORT } from './port-match.ts';
import { decideDirection } from './rule-match.ts';
import type { DirectionDecision, Flow, Path, Verdict } from './verdict.ts';

const SELF: Verdict = { allowed: true, reason: 'Self' };
const UNREACHABLE: Verdict = { allowed: false, reason: 'Unreachable' };
const EXTERNAL: DirectionDecision = { effect: 'External' };

export interface Route {
  readonly via: 'SameNetwork' | 'Peering';
  readonly from: CompiledAttachment;
  readonly to: CompiledAttachment;
}

/**
 * Whether a flow may start, and what decided it. Pure and order-free: the same rule set gives the same verdict,
 * naming the first allowing rule in policy-key order when several allow.
 */
export function evaluateFlow(compiled: CompiledPolicies, flow: Flow): Verdict {
  const protocol = flow.protocol ?? 'TCP';
  const problem = flowProblem(protocol, flow.port);
  if (problem !== undefined) return invalid(problem);
  const { from, to } = flow;
  if ('workload' in from) {
    const source = compiled.workloadIndex.get(from.workload);
    if (source === undefined) return invalid(unknownWorkload(from.workload));
    if ('workload' in to) {
      const destination = compiled.workloadIndex.get(to.workload);
      if (destination === undefined) return invalid(unknownWorkload(to.workload));
      return evaluateWorkloads(compiled, source, destination, protocol, flow.port);
    }
    const address = parseAddress(to.address);
    if (!address.ok) return invalid(address.message);
    return evaluateExternal(compiled.workloads[source]!, 'to', address.value, protocol, flow.port);
  }
  if (!('workload' in to)) return invalid('at least one end of a flow must be a workload');
  const destination = compiled.workloadIndex.get(to.workload);
  if (destination === undefined) return invalid(unknownWorkload(to.workload));
  const address = parseAddress(from.address);
  if (!address.ok) return invalid(address.message);
  return evaluateExternal(compiled.workloads[destination]!, 'from', address.value, protocol, flow.port);
}

/** evaluateFlow between two workloads by index, for callers that sweep many flows (a matrix). */
export function evaluateWorkloads(
  compiled: CompiledPolicies,
  source: number,
  destination: number,
  protocol: Protocol,
  port: number,
): Verdict {
  if (source === destination) return SELF;
  const from = compiled.workloads[source]!;
  const to = compiled.workloads[destination]!;
  const route = findRoute(compiled, from, to);
  if (route === undefined) return UNREACHABLE;
  const path: Path = { via: route.via, from: route.from.view, to: route.to.view };
  const egress = decideDirection(from.egress, destination, route.to.address, protocol, port, to.namedPorts);
  const ingress = decideDirection(to.ingress, source, route.from.address, protocol, port, to.namedPorts);
  return verdictOf(path, egress, ingress);
}

/** The workload's side decides alone: an address outside every workload has no policy of its own. */
function evaluateExternal(
  workload: CompiledWorkload,
  side: 'from' | 'to',
  address: Address,
  protocol: Protocol,
  port: number,
): Verdict {
  const attachment = attachedInterface(workload);
  if (attachment === undefined) return UNREACHABLE;
  if (side === 'to') {
    const egress = decideDirection(workload.egress, -1, address, protocol, port, undefined);
    return verdictOf({ via: 'External', from: attachment.view, to: undefined }, egress, EXTERNAL);
  }
  const ingress = decideDirection(workload.ingress, -1, address, protocol, port, workload.namedPorts);
  return verdictOf({ via: 'External', from: undefined, to: attachment.view }, EXTERNAL, ingress);
}

/** The interfaces the flow uses: a shared network first, else an Active direct peering; interface order breaks ties. */
export function findRoute(
  compiled: CompiledPolicies,
  from: CompiledWorkload,
  to: CompiledWorkload,
): Route | undefined {
  for (const a of from.attachments) {
    if (a.networkIndex < 0) continue;
    for (const b of to.attachments)
      if (b.networkIndex === a.networkIndex) return { via: 'SameNetwork', from: a, to: b };
  }
  const size = compiled.networks.keys.length;
  const linked = compiled.networks.linked;
  for (const a of from.attachments) {
    if (a.networkIndex < 0) continue;
    for (const b of to.attachments) {
      if (b.networkIndex >= 0 && linked[a.networkIndex * size + b.networkIndex] === 1) {
        return { via: 'Peering', from: a, to: b };
      }
    }
  }
  return undefined;
}

export function attachedInterface(workload: CompiledWorkload): CompiledAttachment | undefined {
  return workload.attachments.find((attachment) => attachment.networkIndex >= 0);
}

function verdictOf(path: Path, egress: DirectionDecision, ingress: DirectionDecision): Verdict {
  if (egress.effect === 'Denied' || ingress.effect === 'Denied') {
    return { allowed: false, reason: 'Denied', path, egress, ingress };
  }
  const reason = egress.effect === 'Allowed' || ingress.effect === 'Allowed' ? 'Allowed' : 'NotIsolated';
  return { allowed: true, reason, path, egress, ingress };
}

function flowProblem(protocol: string, port: number): string | undefined {
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    return `protocol "${protocol}" is not supported: use ${PROTOCOLS.join(', ')}`;
  }
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT)
    return `port ${port} is out of range: use 1 to ${MAX_PORT}`;
  return undefined;
}

function unknownWorkload(key: string): string {
  return key.includes('/')
    ? `workload ${key} does not exist`
    : `workload "${key}" must be written NAMESPACE/NAME, e.g. default/${key}`;
}

function invalid(message: string): Verdict {
  return { allowed: false, reason: 'InvalidFlow', message };
}
