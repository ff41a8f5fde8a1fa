import type { PortInput, Protocol, WorkloadPortInput } from './inputs.ts';

/**
 * One entry of a rule's `ports`: a protocol with a numeric range (a single port is a range of one; no port is
 * 1-65535) or a named port, which resolves against the destination workload's ports of the same protocol.
 */
export type CompiledPort =
  | { readonly protocol: Protocol; readonly name: undefined; readonly from: number; readonly to: number }
  | { readonly protocol: Protocol; readonly name: string; readonly from: 0; readonly to: 0 };

export interface NamedPort {
  readonly port: number;
  readonly protocol: Protocol;
}

export type NamedPorts = ReadonlyMap<string, NamedPort>;

export const MAX_PORT = 65535;

export function compilePort(input: PortInput): CompiledPort {
  const protocol = input.protocol ?? 'TCP';
  if (typeof input.port === 'string') return { protocol, name: input.port, from: 0, to: 0 };
  if (input.port === undefined) return { protocol, name: undefined, from: 1, to: MAX_PORT };
  return { protocol, name: undefined, from: input.port, to: input.endPort ?? input.port };
}

export function namedPortsOf(ports: readonly WorkloadPortInput[] | undefined): NamedPorts {
  const named = new Map<string, NamedPort>();
  for (const { name, port, protocol = 'TCP' } of ports ?? []) {
    if (!named.has(name)) named.set(name, { port, protocol });
  }
  return named;
}

/** `TCP/80`, `UDP/5000-5010`, `TCP/http`, `all TCP ports`. */
export function describePort(compiled: CompiledPort): string {
  if (compiled.name !== undefined) return `${compiled.protocol}/${compiled.name}`;
  if (compiled.from === 1 && compiled.to === MAX_PORT) return `all ${compiled.protocol} ports`;
  if (compiled.from === compiled.to) return `${compiled.protocol}/${compiled.from}`;
  return `${compiled.protocol}/${compiled.from}-${compiled.to}`;
}
