import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { type Network, NetworkKind } from '../api/network.ts';
import { type NetworkAddress, NetworkAddressKind } from '../api/network-address.ts';
import { type NetworkAllocation, NetworkAllocationKind } from '../api/network-allocation.ts';
import { type NetworkBinding, NetworkBindingKind } from '../api/network-binding.ts';
import { type NetworkContext, NetworkContextKind } from '../api/network-context.ts';
import { type NetworkPolicy, NetworkPolicyKind } from '../api/network-policy.ts';
import { type Subnet, SubnetKind } from '../api/subnet.ts';
import { type SubnetClaim, SubnetClaimKind } from '../api/subnet-claim.ts';
import { type Workload, WorkloadKind } from '../api/workload.ts';
import type { ApiResource, KubeObject } from '../client/kube-object.ts';
import { networkCleanupController } from '../controllers/network/cleanup-controller.ts';
import { regionClaimsController } from '../controllers/network/region-claims-controller.ts';
import { networkStatusController } from '../controllers/network/status-controller.ts';
import { networkBindingControllers } from '../controllers/network-binding/network-binding-controllers.ts';
import { networkContextController } from '../controllers/network-context/network-context-controller.ts';
import { networkPolicyStatusController } from '../controllers/network-policy/status-controller.ts';
import { repairController } from '../controllers/repair/repair-controller.ts';
import { type LeaseObject, leaseStore } from '../controllers/runtime/client-adapters.ts';
import type { Controller } from '../controllers/runtime/controller.ts';
import { LeaderElector } from '../controllers/runtime/leader-election.ts';
import { OperatorMetrics } from '../controllers/runtime/metrics.ts';
import { OperatorApi } from '../controllers/runtime/operator-api.ts';
import { subnetStatusController } from '../controllers/subnet/status-controller.ts';
import { subnetClaimControllers } from '../controllers/subnet-claim/subnet-claim-controllers.ts';
import { workloadControllers } from '../controllers/workload/workload-controller.ts';
import { LogBuffer } from '../log/log-buffer.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import type { NamespaceInput } from '../policy/index.ts';
import type { Provider } from '../providers/provider.ts';
import { parseListenAddress } from './listen-address.ts';
import { loadKubeConfig } from './policy.ts';
import { serve } from './serve.ts';
import type { CommandIo } from './up.ts';

export const OPERATOR_COMPONENT = 'network-services-operator';
export const LEASE = { namespace: 'datum-system', name: 'network-services-operator' };

const NAMESPACES: ApiResource = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};
const LEASES: ApiResource = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
};

export interface OperatorOptions {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  /** Who this replica is in the Lease and in Events: host and pid, say. */
  readonly identity: string;
  /** Off, every replica reconciles; correctness never depends on it, only wasted work does. */
  readonly leaderElection: boolean;
  readonly metrics?: OperatorMetrics;
  /**
   * The providers NetworkContexts may name, by providerConfig key. None are built in yet (the Linux provider
   * is a later issue), so a context names an unknown provider and says which are known.
   */
  readonly providers?: ReadonlyMap<string, Provider>;
}

/**
 * The operator, through the Kubernetes API only, so it runs the same against nso and a real cluster:
 * informers first (every replica keeps its caches warm), then the controllers while this replica leads.
 * Resolves once `signal` aborts and everything has stopped.
 */
