import { type Address, containsAddress, formatAddress, formatPrefix, parseAddress } from '../ipam/index.ts';
import type { CompiledAttachment, CompiledPolicies, CompiledRule, CompiledWorkload } from './compile.ts';
import { attachedInterface, evaluateFlow, findRoute } from './evaluate.ts';
import type { PolicyType, Protocol } from './inputs.ts';
import type { CompiledIPBlock } from './ip-block.ts';
import { peeringBetween, sharedPeers } from './network-graph.ts';
import { describePort } from './port-match.ts';
import { ALL, matchRulePeers, matchRulePorts, NONE } from './rule-match.ts';
import type { DirectionDecision, Endpoint, Flow, RuleRef, Verdict } from './verdict.ts';
import { hasWorkload } from './workload-set.ts';

export const TRACE_STAGES = ['Flow', 'Reachability', 'Egress', 'Ingress', 'Verdict'] as const;
export type TraceStage = (typeof TRACE_STAGES)[number];

/** depth 0 is a stage's conclusion, 1 a policy or rule, 2 a peer or port of a rule. */
export interface TraceStep {
  readonly stage: TraceStage;
  readonly depth: 0 | 1 | 2;
  readonly outcome: 'Pass' | 'Fail' | 'Info';
  readonly message: string;
}

export interface Trace {
  readonly verdict: Verdict;
  /** One sentence: the verdict and what decided it. */
  readonly summary: string;
  readonly steps: readonly TraceStep[];
}

/** The verdict of evaluateFlow with every step that led to it: route, then each isolating policy's rules per direction. */
export function traceFlow(compiled: CompiledPolicies, flow: Flow): Trace {
  const verdict = evaluateFlow(compiled, flow);
  const protocol = flow.protocol ?? 'TCP';
  const steps: TraceStep[] = [];
  const step = (stage: TraceStage, depth: 0 | 1 | 2, outcome: TraceStep['outcome'], message: string) =>
    steps.push({ stage, depth, outcome, message });
  step(
    'Flow',
    0,
    'Info',
    `${protocol}/${flow.port} from ${endpointText(flow.from)} to ${endpointText(flow.to)}`,
  );

  if (verdict.reason === 'InvalidFlow') {
    step('Verdict', 0, 'Fail', verdict.message);
    return { verdict, summary: `invalid flow: ${verdict.message}`, steps };
  }
  if (verdict.reason === 'Self') {
    const summary = 'allowed: a workload can always reach itself; policy never blocks it';
    step('Verdict', 0, 'Pass', summary);
    return { verdict, summary, steps };
  }
  const source = workloadOf(compiled, flow.from);
  const destination = workloadOf(compiled, flow.to);
  traceReachability(compiled, source, destination, flow, step);
  if (verdict.reason === 'Unreachable') {
    const summary = 'unreachable: no network route, so no policy can allow it';
    step('Verdict', 0, 'Fail', summary);
    return { verdict, summary, steps: conclusionsFirst(steps) };
  }

  const route = source && destination ? findRoute(compiled, source, destination) : undefined;
  const sourceAddress = source ? route?.from.address : externalAddress(flow.from);
  const destinationAddress = destination ? route?.to.address : externalAddress(flow.to);
  const other = (workload: CompiledWorkload | undefined, address: Address | undefined): OtherEnd => ({
    index: workload?.index ?? -1,
    name: workload?.key ?? (address ? formatAddress(address) : 'the other end'),
    address,
  });
  const context = { compiled, protocol, port: flow.port, destination, step };
  if (source)
    traceDirection(context, 'Egress', source, other(destination, destinationAddress), verdict.egress);
  if (destination)
    traceDirection(context, 'Ingress', destination, other(source, sourceAddress), verdict.ingress);

  const summary = summarise(verdict);
  step('Verdict', 0, verdict.allowed ? 'Pass' : 'Fail', summary);
  if (verdict.allowed)
    step('Verdict', 1, 'Info', 'replies on this connection are allowed: policy is stateful');
  return { verdict, summary, steps: conclusionsFirst(steps) };
}

/** Each stage is written as it is worked out, details first; a reader wants its conclusion first. */
function conclusionsFirst(steps: readonly TraceStep[]): TraceStep[] {
  const rank = (step: TraceStep) => TRACE_STAGES.indexOf(step.stage) * 2 + (step.depth === 0 ? 0 : 1);
  return [...steps].sort((a, b) => rank(a) - rank(b));
}

/** Plain text, one step a line, indented by depth. */
export function formatTrace(trace: Trace): string {
  const marks = { Pass: '✓', Fail: '✗', Info: '·' } as const;
  return trace.steps
    .map(
      ({ stage, depth, outcome, message }) =>
        `${'  '.repeat(depth)}${marks[outcome]} ${depth === 0 ? `${stage}: ` : ''}${message}`,
    )
    .join('\n');
}

