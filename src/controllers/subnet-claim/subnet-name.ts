const SUFFIX = '-claim';

/** The Subnet a claim creates: its name without a trailing `-claim` (web-tier-subnet-claim → web-tier-subnet), else its name. */
export function subnetNameFor(claimName: string): string {
  return claimName.endsWith(SUFFIX) && claimName.length > SUFFIX.length
    ? claimName.slice(0, -SUFFIX.length)
    : claimName;
}

/** The claim names whose Subnet would be called `subnetName`. */
export function claimNamesFor(subnetName: string): string[] {
  return [`${subnetName}${SUFFIX}`, subnetName].filter((claim) => subnetNameFor(claim) === subnetName);
}
