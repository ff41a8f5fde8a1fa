import { type Address, formatAddress, parseAddress } from '../ipam/index.ts';
import {
  DEFAULT_NAMESPACE,
  type EgressRuleInput,
  type IngressRuleInput,
  type LabelSelector,
  type Labels,
  NAMESPACE_NAME_LABEL,
  type NetworkPolicyInput,
  type PeerInput,
  type PolicyInputs,
  type PolicyType,
  type WorkloadInput,
} from './inputs.ts';
import { type CompiledIPBlock, compileIPBlock } from './ip-block.ts';
import { describeSelector, isEmptySelector, matchesSelector, selectorKey } from './label-selector.ts';
import { compileNetworks, type NetworkGraph } from './network-graph.ts';
import { effectivePolicyTypes } from './policy-types.ts';
import { type CompiledPort, compilePort, type NamedPorts, namedPortsOf } from './port-match.ts';
import type { Attachment, DirectionDecision } from './verdict.ts';
import {
  addWorkload,
  emptyWorkloadSet,
  intersect,
  members,
  unite,
  type WorkloadSet,
} from './workload-set.ts';

export interface CompiledAttachment {
  /** -1 when the interface names a network that does not exist: it carries no traffic. */
  readonly networkIndex: number;
  readonly address: Address | undefined;
  readonly view: Attachment;
}

/** The rules that apply to one direction of one workload, in policy-key order; no policies = not isolated. */
export interface Isolation {
  readonly policies: readonly string[];
  readonly rules: readonly CompiledRule[];
  readonly denied: DirectionDecision;
}

export interface CompiledWorkload {
  readonly index: number;
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly attachments: readonly CompiledAttachment[];
  readonly namedPorts: NamedPorts;
  readonly ingress: Isolation;
  readonly egress: Isolation;
}

export type CompiledPeer =
  | {
      readonly kind: 'Workloads';
      readonly members: WorkloadSet;
      readonly text: string;
      readonly source: PeerInput;
    }
  | {
      readonly kind: 'IPBlock';
      readonly block: CompiledIPBlock;
      readonly text: string;
      readonly source: PeerInput;
    }
  | { readonly kind: 'Invalid'; readonly text: string; readonly source: PeerInput };

/** peers/ports undefined: the rule lists none, so it matches every peer/port. */
export interface CompiledRule {
  readonly policy: string;
  readonly direction: PolicyType;
  readonly index: number;
  readonly peers: readonly CompiledPeer[] | undefined;
  readonly ports: readonly CompiledPort[] | undefined;
}

export interface CompiledPolicy {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly policyTypes: readonly PolicyType[];
  readonly selected: WorkloadSet;
  /** Only the directions in policyTypes; rules of another direction are ignored, as Kubernetes ignores them. */
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  readonly source: NetworkPolicyInput;
}

export interface NamespaceMatch {
  readonly namespaces: readonly string[];
  readonly workloads: WorkloadSet;
}

/**
 * The neutral rule set: selectors resolved to workload sets, each workload's ingress and egress rules gathered in
 * policy-key order (so input order never matters), networks and peerings as a reachability table.
 */
export interface CompiledPolicies {
  readonly workloads: readonly CompiledWorkload[];
  readonly workloadIndex: ReadonlyMap<string, number>;
  readonly namespaces: ReadonlyMap<string, Labels>;
  readonly namespaceWorkloads: ReadonlyMap<string, WorkloadSet>;
  readonly networks: NetworkGraph;
  readonly policies: readonly CompiledPolicy[];
  readonly policyIndex: ReadonlyMap<string, number>;
  /** Workloads whose labels match a selector, in any namespace. */
  selectWorkloads(selector: LabelSelector): WorkloadSet;
  selectNamespaces(selector: LabelSelector): NamespaceMatch;
}

const NOT_ISOLATED: DirectionDecision = { effect: 'NotIsolated' };

