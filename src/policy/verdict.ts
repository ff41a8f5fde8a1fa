import type { PolicyType, Protocol } from './inputs.ts';

/** A workload by `namespace/name`, or an address outside every workload (the internet, a VM nso does not know). */
export type Endpoint = { readonly workload: string } | { readonly address: string };

/** A connection attempt; protocol defaults to TCP. Replies on an allowed connection are always allowed. */
export interface Flow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol?: Protocol;
  readonly port: number;
}

/** The rule that allowed one direction: peer and port are indices into from/to and ports, absent for "all". */
export interface RuleRef {
  readonly policy: string;
  readonly direction: PolicyType;
  readonly rule: number;
  readonly peer: number | undefined;
  readonly port: number | undefined;
}

/**
 * One direction of a flow: the source's egress or the destination's ingress. NotIsolated: no policy selecting the
 * workload has that policy type. External: that end is an address, which no policy governs.
 */
export type DirectionDecision =
  | { readonly effect: 'NotIsolated' }
  | { readonly effect: 'External' }
  | { readonly effect: 'Allowed'; readonly isolatedBy: readonly string[]; readonly by: RuleRef }
  | { readonly effect: 'Denied'; readonly isolatedBy: readonly string[] };

export interface Attachment {
  readonly network: string;
  readonly address?: string;
}

/** How the packets travel before any policy: inside one network, over a direct peering, or to/from outside. */
export type Path =
  | { readonly via: 'SameNetwork' | 'Peering'; readonly from: Attachment; readonly to: Attachment }
  | { readonly via: 'External'; readonly from: Attachment | undefined; readonly to: Attachment | undefined };

export const VERDICT_REASONS = [
  'Self',
  'NotIsolated',
  'Allowed',
  'Denied',
  'Unreachable',
  'InvalidFlow',
] as const;
export type VerdictReason = (typeof VERDICT_REASONS)[number];

/**
 * Self: a workload cannot block itself. Unreachable: no shared network and no Active direct peering, so policy
 * never comes into it. Otherwise the flow needs the source's egress and the destination's ingress.
 */
export type Verdict =
  | { readonly allowed: true; readonly reason: 'Self' }
  | { readonly allowed: false; readonly reason: 'Unreachable' }
  | { readonly allowed: false; readonly reason: 'InvalidFlow'; readonly message: string }
  | {
      readonly allowed: true;
      readonly reason: 'NotIsolated' | 'Allowed';
      readonly path: Path;
      readonly egress: DirectionDecision;
      readonly ingress: DirectionDecision;
    }
  | {
      readonly allowed: false;
      readonly reason: 'Denied';
      readonly path: Path;
      readonly egress: DirectionDecision;
      readonly ingress: DirectionDecision;
    };
