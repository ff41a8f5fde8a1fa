import type { CompiledPolicies } from './compile.ts';
import { evaluateWorkloads } from './evaluate.ts';
import { PROTOCOLS, type Protocol } from './inputs.ts';
import { MAX_PORT } from './port-match.ts';
import type { VerdictReason } from './verdict.ts';

export interface MatrixOptions {
  /** Only workloads of these namespaces; every workload when absent. */
  readonly namespaces?: readonly string[];
  readonly protocol?: Protocol;
  readonly port: number;
}

/** reasons[i][j] is the verdict for a connection from workloads[i] to workloads[j]; workloads are sorted. */
export interface Matrix {
  readonly protocol: Protocol;
  readonly port: number;
  readonly workloads: readonly string[];
  readonly reasons: readonly (readonly VerdictReason[])[];
}

export type MatrixResult =
  | { readonly ok: true; readonly matrix: Matrix }
  | { readonly ok: false; readonly message: string };

export function reachabilityMatrix(compiled: CompiledPolicies, options: MatrixOptions): MatrixResult {
  const protocol = options.protocol ?? 'TCP';
  const { port } = options;
  if (!PROTOCOLS.includes(protocol)) {
    return { ok: false, message: `protocol "${protocol}" is not supported: use ${PROTOCOLS.join(', ')}` };
  }
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) {
    return { ok: false, message: `port ${port} is out of range: use 1 to ${MAX_PORT}` };
  }
  const unknown = (options.namespaces ?? []).filter((name) => !compiled.namespaces.has(name));
  if (unknown.length > 0) return { ok: false, message: `no such namespace: ${unknown.join(', ')}` };
  const wanted = options.namespaces === undefined ? undefined : new Set(options.namespaces);
  const rows = compiled.workloads.filter(
    (workload) => wanted === undefined || wanted.has(workload.namespace),
  );
  const reasons = rows.map((from) =>
    rows.map((to) => evaluateWorkloads(compiled, from.index, to.index, protocol, port).reason),
  );
  return { ok: true, matrix: { protocol, port, workloads: rows.map((workload) => workload.key), reasons } };
}

const MARKS: Readonly<Record<VerdictReason, string>> = {
  Self: '.',
  NotIsolated: '.',
  Allowed: '.',
  Denied: 'X',
  Unreachable: '-',
  InvalidFlow: '?',
};

/** A grid for a terminal: rows are sources, columns destinations; '.' allowed, 'X' denied by policy, '-' no route. */
export function formatMatrix(matrix: Matrix): string {
  const title = `${matrix.protocol}/${matrix.port}`;
  const width = Math.max(title.length, ...matrix.workloads.map((key) => key.length));
  const cell = Math.max(...matrix.workloads.map((key) => key.length), 1);
  const header = [title.padEnd(width), ...matrix.workloads.map((key) => key.padEnd(cell))].join(' ');
  const lines = matrix.workloads.map((from, i) =>
    [from.padEnd(width), ...matrix.reasons[i]!.map((reason) => MARKS[reason].padEnd(cell))].join(' '),
  );
  return [
    header.trimEnd(),
    ...lines.map((line) => line.trimEnd()),
    "'.' allowed, 'X' denied by policy, '-' no route",
  ].join('\n');
}