/** Total: invalid pieces (an unparsable ipBlock, a peer with no selector) match nothing and are reported by policyReport. */
export function compilePolicies(inputs: PolicyInputs): CompiledPolicies {
  const networks = compileNetworks(inputs.networks);
  const namespaces = collectNamespaces(inputs);
  const sources = uniqueByKey(inputs.workloads);
  const workloadIndex = new Map(sources.map(({ key }, index) => [key, index]));
  const namespaceWorkloads = new Map(
    [...namespaces.keys()].map((name) => [name, emptyWorkloadSet(sources.length)]),
  );
  for (const [index, { namespace }] of sources.entries())
    addWorkload(namespaceWorkloads.get(namespace)!, index);
  const selectors = selectorIndex(sources, namespaces, namespaceWorkloads);
  const context: PeerContext = { namespaceWorkloads, ...selectors, peers: new Map() };
  const policies = uniqueByKey(inputs.policies).map((policy) => compilePolicy(policy, context));
  const isolations = gatherIsolations(policies, sources.length);
  const workloads = sources.map(
    ({ key, namespace, name, input }, index): CompiledWorkload => ({
      index,
      key,
      namespace,
      name,
      labels: input.metadata.labels ?? {},
      attachments: attachmentsOf(input, namespace, networks),
      namedPorts: namedPortsOf(input.spec.ports),
      ingress: isolations.ingress[index]!,
      egress: isolations.egress[index]!,
    }),
  );
  const policyIndex = new Map(policies.map((policy, index) => [policy.key, index]));
  return {
    workloads,
    workloadIndex,
    namespaces,
    namespaceWorkloads,
    networks,
    policies,
    policyIndex,
    ...selectors,
  };
}

/** Each distinct selector is matched against every workload (or namespace) once, then served from a cache. */
function selectorIndex(
  sources: readonly Keyed<WorkloadInput>[],
  namespaces: ReadonlyMap<string, Labels>,
  namespaceWorkloads: ReadonlyMap<string, WorkloadSet>,
): Pick<CompiledPolicies, 'selectWorkloads' | 'selectNamespaces'> {
  const byPodSelector = new Map<string, WorkloadSet>();
  const byNamespaceSelector = new Map<string, NamespaceMatch>();
  return {
    selectWorkloads(selector) {
      const key = selectorKey(selector);
      let set = byPodSelector.get(key);
      if (!set) {
        set = emptyWorkloadSet(sources.length);
        for (const [i, { input }] of sources.entries()) {
          if (matchesSelector(selector, input.metadata.labels)) addWorkload(set, i);
        }
        byPodSelector.set(key, set);
      }
      return set;
    },
    selectNamespaces(selector) {
      const key = selectorKey(selector);
      let match = byNamespaceSelector.get(key);
      if (!match) {
        const names = [...namespaces]
          .filter(([, labels]) => matchesSelector(selector, labels))
          .map(([n]) => n);
        let set = emptyWorkloadSet(sources.length);
        for (const name of names) set = unite(set, namespaceWorkloads.get(name)!);
        match = { namespaces: names, workloads: set };
        byNamespaceSelector.set(key, match);
      }
      return match;
    },
  };
}

/** Per workload and direction, the policies that isolate it and all their rules, in policy-key order. */
function gatherIsolations(policies: readonly CompiledPolicy[], size: number) {
  const gather = (direction: PolicyType): Isolation[] => {
    const found = Array.from({ length: size }, () => ({
      policies: [] as string[],
      rules: [] as CompiledRule[],
    }));
    for (const policy of policies) {
      if (!policy.policyTypes.includes(direction)) continue;
      const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
      for (const index of members(policy.selected)) {
        const into = found[index]!;
        into.policies.push(policy.key);
        for (const rule of rules) into.rules.push(rule);
      }
    }
    return found.map(({ policies: keys, rules }) => isolation(keys, rules));
  };
  return { ingress: gather('Ingress'), egress: gather('Egress') };
}

interface PeerContext {
  readonly namespaceWorkloads: ReadonlyMap<string, WorkloadSet>;
  selectWorkloads(selector: LabelSelector): WorkloadSet;
  selectNamespaces(selector: LabelSelector): NamespaceMatch;
  /** Policies repeat the same peers; each distinct one (per namespace) is resolved once. */
  readonly peers: Map<string, CompiledPeer>;
}

function compilePolicy(
  { key, namespace, name, input: source }: Keyed<NetworkPolicyInput>,
  context: PeerContext,
): CompiledPolicy {
  const policyTypes = effectivePolicyTypes(source.spec);
  const own = context.namespaceWorkloads.get(namespace)!;
  const rules = (direction: PolicyType, list: readonly (IngressRuleInput | EgressRuleInput)[] | undefined) =>
    policyTypes.includes(direction)
      ? (list ?? []).map(
          (rule, index): CompiledRule => ({
            policy: key,
            direction,
            index,
            peers: orAll(peersOf(rule))?.map((peer) => cachedPeer(peer, namespace, context)),
            ports: orAll(rule.ports)?.map(compilePort),
          }),
        )
      : [];
  return {
    key,
    namespace,
    name,
    policyTypes,
    selected: intersect(own, context.selectWorkloads(source.spec.podSelector)),
    ingress: rules('Ingress', source.spec.ingress),
    egress: rules('Egress', source.spec.egress),
    source,
  };
}

