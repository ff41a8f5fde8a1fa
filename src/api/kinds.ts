import type { KindDefinition } from './kind.ts';
import { NetworkKind } from './network.ts';
import { NetworkAddressKind } from './network-address.ts';
import { NetworkAllocationKind } from './network-allocation.ts';
import { NetworkBindingKind } from './network-binding.ts';
import { NetworkContextKind } from './network-context.ts';
import { NetworkPolicyKind } from './network-policy.ts';
import { SubnetKind } from './subnet.ts';
import { SubnetClaimKind } from './subnet-claim.ts';
import { WorkloadKind } from './workload.ts';

/** Every kind nso serves, in the order the docs list them. */
export const KINDS: readonly KindDefinition[] = [
  NetworkKind,
  NetworkContextKind,
  SubnetClaimKind,
  SubnetKind,
  NetworkAllocationKind,
  NetworkAddressKind,
  NetworkBindingKind,
  NetworkPolicyKind,
  WorkloadKind,
];
