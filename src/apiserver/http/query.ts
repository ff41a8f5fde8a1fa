import type { DeleteOptions, FieldValidation, ListQuery, WatchQuery } from '../registry/request-options.ts';
import { badRequest } from '../status-errors.ts';

const FIELD_VALIDATIONS: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

export function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

export function dryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All')
      throw badRequest(`Invalid dryRun value: ${JSON.stringify(value)}: supported values: "All"`);
  }
  return values.length > 0;
}

/** ?fieldValidation; kube-apiserver defaults to Warn when the client does not say. */
export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  const match = FIELD_VALIDATIONS.find((v) => v.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw badRequest(`invalid fieldValidation directive: ${value}, must be one of Strict, Warn or Ignore`);
  }
  return match;
}

/** ?fieldManager, else the User-Agent's product token (`kubectl/v1.32.5 (…)` → `kubectl`), as kube defaults it. */
export function fieldManager(query: URLSearchParams, userAgent: string | undefined): string {
  const given = query.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    if (/[^\x20-\x7e]/.test(given))
      throw badRequest('fieldManager: Invalid value: must contain only printable characters');
    return given;
  }
  return (userAgent ?? 'unknown').split('/')[0]!.slice(0, 128) || 'unknown';
}

function positiveInteger(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw badRequest(`${name}: Invalid value: ${JSON.stringify(value)}: must be a non-negative integer`);
  return n === 0 ? undefined : n;
}

function optional(query: URLSearchParams, name: string): { [key: string]: string } {
  const value = query.get(name);
  return value === null ? {} : { [name]: value };
}

export function listQuery(query: URLSearchParams): ListQuery {
  const match = query.get('resourceVersionMatch');
  if (match !== null && match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(
      `resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`,
    );
  }
  const limit = positiveInteger(query, 'limit');
  return {
    ...optional(query, 'labelSelector'),
    ...optional(query, 'fieldSelector'),
    ...optional(query, 'resourceVersion'),
    ...(limit === undefined ? {} : { limit }),
    ...(query.get('continue') ? { continue: query.get('continue')! } : {}),
    ...(match === 'Exact' || match === 'NotOlderThan' ? { resourceVersionMatch: match } : {}),
  };
}

export function watchQuery(query: URLSearchParams): WatchQuery & { timeoutSeconds: number | undefined } {
  const sendInitialEvents = query.get('sendInitialEvents');
  if (sendInitialEvents !== null && query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw badRequest(
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan',
    );
  }
  return {
    ...optional(query, 'labelSelector'),
    ...optional(query, 'fieldSelector'),
    ...optional(query, 'resourceVersion'),
    allowWatchBookmarks: flag(query, 'allowWatchBookmarks'),
    ...(sendInitialEvents === null ? {} : { sendInitialEvents: sendInitialEvents === 'true' }),
    timeoutSeconds: positiveInteger(query, 'timeoutSeconds'),
  };
}

const POLICIES = ['Background', 'Foreground', 'Orphan'] as const;

/** DeleteOptions from the body (kubectl sends `{"propagationPolicy":"Background"}`) and the query. */
export function deleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const options = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const policy = options.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== null && !POLICIES.includes(policy as (typeof POLICIES)[number])) {
    throw badRequest(
      `propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Background", "Foreground", "Orphan"`,
    );
  }
  const orphan =
    options.orphanDependents ?? (query.has('orphanDependents') ? flag(query, 'orphanDependents') : undefined);
  if (orphan !== undefined && policy !== undefined && policy !== null) {
    throw badRequest(
      'propagationPolicy: Invalid value: orphanDependents and propagationPolicy cannot both be set',
    );
  }
  const preconditions = options.preconditions as { uid?: unknown; resourceVersion?: unknown } | undefined;
  const dry = Array.isArray(options.dryRun) ? options.dryRun.includes('All') : dryRun(query);
  return {
    dryRun: dry,
    propagationPolicy:
      orphan === true ? 'Orphan' : ((policy ?? undefined) as DeleteOptions['propagationPolicy']),
    ...(preconditions === undefined
      ? {}
      : {
          preconditions: {
            ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
            ...(typeof preconditions.resourceVersion === 'string'
              ? { resourceVersion: preconditions.resourceVersion }
              : {}),
          },
        }),
  };
}