type Step = (stage: TraceStage, depth: 0 | 1 | 2, outcome: TraceStep['outcome'], message: string) => void;

interface OtherEnd {
  readonly index: number;
  readonly name: string;
  readonly address: Address | undefined;
}

function traceReachability(
  compiled: CompiledPolicies,
  source: CompiledWorkload | undefined,
  destination: CompiledWorkload | undefined,
  flow: Flow,
  step: Step,
): void {
  for (const workload of [source, destination]) {
    if (!workload) continue;
    const attached = workload.attachments.filter((a) => a.networkIndex >= 0);
    const missing = workload.attachments.filter((a) => a.networkIndex < 0);
    step(
      'Reachability',
      1,
      attached.length ? 'Info' : 'Fail',
      attached.length
        ? `${workload.key} is attached to ${attached.map(attachmentText).join(', ')}`
        : `${workload.key} is attached to no existing network`,
    );
    for (const a of missing) step('Reachability', 2, 'Info', `network ${a.view.network} does not exist`);
  }
  if (!source || !destination) {
    const workload = source ?? destination!;
    const address = endpointText(source ? flow.to : flow.from);
    const attachment = attachedInterface(workload);
    if (attachment) {
      step(
        'Reachability',
        0,
        'Pass',
        `${address} is outside every workload: only ${workload.key}'s policy decides`,
      );
    } else {
      step('Reachability', 0, 'Fail', `${workload.key} has no interface to send or receive on`);
    }
    return;
  }
  const route = findRoute(compiled, source, destination);
  if (route) {
    const peering =
      route.via === 'SameNetwork'
        ? `both are on ${route.from.view.network}`
        : `${route.from.view.network} and ${route.to.view.network} are peered (${peeringBetween(compiled.networks, route.from.view.network, route.to.view.network).detail})`;
    step('Reachability', 0, 'Pass', peering);
    return;
  }
  step(
    'Reachability',
    0,
    'Fail',
    `no shared network and no Active direct peering between ${source.key} and ${destination.key}`,
  );
  for (const a of source.attachments.filter((x) => x.networkIndex >= 0)) {
    for (const b of destination.attachments.filter((x) => x.networkIndex >= 0)) {
      const peering = peeringBetween(compiled.networks, a.view.network, b.view.network);
      step(
        'Reachability',
        1,
        'Fail',
        `${a.view.network} ↔ ${b.view.network}: peering ${peering.state} (${peering.detail})`,
      );
      for (const hub of sharedPeers(compiled.networks, a.view.network, b.view.network)) {
        step(
          'Reachability',
          2,
          'Info',
          `both peer with ${hub}, but peering is not transitive: traffic does not pass through ${hub}`,
        );
      }
    }
  }
}

interface DirectionContext {
  readonly compiled: CompiledPolicies;
  readonly protocol: Protocol;
  readonly port: number;
  readonly destination: CompiledWorkload | undefined;
  readonly step: Step;
}

function traceDirection(
  context: DirectionContext,
  direction: PolicyType,
  workload: CompiledWorkload,
  other: OtherEnd,
  decision: DirectionDecision,
): void {
  const { compiled, step } = context;
  const stage = direction;
  const word = direction.toLowerCase();
  const isolation = direction === 'Ingress' ? workload.ingress : workload.egress;
  if (isolation.policies.length === 0) {
    const others = compiled.policies
      .filter((policy) => hasWorkload(policy.selected, workload.index))
      .map((policy) => `${policy.key} (${policy.policyTypes.join(', ')})`);
    step(
      stage,
      0,
      'Pass',
      `${workload.key} is not isolated for ${word}: no policy selecting it has policyType ${direction}${others.length ? `; it is selected by ${others.join(', ')}` : ''}`,
    );
    return;
  }
  step(stage, 1, 'Info', `${workload.key} is isolated for ${word} by ${isolation.policies.join(', ')}`);
  for (const key of isolation.policies) {
    const rules = isolation.rules.filter((rule) => rule.policy === key);
    if (rules.length === 0) step(stage, 1, 'Fail', `${key} has no ${word} rules: it only isolates`);
    for (const rule of rules) traceRule(context, rule, other);
  }
  if (decision.effect === 'Allowed') {
    step(stage, 0, 'Pass', `allowed by ${ruleText(decision.by)}`);
  } else {
    step(
      stage,
      0,
      'Fail',
      `denied: ${workload.key} is isolated for ${word} and no ${word} rule of ${isolation.policies.join(', ')} allows this flow`,
    );
  }
}

