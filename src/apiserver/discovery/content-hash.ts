import { createHash } from 'node:crypto';

/** Upper-case hex SHA-512 of the bytes, as the Kubernetes API server writes discovery ETags and OpenAPI hashes. */
export function contentHash(content: string | Uint8Array): string {
  return createHash('sha512').update(content).digest('hex').toUpperCase();
}

/** The content hash of a JSON value, independent of the order its object keys were written in. */
export function valueHash(value: unknown): string {
  return contentHash(canonicalJson(value));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
