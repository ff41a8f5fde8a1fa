import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { Command, Option } from 'commander';
import {
  compilePolicies,
  type Endpoint,
  formatMatrix,
  formatTrace,
  type NamespaceInput,
  type NetworkInput,
  type NetworkPolicyInput,
  type PolicyInputs,
  PROTOCOLS,
  type Protocol,
  reachabilityMatrix,
  traceFlow,
  type WorkloadInput,
} from '../policy/index.ts';
import type { CommandIo } from './up.ts';

const NETWORKING = { group: 'networking.datumapis.com', version: 'v1alpha1' };
const COMPUTE = { group: 'compute.datumapis.com', version: 'v1alpha1' };

interface ConnectionFlags {
  readonly kubeconfig?: string;
  readonly output: 'text' | 'json';
}

/**
 * `nso policy trace|matrix`: what NetworkPolicy decides for a connection, read from the API the user points
 * at and evaluated by the same engine the dataplane renders, before any packet is sent.
 */
export function policyCommand(io: CommandIo): Command {
  const policy = new Command('policy').description(
    'Explain NetworkPolicy: trace one connection, or print who can reach whom',
  );
  policy
    .command('trace')
    .description('Say whether a connection is allowed, and which policy and rule decide it')
    .requiredOption(
      '--from <ns/workload|address>',
      'the source: NAMESPACE/WORKLOAD, WORKLOAD (namespace default) or an IP',
    )
    .requiredOption('--to <ns/workload|address>', 'the destination, in the same forms')
    .requiredOption('--port <port>', 'the destination port (a number)', parsePort)
    .addOption(protocolOption())
    .addOption(outputOption())
    .addOption(kubeconfigOption())
    .action(
      async (flags: ConnectionFlags & { from: string; to: string; port: number; protocol: Protocol }) => {
        const compiled = compilePolicies(await loadPolicyInputs(loadKubeConfig(flags.kubeconfig)));
        const trace = traceFlow(compiled, {
          from: endpoint(flags.from),
          to: endpoint(flags.to),
          port: flags.port,
          protocol: flags.protocol,
        });
        if (trace.verdict.reason === 'InvalidFlow') throw new Error(trace.summary);
        io.write(flags.output === 'json' ? `${JSON.stringify(trace, null, 2)}\n` : `${formatTrace(trace)}\n`);
      },
    );
  policy
    .command('matrix')
    .description("Print the reachability matrix of every workload (or one namespace's) on one port")
    .option('-n, --namespace <ns>', 'only workloads of this namespace')
    .requiredOption('--port <port>', 'the destination port (a number)', parsePort)
    .addOption(protocolOption())
    .addOption(outputOption())
    .addOption(kubeconfigOption())
    .action(async (flags: ConnectionFlags & { namespace?: string; port: number; protocol: Protocol }) => {
      const compiled = compilePolicies(await loadPolicyInputs(loadKubeConfig(flags.kubeconfig)));
      const result = reachabilityMatrix(compiled, {
        port: flags.port,
        protocol: flags.protocol,
        ...(flags.namespace === undefined ? {} : { namespaces: [flags.namespace] }),
      });
      if (!result.ok) throw new Error(result.message);
      io.write(
        flags.output === 'json'
          ? `${JSON.stringify(result.matrix, null, 2)}\n`
          : `${result.matrix.workloads.length === 0 ? 'no workloads' : formatMatrix(result.matrix)}\n`,
      );
    });
  return policy;
}

const protocolOption = () =>
  new Option('--protocol <protocol>', 'TCP, UDP or SCTP').choices(PROTOCOLS).default('TCP');
const outputOption = () =>
  new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text');
const kubeconfigOption = () =>
  new Option(
    '--kubeconfig <file>',
    'the kubeconfig (default: $KUBECONFIG, ./.nso/kubeconfig, ~/.kube/config)',
  );

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new Error(`--port ${text} is not a port number (1-65535)`);
  return port;
}

/** NAMESPACE/WORKLOAD, WORKLOAD in default, or an address outside every workload. */
function endpoint(text: string): Endpoint {
  if (/^[0-9.]+$/.test(text) || text.includes(':')) return { address: text };
  return { workload: text.includes('/') ? text : `default/${text}` };
}

/** The kubeconfig kubectl would use, except that a `nso up` in this directory wins over ~/.kube/config. */
export function loadKubeConfig(file: string | undefined): KubeConfig {
  const config = new KubeConfig();
  const local = resolve('.nso', 'kubeconfig');
  const chosen =
    file ??
    process.env.KUBECONFIG?.split(':')[0] ??
    (existsSync(local) ? local : join(homedir(), '.kube', 'config'));
  if (!existsSync(chosen)) throw new Error(`no kubeconfig at ${chosen}; start nso up or pass --kubeconfig`);
  config.loadFromFile(chosen);
  return config;
}

/**
 * Every namespace, network, workload and policy the caller may read. Cluster-wide when allowed; a tenant
 * confined to one namespace gets that namespace's view (policies elsewhere cannot be seen, so say so).
 */
export async function loadPolicyInputs(config: KubeConfig): Promise<PolicyInputs> {
  const custom = config.makeApiClient(CustomObjectsApi);
  const core = config.makeApiClient(CoreV1Api);
  try {
    const [namespaces, networks, workloads, policies] = await Promise.all([
      core.listNamespace(),
      custom.listClusterCustomObject({ ...NETWORKING, plural: 'networks' }),
      custom.listClusterCustomObject({ ...COMPUTE, plural: 'workloads' }),
      custom.listClusterCustomObject({ ...NETWORKING, plural: 'networkpolicies' }),
    ]);
    return {
      namespaces: namespaces.items as NamespaceInput[],
      networks: (networks as { items: NetworkInput[] }).items,
      workloads: (workloads as { items: WorkloadInput[] }).items,
      policies: (policies as { items: NetworkPolicyInput[] }).items,
    };
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 403) throw apiError(error);
  }
  const namespace = config.getContextObject(config.getCurrentContext())?.namespace ?? 'default';
  try {
    const [own, networks, workloads, policies] = await Promise.all([
      core.readNamespace({ name: namespace }),
      custom.listNamespacedCustomObject({ ...NETWORKING, namespace, plural: 'networks' }),
      custom.listNamespacedCustomObject({ ...COMPUTE, namespace, plural: 'workloads' }),
      custom.listNamespacedCustomObject({ ...NETWORKING, namespace, plural: 'networkpolicies' }),
    ]);
    return {
      namespaces: [own as NamespaceInput],
      networks: (networks as { items: NetworkInput[] }).items,
      workloads: (workloads as { items: WorkloadInput[] }).items,
      policies: (policies as { items: NetworkPolicyInput[] }).items,
    };
  } catch (error) {
    throw apiError(error);
  }
}

/** The server's Status message, not client-node's dump of the whole response. */
function apiError(error: unknown): Error {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? safeJson(error.body) : error.body;
    const message = (body as { message?: string } | undefined)?.message;
    return new Error(`the API server answered ${error.code}${message === undefined ? '' : `: ${message}`}`);
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return new Error(`${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
