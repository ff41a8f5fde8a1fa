import { formatPrefix } from '../ipam/index.ts';
import { type CompiledPolicies, type CompiledPolicy, type CompiledRule, peersOf } from './compile.ts';
import type { PeerInput, PolicyType } from './inputs.ts';
import { ipBlockOverlaps } from './ip-block.ts';
import { describeSelector } from './label-selector.ts';
import { isEmptySet, members } from './workload-set.ts';

export const POLICY_WARNING_REASONS = [
  'SelectsNothing',
  'NamespaceSelectorMatchesNothing',
  'PodSelectorMatchesNothing',
  'IPBlockOverlapsNetwork',
  'AndOrHazard',
  'RulesIgnored',
  'InvalidPeer',
  'NamedPortUndefined',
] as const;
export type PolicyWarningReason = (typeof POLICY_WARNING_REASONS)[number];

/** Something valid that is probably not what was meant; `field` is a path into the policy, e.g. spec.ingress[0].from[1]. */
export interface PolicyWarning {
  readonly reason: PolicyWarningReason;
  readonly field: string;
  readonly message: string;
}

export interface PolicyReport {
  readonly policy: string;
  readonly policyTypes: readonly PolicyType[];
  readonly selectedCount: number;
  /** At most MAX_SELECTED_NAMES names (the policy's own namespace), sorted. */
  readonly selectedNames: readonly string[];
  readonly warnings: readonly PolicyWarning[];
}

export const MAX_SELECTED_NAMES = 20;

/** What the NetworkPolicy status shows: workloads selected, policyTypes as defaulted, warnings. Undefined if unknown. */
export function policyReport(compiled: CompiledPolicies, policyKey: string): PolicyReport | undefined {
  const index = compiled.policyIndex.get(policyKey);
  if (index === undefined) return undefined;
  const policy = compiled.policies[index]!;
  const selected = members(policy.selected);
  return {
    policy: policy.key,
    policyTypes: policy.policyTypes,
    selectedCount: selected.length,
    selectedNames: selected.slice(0, MAX_SELECTED_NAMES).map((i) => compiled.workloads[i]!.name),
    warnings: warningsOf(compiled, policy, selected),
  };
}

function warningsOf(
  compiled: CompiledPolicies,
  policy: CompiledPolicy,
  selected: readonly number[],
): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const warn = (reason: PolicyWarningReason, field: string, message: string) =>
    warnings.push({ reason, field, message });
  const { spec } = policy.source;
  if (selected.length === 0) {
    const what = describeSelector(spec.podSelector) || '{}';
    warn(
      'SelectsNothing',
      'spec.podSelector',
      `podSelector ${what} selects no workload in namespace ${policy.namespace}`,
    );
  }
  for (const direction of ['Ingress', 'Egress'] as const) {
    const list = direction === 'Ingress' ? spec.ingress : spec.egress;
    const field = direction === 'Ingress' ? 'spec.ingress' : 'spec.egress';
    if ((list ?? []).length > 0 && !policy.policyTypes.includes(direction)) {
      warn(
        'RulesIgnored',
        field,
        `${direction.toLowerCase()} rules are ignored: policyTypes is ${policy.policyTypes.join(', ')}, without ${direction}`,
      );
    }
  }
  const networks = networksInScope(compiled, policy, selected);
  for (const rule of [...policy.ingress, ...policy.egress]) {
    const path = `spec.${rule.direction.toLowerCase()}[${rule.index}]`;
    const peerField = rule.direction === 'Ingress' ? 'from' : 'to';
    const inputs = peersOf(ruleSource(policy, rule)) ?? [];
    andOrHazards(inputs, `${path}.${peerField}`, warn);
    for (const [i, peer] of (rule.peers ?? []).entries()) {
      const at = `${path}.${peerField}[${i}]`;
      if (peer.kind === 'Invalid') warn('InvalidPeer', at, `${peer.text}: it matches nothing`);
      else if (peer.kind === 'IPBlock') {
        for (const { network, blocks } of networks) {
          const hit = blocks.find((block) => ipBlockOverlaps(peer.block, block));
          if (hit) {
            warn(
              'IPBlockOverlapsNetwork',
              `${at}.ipBlock`,
              `ipBlock ${peer.block.text} overlaps network ${network} (${formatPrefix(hit)}), so it also matches workloads' own addresses there; select workloads with podSelector or namespaceSelector and keep ipBlock for addresses outside`,
            );
          }
        }
      } else {
        const { namespaceSelector, podSelector } = peer.source;
        const scope = namespaceSelector
          ? compiled.selectNamespaces(namespaceSelector).namespaces
          : [policy.namespace];
        if (namespaceSelector && scope.length === 0) {
          warn(
            'NamespaceSelectorMatchesNothing',
            `${at}.namespaceSelector`,
            `namespaceSelector ${describeSelector(namespaceSelector)} matches no namespace`,
          );
        } else if (podSelector && isEmptySet(peer.members)) {
          warn(
            'PodSelectorMatchesNothing',
            `${at}.podSelector`,
            `podSelector ${describeSelector(podSelector) || '{}'} matches no workload in namespace${scope.length === 1 ? '' : 's'} ${scope.join(', ')}`,
          );
        }
      }
    }
    if (rule.direction === 'Ingress' && selected.length > 0) {
      for (const [i, port] of (rule.ports ?? []).entries()) {
        if (port.name === undefined) continue;
        const defined = selected.some((w) => {
          const named = compiled.workloads[w]!.namedPorts.get(port.name!);
          return named !== undefined && named.protocol === port.protocol;
        });
        if (!defined) {
          warn(
            'NamedPortUndefined',
            `${path}.ports[${i}]`,
            `no selected workload has a ${port.protocol} port named ${port.name}, so this entry matches no traffic`,
          );
        }
      }
    }
  }
  return warnings;
}

