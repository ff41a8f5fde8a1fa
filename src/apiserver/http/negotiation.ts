import { acceptsMediaType, parseAccept } from '../discovery/accept-header.ts';

export type ObjectRendering =
  | { readonly as: 'object' }
  | { readonly as: 'table'; readonly version: 'v1' | 'v1beta1' };

const OBJECT: ObjectRendering = { as: 'object' };

/**
 * What a read should return: a meta.k8s.io Table when the client asks for one first, else the object as JSON.
 * Protobuf requests get JSON too (kubectl 1.32+ asks for protobuf before JSON on some core reads, and JSON
 * is what nso speaks); undefined only when the client accepts nothing JSON can satisfy (406).
 */
export function negotiateRendering(accept: string | undefined): ObjectRendering | undefined {
  if (accept === undefined || accept.trim() === '') return OBJECT;
  for (const range of parseAccept(accept)) {
    const { as, g, v } = range.params;
    if (acceptsMediaType(range, 'application', 'json') && as === 'Table' && g === 'meta.k8s.io') {
      if (v === 'v1' || v === 'v1beta1') return { as: 'table', version: v };
      continue;
    }
    if (as !== undefined) continue;
    if (
      acceptsMediaType(range, 'application', 'json') ||
      acceptsMediaType(range, 'application', 'vnd.kubernetes.protobuf') ||
      acceptsMediaType(range, 'application', 'yaml')
    ) {
      return OBJECT;
    }
  }
  return undefined;
}
