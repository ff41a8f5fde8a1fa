import { parsePrefix } from '../../ipam/index.ts';
import type { FormatCheckers } from '../schema/openapi-validator.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The string formats nso checks. `cidr` uses ipam's strict parser but leaves host bits to the CEL rule that
 * says "did you mean …", as Kubernetes' own cidr format (net.ParseCIDR) accepts them.
 */
export const FORMATS: FormatCheckers = {
  cidr: (value) => {
    const parsed = parsePrefix(value);
    if (parsed.ok || parsed.problem === 'it has host bits set') return undefined;
    return parsed.suggestion === undefined
      ? parsed.problem
      : `${parsed.problem}; did you mean ${parsed.suggestion}?`;
  },
  'date-time': (value) =>
    RFC3339.test(value) && !Number.isNaN(Date.parse(value))
      ? undefined
      : 'write an RFC 3339 time such as 2026-01-02T15:04:05Z',
};