/** The classic slip: `- namespaceSelector` and `- podSelector` as two list items (OR) where one item (AND) was meant. */
function andOrHazards(
  peers: readonly PeerInput[],
  field: string,
  warn: (reason: PolicyWarningReason, field: string, message: string) => void,
): void {
  const only = (peer: PeerInput): 'namespace' | 'pod' | undefined =>
    peer.ipBlock
      ? undefined
      : peer.namespaceSelector && !peer.podSelector
        ? 'namespace'
        : peer.podSelector && !peer.namespaceSelector
          ? 'pod'
          : undefined;
  for (let i = 0; i + 1 < peers.length; i++) {
    const a = only(peers[i]!);
    const b = only(peers[i + 1]!);
    if (a === undefined || b === undefined || a === b) continue;
    const list = field.slice(field.lastIndexOf('.') + 1);
    warn(
      'AndOrHazard',
      field,
      `${list}[${i}] has only a ${a}Selector and ${list}[${i + 1}] only a ${b}Selector: as separate peers either one allows (OR); if both must match (AND), put them in one peer`,
    );
  }
}

function ruleSource(policy: CompiledPolicy, rule: CompiledRule) {
  const list = rule.direction === 'Ingress' ? policy.source.spec.ingress : policy.source.spec.egress;
  return list![rule.index]!;
}

/** The networks of the policy's namespace, those its selected workloads attach to, and their Active peers. */
function networksInScope(compiled: CompiledPolicies, policy: CompiledPolicy, selected: readonly number[]) {
  const { keys, blocks } = compiled.networks;
  const indices = new Set<number>();
  keys.forEach((key, i) => {
    if (key.startsWith(`${policy.namespace}/`)) indices.add(i);
  });
  for (const w of selected) {
    for (const attachment of compiled.workloads[w]!.attachments) {
      if (attachment.networkIndex >= 0) indices.add(attachment.networkIndex);
    }
  }
  const size = keys.length;
  for (const i of [...indices]) {
    for (let j = 0; j < size; j++) if (compiled.networks.linked[i * size + j] === 1) indices.add(j);
  }
  return [...indices].sort((a, b) => a - b).map((i) => ({ network: keys[i]!, blocks: blocks[i]! }));
}
