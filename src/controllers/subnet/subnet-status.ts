import type { Subnet, SubnetReason } from '../../api/subnet.ts';
import { createHostPool, formatAddress, parseAddress, parsePrefix } from '../../ipam/index.ts';
import type { SubnetPlacement } from './subnet-placement.ts';

type SubnetStatus = NonNullable<Subnet['status']>;
type StatusCondition = NonNullable<SubnetStatus['conditions']>[number];

/** A bound address: the binding that holds it (namespace/name) and the address text. */
export interface BoundAddress {
  readonly owner: string;
  readonly address: string;
}

/**
 * A subnet's status from its placement, its block and the addresses bound in it. Held: Ready, with the gateway,
 * the reserved addresses, and allocated (reserved plus bound) and available counts, as a cloud console shows
 * them; an IPv4 /24 with one binding is 5 allocated and 251 available, as in the specification. Not held:
 * Pending while it may yet be, Failed where the network must change first. A block that does not parse is Failed.
 */
export function subnetStatus(
  subnet: Subnet,
  placement: SubnetPlacement,
  bound: readonly BoundAddress[],
  now: string,
): SubnetStatus {
  const generation = subnet.metadata.generation;
  const at = generation === undefined ? {} : { observedGeneration: generation };
  const previous = subnet.status?.conditions?.find((condition) => condition.type === 'Ready');
  const ready = (status: 'True' | 'False', reason: SubnetReason, message: string): StatusCondition[] => [
    {
      type: 'Ready',
      status,
      reason,
      message,
      lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : now,
      ...at,
    },
  ];
  const parsed = parsePrefix(subnet.spec.cidrBlock ?? '');
  if (!parsed.ok) {
    return { ...at, phase: 'Failed', conditions: ready('False', 'InvalidCIDR', parsed.message) };
  }
  switch (placement.kind) {
    case 'Held':
      break;
    case 'Waiting':
      return { ...at, phase: 'Pending', conditions: ready('False', 'Pending', placement.message) };
    case 'Refused': {
      // These clear without the Subnet changing: the network appears, the holder goes.
      const waits = placement.reason === 'NetworkNotFound' || placement.reason === 'Overlaps';
      return {
        ...at,
        phase: waits ? 'Pending' : 'Failed',
        conditions: ready('False', placement.reason, placement.message),
      };
    }
  }
  const allocations = bound.flatMap(({ owner, address }) => {
    const value = parseAddress(address);
    return value.ok ? [{ address: value.value, owner }] : [];
  });
  const { pool, conflicts } = createHostPool(parsed.value, allocations);
  const stats = pool.stats();
  const count = (value: bigint) =>
    value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  const message =
    conflicts.length === 0
      ? `${count(stats.available)} addresses available`
      : `${conflicts.length} binding(s) hold addresses the subnet cannot give: ${conflicts[0]!.message}`;
  return {
    ...at,
    phase: 'Ready',
    conditions: ready('True', conflicts.length === 0 ? 'Ready' : 'AddressConflict', message),
    ...(pool.gateway === undefined ? {} : { gateway: formatAddress(pool.gateway) }),
    reservedIPs: pool.reserved.map(formatAddress),
    allocatedIPs: count(stats.allocated),
    availableIPs: count(stats.available),
  };
}
