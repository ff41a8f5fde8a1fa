import { acceptsMediaType, parseAccept } from './accept-header.ts';

export type DiscoveryVersion = 'v2' | 'v2beta1';

export type DiscoveryNegotiation =
  | { readonly kind: 'aggregated'; readonly version: DiscoveryVersion; readonly contentType: string }
  | { readonly kind: 'legacy' };

const LEGACY: DiscoveryNegotiation = { kind: 'legacy' };

/** The exact Content-Type client-go checks before it decodes a body as aggregated discovery. */
export function aggregatedDiscoveryContentType(version: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * Which discovery document answers `/api` and `/apis`: the first acceptable range of the Accept header
 * wins (q-ordered). kubectl 1.27–1.29 ask only for v2beta1, 1.30+ for v2 then v2beta1, each with plain JSON
 * last. Anything else, including no or an unparseable header, gets legacy JSON rather than a 406.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryNegotiation {
  if (accept === undefined) return LEGACY;
  for (const range of parseAccept(accept)) {
    if (!acceptsMediaType(range, 'application', 'json')) continue;
    const { g, v, as } = range.params;
    if (g === undefined && v === undefined && as === undefined) return LEGACY;
    if (g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) {
      return { kind: 'aggregated', version: v, contentType: aggregatedDiscoveryContentType(v) };
    }
  }
  return LEGACY;
}
