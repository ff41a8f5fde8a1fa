import type { NetworkBinding, NetworkBindingReason } from '../../api/network-binding.ts';

export type NetworkBindingStatus = NonNullable<NetworkBinding['status']>;
type StatusCondition = NonNullable<NetworkBindingStatus['conditions']>[number];
type Phase = NonNullable<NetworkBindingStatus['phase']>;

export type BindingFailureReason = Extract<
  NetworkBindingReason,
  | 'AddressInUse'
  | 'AddressReserved'
  | 'AddressOutOfRange'
  | 'SubnetExhausted'
  | 'SubnetNotFound'
  | 'NetworkNotFound'
  | 'NoSubnet'
>;

/** What the controller found out about a binding, from which its status follows. */
export type BindingState =
  | {
      readonly kind: 'Bound';
      readonly address: string;
      readonly subnet: string;
      readonly gateway: string | undefined;
    }
  | { readonly kind: 'Failed'; readonly reason: BindingFailureReason; readonly message: string };

/**
 * The status of a binding in `state`: phase, ipAddress, subnetRef, gateway and conditions Bound and Ready,
 * observed at the binding's generation. A condition whose status did not change keeps its lastTransitionTime.
 */
export function bindingStatus(
  binding: NetworkBinding,
  state: BindingState,
  now: string,
): NetworkBindingStatus {
  const generation = binding.metadata.generation;
  const at = generation === undefined ? {} : { observedGeneration: generation };
  const verdict =
    state.kind === 'Bound'
      ? {
          status: 'True' as const,
          reason: 'Bound' as const,
          message: `${state.address} bound in Subnet ${state.subnet}`,
        }
      : { status: 'False' as const, reason: state.reason, message: state.message };
  const condition = (type: 'Bound' | 'Ready'): StatusCondition => {
    const previous = binding.status?.conditions?.find((c) => c.type === type);
    return {
      type,
      ...verdict,
      lastTransitionTime: previous?.status === verdict.status ? previous.lastTransitionTime : now,
      ...at,
    };
  };
  return {
    ...at,
    conditions: [condition('Bound'), condition('Ready')],
    phase: phaseOf(state),
    ...(state.kind === 'Bound'
      ? {
          ipAddress: state.address,
          subnetRef: { name: state.subnet },
          ...(state.gateway === undefined ? {} : { gateway: state.gateway }),
        }
      : {}),
  };
}

function phaseOf(state: BindingState): Phase {
  if (state.kind === 'Bound') return 'Bound';
  switch (state.reason) {
    case 'AddressReserved':
    case 'AddressOutOfRange':
      return 'Failed';
    case 'AddressInUse':
    case 'SubnetExhausted':
    case 'SubnetNotFound':
    case 'NetworkNotFound':
    case 'NoSubnet':
      return 'Pending';
  }
}
