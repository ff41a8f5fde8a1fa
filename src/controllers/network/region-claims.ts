import type { Network } from '../../api/network.ts';
import type { SubnetClaim } from '../../api/subnet-claim.ts';

export interface DesiredClaim {
  readonly name: string;
  readonly spec: SubnetClaim['spec'];
}

/**
 * The SubnetClaims a network's spec.regions asks for: `<network>-<region>` for a region's first claim,
 * `<network>-<region>-<n>` (n from 2) for the next ones, so a name never depends on other regions. Defaults
 * the API server would add (ipFamily) are written out, so a stored claim compares equal to its desired spec.
 */
export function regionClaims(network: Network): DesiredClaim[] {
  const base = network.metadata.name ?? '';
  return (network.spec.regions ?? []).flatMap((region) =>
    (region.subnetClaims ?? []).map((claim, index) => ({
      name: `${base}-${region.name}${index === 0 ? '' : `-${index + 1}`}`,
      spec: {
        networkRef: { name: base },
        prefixLength: claim.prefixLength,
        ipFamily: claim.ipFamily ?? 'IPv4',
        location: { region: region.name, ...(claim.zone === undefined ? {} : { zone: claim.zone }) },
      },
    })),
  );
}