export async function runOperator(options: OperatorOptions, signal: AbortSignal): Promise<void> {
  setMaxListeners(0, signal);
  const { logger } = options;
  const api = new OperatorApi(options.kubeConfig, {
    userAgent: `nso-operator/${options.identity}`,
    logger,
    component: OPERATOR_COMPONENT,
    instance: options.identity,
  });
  const { recorder } = api;
  const metrics = options.metrics ?? new OperatorMetrics();
  const policies = api.informer<NetworkPolicy & KubeObject>(NetworkPolicyKind);
  const workloads = api.informer<Workload & KubeObject>(WorkloadKind);
  const networks = api.informer<Network & KubeObject>(NetworkKind);
  const namespaces = api.informer<NamespaceInput & KubeObject>(NAMESPACES);
  const subnets = api.informer<Subnet & KubeObject>(SubnetKind);
  const claims = api.informer<SubnetClaim & KubeObject>(SubnetClaimKind);
  const allocations = api.informer<NetworkAllocation & KubeObject>(NetworkAllocationKind);
  const bindings = api.informer<NetworkBinding & KubeObject>(NetworkBindingKind);
  const addresses = api.informer<NetworkAddress & KubeObject>(NetworkAddressKind);
  const contexts = api.informer<NetworkContext & KubeObject>(NetworkContextKind);
  const clients = {
    networks: api.client<Network & KubeObject>(NetworkKind),
    contexts: api.client<NetworkContext & KubeObject>(NetworkContextKind),
    claims: api.client<SubnetClaim & KubeObject>(SubnetClaimKind),
    subnets: api.client<Subnet & KubeObject>(SubnetKind),
    bindings: api.client<NetworkBinding & KubeObject>(NetworkBindingKind),
    addresses: api.client<NetworkAddress & KubeObject>(NetworkAddressKind),
    allocations: api.client<NetworkAllocation & KubeObject>(NetworkAllocationKind),
    workloads: api.client<Workload & KubeObject>(WorkloadKind),
    policies: api.client<NetworkPolicy & KubeObject>(NetworkPolicyKind),
  };
  try {
    const synced = await api.sync(signal);
    if (signal.aborted) return;
    logger.info('caches synced', { informers: synced });
    const controllers = (): Controller[] => [
      networkCleanupController({
        networks,
        contexts,
        claims,
        subnets,
        bindings,
        addresses,
        networkClient: clients.networks,
        contextClient: clients.contexts,
        claimClient: clients.claims,
        subnetClient: clients.subnets,
        bindingClient: clients.bindings,
        addressClient: clients.addresses,
        recorder,
        logger,
        metrics,
      }),
      regionClaimsController({
        networks,
        claims,
        claimClient: clients.claims,
        recorder,
        logger,
        metrics,
      }),
      networkContextController({
        contexts,
        networks,
        client: clients.contexts,
        providers: options.providers ?? new Map(),
        recorder,
        logger,
        metrics,
      }),
      ...networkBindingControllers({
        networks,
        subnets,
        bindings,
        addresses,
        workloads,
        bindingClient: clients.bindings,
        addressClient: clients.addresses,
        recorder,
        logger,
        metrics,
      }),
      ...workloadControllers({
        workloads,
        bindings,
        networks,
        workloadClient: clients.workloads,
        bindingClient: clients.bindings,
        recorder,
        logger,
        metrics,
      }),
      subnetStatusController({
        subnets,
        bindings,
        client: clients.subnets,
        allocation: { networks, records: allocations },
        recorder,
        logger,
        metrics,
      }),
      ...subnetClaimControllers({
        networks,
        claims,
        subnets,
        allocations,
        claimClient: clients.claims,
        subnetClient: clients.subnets,
        allocationClient: clients.allocations,
        recorder,
        logger,
        metrics,
      }),
      networkStatusController({
        networks,
        subnets,
        client: clients.networks,
        recorder,
        logger,
        metrics,
      }),
      networkPolicyStatusController({
        policies,
        workloads,
        networks,
        namespaces,
        client: clients.policies,
        recorder,
        logger,
        metrics,
      }),
      repairController({
        networks,
        allocations,
        claims,
        subnets,
        bindings,
        addresses,
        allocationClient: clients.allocations,
        claimClient: clients.claims,
        subnetClient: clients.subnets,
        bindingClient: clients.bindings,
        addressClient: clients.addresses,
        recorder,
        logger,
        metrics,
      }),
    ];
    const lead = async (leading: AbortSignal): Promise<void> => {
      // Every controller and each of its workers waits on this signal: more than Node's default of ten.
      setMaxListeners(0, leading);
      logger.info('leading: starting controllers');
      await Promise.all(controllers().map((controller) => controller.run(leading)));
      logger.info('controllers stopped');
    };
    if (options.leaderElection) {
      await new LeaderElector({
        store: leaseStore(api.client<LeaseObject>(LEASES), LEASE.namespace, LEASE.name),
        identity: options.identity,
        callbacks: {
          onStartedLeading: lead,
          onNewLeader: (identity) => logger.info('leader', { identity }),
        },
        logger,
      }).run(signal);
    } else {
      await lead(signal);
    }
  } finally {
    await api.close();
  }
}

/** `nso operator`: the operator alone, against nso or any Kubernetes cluster with nso's CRDs installed. */
export function operatorCommand(io: CommandIo): Command {
  return new Command('operator')
    .description(
      "Run the operator alone against an API server (nso's, or a Kubernetes cluster with config/crd)",
    )
    .option('--kubeconfig <file>', 'the kubeconfig (default: $KUBECONFIG, ./.nso/kubeconfig, ~/.kube/config)')
    .option('--no-leader-elect', 'reconcile without holding the Lease (correct, but replicas repeat work)')
    .option('--identity <name>', 'this replica in the Lease and in Events (default: host-pid)')
    .option(
      '--metrics-bind-address <host:port>',
      'serve Prometheus /metrics (plain HTTP) here, e.g. 127.0.0.1:8080',
    )
    .action(
      async (flags: {
        kubeconfig?: string;
        leaderElect: boolean;
        identity?: string;
        metricsBindAddress?: string;
      }) => {
        const logs = new LogBuffer();
        const logger = createLogger({
          component: 'operator',
          buffer: logs,
          minLevel: 'info',
          echo: (line) => io.writeError(`${line}\n`),
        });
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const metrics = new OperatorMetrics();
        const serving =
          flags.metricsBindAddress === undefined
            ? undefined
            : await serve(parseListenAddress(flags.metricsBindAddress), undefined, (req, res) => {
                if (req.url !== '/metrics') {
                  res.writeHead(404, { 'Content-Type': 'text/plain' });
                  res.end('only /metrics is served here\n');
                  return;
                }
                void metrics.metricsText().then(({ contentType, text }) => {
                  res.writeHead(200, { 'Content-Type': contentType });
                  res.end(text);
                });
              });
        if (serving !== undefined)
          logger.info('serving metrics', { address: flags.metricsBindAddress, port: serving.port });
        try {
          await runOperator(
            {
              kubeConfig: loadKubeConfig(flags.kubeconfig),
              logger,
              identity: flags.identity ?? `${hostname()}-${process.pid}`,
              leaderElection: flags.leaderElect,
              metrics,
            },
            stop.signal,
          );
        } finally {
          await serving?.close();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );
}
