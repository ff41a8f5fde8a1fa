import type { SubnetClaim, SubnetClaimReason } from '../../api/subnet-claim.ts';
import type { AllocationFailure, AllocationFailureReason } from './allocation-plan.ts';

export type SubnetClaimStatus = NonNullable<SubnetClaim['status']>;
type StatusCondition = NonNullable<SubnetClaimStatus['conditions']>[number];
type Phase = NonNullable<SubnetClaimStatus['phase']>;

/** What the controller found out about a claim, from which its status follows. */
export type ClaimState =
  | { readonly kind: 'NetworkNotFound'; readonly message: string }
  | { readonly kind: 'Waiting'; readonly network: string }
  | { readonly kind: 'Failed'; readonly failure: AllocationFailure }
  | {
      readonly kind: 'Allocated';
      readonly network: string;
      readonly cidr: string;
      readonly subnet: SubnetState;
    };

export type SubnetState =
  | { readonly kind: 'Ready'; readonly name: string }
  | { readonly kind: 'NotReady'; readonly name: string; readonly message: string }
  /** The Subnet cannot be the claim's: its name is taken, or it holds another block. */
  | { readonly kind: 'Blocked'; readonly message: string };

/** Failures that wait for someone else to free space; the others need the claim or the network to change. */
const WAITING_FAILURES: ReadonlySet<AllocationFailureReason> = new Set(['InsufficientCapacity', 'Overlaps']);

interface Verdict {
  readonly status: 'True' | 'False';
  readonly reason: SubnetClaimReason;
  readonly message: string;
}

/**
 * The status of a claim in `state`: phase, cidrBlock, subnetRef and conditions Allocated and Ready, observed at
 * the claim's generation. A condition whose status did not change keeps its lastTransitionTime.
 */
export function claimStatus(claim: SubnetClaim, state: ClaimState, now: string): SubnetClaimStatus {
  const generation = claim.metadata.generation;
  const { allocated, ready, phase } = verdicts(state);
  const condition = (type: 'Allocated' | 'Ready', verdict: Verdict): StatusCondition => {
    const previous = claim.status?.conditions?.find((c) => c.type === type);
    return {
      type,
      ...verdict,
      lastTransitionTime:
        previous !== undefined && previous.status === verdict.status ? previous.lastTransitionTime : now,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
  };
  const subnet =
    state.kind === 'Allocated' && state.subnet.kind !== 'Blocked' ? state.subnet.name : undefined;
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions: [condition('Allocated', allocated), condition('Ready', ready)],
    phase,
    ...(subnet === undefined ? {} : { subnetRef: { name: subnet } }),
    ...(state.kind === 'Allocated' ? { cidrBlock: state.cidr } : {}),
  };
}

function verdicts(state: ClaimState): { allocated: Verdict; ready: Verdict; phase: Phase } {
  switch (state.kind) {
    case 'NetworkNotFound': {
      const verdict: Verdict = { status: 'False', reason: 'NetworkNotFound', message: state.message };
      return { allocated: verdict, ready: verdict, phase: 'Pending' };
    }
    case 'Waiting': {
      const verdict: Verdict = {
        status: 'False',
        reason: 'Pending',
        message: `waiting for a block from network ${state.network}`,
      };
      return { allocated: verdict, ready: verdict, phase: 'Pending' };
    }
    case 'Failed': {
      const verdict: Verdict = { status: 'False', ...state.failure };
      return {
        allocated: verdict,
        ready: verdict,
        phase: WAITING_FAILURES.has(state.failure.reason) ? 'Pending' : 'Failed',
      };
    }
    case 'Allocated': {
      const allocated: Verdict = {
        status: 'True',
        reason: 'Allocated',
        message: `${state.cidr} allocated from network ${state.network}`,
      };
      switch (state.subnet.kind) {
        case 'Ready':
          return {
            allocated,
            ready: {
              status: 'True',
              reason: 'SubnetReady',
              message: `Subnet ${state.subnet.name} holds ${state.cidr}`,
            },
            phase: 'Bound',
          };
        case 'NotReady':
          return {
            allocated,
            ready: {
              status: 'False',
              reason: 'Pending',
              message: `Subnet ${state.subnet.name}: ${state.subnet.message}`,
            },
            phase: 'Bound',
          };
        case 'Blocked':
          return {
            allocated,
            ready: { status: 'False', reason: 'Pending', message: state.subnet.message },
            phase: 'Pending',
          };
      }
    }
  }
}