function traceRule(context: DirectionContext, rule: CompiledRule, other: OtherEnd): void {
  const { protocol, port, destination, step } = context;
  const stage = rule.direction;
  const field = rule.direction === 'Ingress' ? 'from' : 'to';
  const name = `${rule.policy} ${rule.direction.toLowerCase()}[${rule.index}]`;
  const portIndex = matchRulePorts(rule, protocol, port, destination?.namedPorts);
  const peerIndex = matchRulePeers(rule, other.index, other.address);
  const allows = portIndex !== NONE && peerIndex !== NONE;
  step(
    stage,
    1,
    allows ? 'Pass' : 'Fail',
    `${name} ${allows ? 'allows this flow' : 'does not allow this flow'}`,
  );

  if (portIndex === ALL) step(stage, 2, 'Pass', 'ports: none listed, so every port');
  else if (portIndex !== NONE)
    step(
      stage,
      2,
      'Pass',
      `ports[${portIndex}] ${portText(rule, portIndex, destination)} admits ${protocol}/${port}`,
    );
  else {
    const listed = (rule.ports ?? []).map((_, i) => portText(rule, i, destination)).join('; ');
    step(stage, 2, 'Fail', `ports: none of ${listed} admits ${protocol}/${port}`);
  }

  if (peerIndex === ALL) step(stage, 2, 'Pass', `${field}: none listed, so every peer`);
  else if (peerIndex !== NONE) {
    step(stage, 2, 'Pass', `${field}[${peerIndex}] (${rule.peers![peerIndex]!.text}) matches ${other.name}`);
  } else {
    for (const [i, peer] of (rule.peers ?? []).entries()) {
      const why =
        peer.kind === 'IPBlock'
          ? ipBlockMiss(peer.block, other)
          : peer.kind === 'Workloads'
            ? other.index < 0
              ? 'an address outside every workload is never selected by labels'
              : `${other.name} is not among them`
            : 'it matches nothing';
      step(stage, 2, 'Fail', `${field}[${i}] (${peer.text}) does not match: ${why}`);
    }
  }
}

function ipBlockMiss(block: CompiledIPBlock, other: OtherEnd): string {
  if (other.address === undefined) return `${other.name} has no address on this route`;
  const address = formatAddress(other.address);
  if (!containsAddress(block.cidr, other.address)) return `${address} is outside ${formatPrefix(block.cidr)}`;
  const hole = block.except.find((prefix) => containsAddress(prefix, other.address!));
  return hole ? `${address} is in the except block ${formatPrefix(hole)}` : `${address} is excepted`;
}

function portText(rule: CompiledRule, index: number, destination: CompiledWorkload | undefined): string {
  const port = rule.ports![index]!;
  const text = describePort(port);
  if (port.name === undefined) return text;
  if (!destination) return `${text} (a named port never matches an address outside every workload)`;
  const named = destination.namedPorts.get(port.name);
  if (!named) return `${text} (${destination.key} has no port named ${port.name})`;
  if (named.protocol !== port.protocol)
    return `${text} (${destination.key}'s ${port.name} is ${named.protocol})`;
  return `${text} (${named.port} on ${destination.key})`;
}

export function ruleText(by: RuleRef): string {
  const field = by.direction === 'Ingress' ? 'from' : 'to';
  const peer = by.peer === undefined ? '' : ` ${field}[${by.peer}]`;
  const port = by.port === undefined ? '' : ` ports[${by.port}]`;
  return `${by.policy} ${by.direction.toLowerCase()}[${by.rule}]${peer}${port}`;
}

function summarise(verdict: Verdict): string {
  if (verdict.reason !== 'Allowed' && verdict.reason !== 'NotIsolated' && verdict.reason !== 'Denied')
    return verdict.reason;
  const side = (name: string, decision: DirectionDecision): string => {
    switch (decision.effect) {
      case 'NotIsolated':
        return `${name} not isolated`;
      case 'External':
        return `no ${name} policy for an external ${name === 'egress' ? 'source' : 'destination'}`;
      case 'Allowed':
        return `${name} allowed by ${ruleText(decision.by)}`;
      case 'Denied':
        return `${name} denied (isolated by ${decision.isolatedBy.join(', ')})`;
    }
  };
  const sides = `${side('egress', verdict.egress)}; ${side('ingress', verdict.ingress)}`;
  return `${verdict.allowed ? 'allowed' : 'denied'}: ${sides}`;
}

function workloadOf(compiled: CompiledPolicies, endpoint: Endpoint): CompiledWorkload | undefined {
  if (!('workload' in endpoint)) return undefined;
  const index = compiled.workloadIndex.get(endpoint.workload);
  return index === undefined ? undefined : compiled.workloads[index];
}

function externalAddress(endpoint: Endpoint): Address | undefined {
  if (!('address' in endpoint)) return undefined;
  const parsed = parseAddress(endpoint.address);
  return parsed.ok ? parsed.value : undefined;
}

function endpointText(endpoint: Endpoint): string {
  return 'workload' in endpoint ? endpoint.workload : endpoint.address;
}

function attachmentText(attachment: CompiledAttachment): string {
  return attachment.view.address
    ? `${attachment.view.network} (${attachment.view.address})`
    : attachment.view.network;
}