export function peersOf(rule: IngressRuleInput | EgressRuleInput): readonly PeerInput[] | undefined {
  return 'from' in rule ? rule.from : 'to' in rule ? rule.to : undefined;
}

/** An absent or empty list in a rule means "all", as in Kubernetes. */
function orAll<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list;
}

function cachedPeer(peer: PeerInput, namespace: string, context: PeerContext): CompiledPeer {
  const key = `${namespace} ${JSON.stringify(peer)}`;
  let compiled = context.peers.get(key);
  if (!compiled) {
    compiled = compilePeer(peer, namespace, context);
    context.peers.set(key, compiled);
  }
  return compiled;
}

function compilePeer(peer: PeerInput, namespace: string, context: PeerContext): CompiledPeer {
  if (peer.ipBlock) {
    const compiled = compileIPBlock(peer.ipBlock);
    return compiled.ok
      ? { kind: 'IPBlock', block: compiled.block, text: `ipBlock ${compiled.block.text}`, source: peer }
      : { kind: 'Invalid', text: `ipBlock ${peer.ipBlock.cidr}: ${compiled.message}`, source: peer };
  }
  const { podSelector, namespaceSelector } = peer;
  const pods =
    podSelector && !isEmptySelector(podSelector)
      ? `workloads ${describeSelector(podSelector)}`
      : 'every workload';
  if (namespaceSelector) {
    const scope = context.selectNamespaces(namespaceSelector);
    const nsText = isEmptySelector(namespaceSelector)
      ? 'in every namespace'
      : `in namespaces ${describeSelector(namespaceSelector)}`;
    const workloads = podSelector
      ? intersect(scope.workloads, context.selectWorkloads(podSelector))
      : scope.workloads;
    return { kind: 'Workloads', members: workloads, text: `${pods} ${nsText}`, source: peer };
  }
  if (podSelector) {
    const workloads = intersect(
      context.namespaceWorkloads.get(namespace)!,
      context.selectWorkloads(podSelector),
    );
    return { kind: 'Workloads', members: workloads, text: `${pods} in namespace ${namespace}`, source: peer };
  }
  return { kind: 'Invalid', text: 'a peer with no podSelector, namespaceSelector or ipBlock', source: peer };
}

function isolation(policies: readonly string[], rules: readonly CompiledRule[]): Isolation {
  return {
    policies,
    rules,
    denied: policies.length === 0 ? NOT_ISOLATED : { effect: 'Denied', isolatedBy: policies },
  };
}

function attachmentsOf(
  input: WorkloadInput,
  namespace: string,
  networks: NetworkGraph,
): CompiledAttachment[] {
  return (input.spec.networkInterfaces ?? []).map((iface) => {
    const network = `${namespace}/${iface.network.name}`;
    const reported = input.status?.interfaces?.find((status) => status.network === iface.network.name);
    const text = reported?.ipAddress ?? iface.ipAddress;
    const parsed = text === undefined ? undefined : parseAddress(text);
    const address = parsed?.ok ? parsed.value : undefined;
    return {
      networkIndex: networks.index.get(network) ?? -1,
      address,
      view: address ? { network, address: formatAddress(address) } : { network },
    };
  });
}

function collectNamespaces(inputs: PolicyInputs): Map<string, Labels> {
  const found = new Map<string, Labels>();
  for (const { metadata } of inputs.namespaces ?? []) {
    if (metadata.name === undefined || found.has(metadata.name)) continue;
    found.set(metadata.name, { ...metadata.labels, [NAMESPACE_NAME_LABEL]: metadata.name });
  }
  for (const { metadata } of [...inputs.workloads, ...inputs.policies, ...inputs.networks]) {
    const name = metadata.namespace ?? DEFAULT_NAMESPACE;
    if (!found.has(name)) found.set(name, { [NAMESPACE_NAME_LABEL]: name });
  }
  return found;
}

interface Keyed<T> {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly input: T;
}

/** Sorted by namespace/name; keys are unique in the API, and here a later duplicate replaces an earlier one. */
function uniqueByKey<
  T extends { readonly metadata: { readonly name?: string; readonly namespace?: string } },
>(items: readonly T[]): Keyed<T>[] {
  const byKey = new Map<string, Keyed<T>>();
  for (const input of items) {
    const { name, namespace = DEFAULT_NAMESPACE } = input.metadata;
    if (name === undefined) continue;
    const key = `${namespace}/${name}`;
    byKey.set(key, { key, namespace, name, input });
  }
  return [...byKey.values()].sort(
    (a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
