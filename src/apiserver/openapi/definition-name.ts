import type { GroupVersionKind } from '../discovery/aggregated-discovery.ts';

/** Built-in groups are named after their Go packages, as kube-openapi names them. */
const BUILT_IN_PACKAGES: Readonly<Record<string, string>> = {
  '': 'io.k8s.api.core',
  'coordination.k8s.io': 'io.k8s.api.coordination',
  'events.k8s.io': 'io.k8s.api.events',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};

/**
 * The components.schemas name of a kind: `io.k8s.api.core.v1.Event` for built-ins, and for custom resources
 * the group's labels reversed, as the real server names CRDs (`com.datumapis.networking.v1alpha1.Network`).
 */
export function definitionName(gvk: GroupVersionKind): string {
  const prefix = BUILT_IN_PACKAGES[gvk.group] ?? gvk.group.split('.').reverse().join('.');
  return `${prefix}.${gvk.version}.${gvk.kind}`;
}

export function schemaRef(name: string): { readonly $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
