import type { Static } from 'typebox';
import type { Location } from '../../api/common.ts';

/** A subnet a binding may take its address from: its name, its block, its location and free addresses. */
export interface SubnetCandidate {
  readonly name: string;
  readonly location: Static<typeof Location> | undefined;
  readonly available: bigint;
}

/**
 * The order to try subnets in when a binding names none: those in the workload's zone, then its region, then
 * the rest; most free addresses first within each, then by name so every operator tries the same order.
 */
export function orderSubnets(
  candidates: readonly SubnetCandidate[],
  workload: Static<typeof Location> | undefined,
): SubnetCandidate[] {
  const rank = (candidate: SubnetCandidate): number => {
    if (workload === undefined || candidate.location === undefined) return 2;
    if (workload.zone !== undefined && candidate.location.zone === workload.zone) return 0;
    if (workload.region !== undefined && candidate.location.region === workload.region) return 1;
    return 2;
  };
  return [...candidates].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.available === b.available ? 0 : a.available > b.available ? -1 : 1) ||
      a.name.localeCompare(b.name),
  );
}
