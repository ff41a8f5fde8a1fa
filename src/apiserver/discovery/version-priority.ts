const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY_RANK = { ga: 0, beta: 1, alpha: 2 } as const;

/**
 * Orders API versions as Kubernetes prefers them: GA, then beta, then alpha, each newest first
 * (v2, v1, v1beta2, v1beta1, v1alpha1), then versions of any other form alphabetically.
 */
export function compareVersionPriority(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (!ma || !mb) {
    if (ma) return -1;
    if (mb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const rankA = STABILITY_RANK[(ma[2] as 'alpha' | 'beta' | undefined) ?? 'ga'];
  const rankB = STABILITY_RANK[(mb[2] as 'alpha' | 'beta' | undefined) ?? 'ga'];
  if (rankA !== rankB) return rankA - rankB;
  const major = Number(mb[1]) - Number(ma[1]);
  if (major !== 0) return major;
  return Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}
