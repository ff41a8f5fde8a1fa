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
import { ApiTransport } from '../client/api-transport.ts';
import { Informer } from '../client/informer.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../client/kube-object.ts';
import { ResourceClient } from '../client/resource-client.ts';
import { networkCleanupController } from '../controllers/network/cleanup-controller.ts';
import { regionClaimsController } from '../controllers/network/region-claims-controller.ts';
import { networkStatusController } from '../controllers/network/status-controller.ts';
import { networkBindingControllers } from '../controllers/network-binding/network-binding-controllers.ts';
import { networkContextController } from '../controllers/network-context/network-context-controller.ts';
import { networkPolicyStatusController } from '../controllers/network-policy/status-controller.ts';
import { repairController } from '../controllers/repair/repair-controller.ts';
import { eventSink, type LeaseObject, leaseStore } from '../controllers/runtime/client-adapters.ts';
import type { Controller } from '../controllers/runtime/controller.ts';
import { type CoreEvent, EventRecorder } from '../controllers/runtime/event-recorder.ts';
import { LeaderElector } from '../controllers/runtime/leader-election.ts';
import { OperatorMetrics } from '../controllers/runtime/metrics.ts';
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
const EVENTS: ApiResource = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };
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
  const transport = new ApiTransport(options.kubeConfig, { userAgent: `nso-operator/${options.identity}` });
  const metrics = options.metrics ?? new OperatorMetrics();
  const client = <T extends KubeObject>(resource: ApiResource) => new ResourceClient<T>(transport, resource);
  const onError = (what: string) => (error: unknown) =>
    logger.warn('watch failed; retrying', {
      resource: what,
      error: error instanceof Error ? error.message : String(error),
    });
  const informer = <T extends KubeObject>(resource: ApiResource) =>
    new Informer<T>(client<T>(resource), { onError: onError(resource.plural) });

  const policies = informer<NetworkPolicy & KubeObject>(apiResourceOf(NetworkPolicyKind));
  const workloads = informer<Workload & KubeObject>(apiResourceOf(WorkloadKind));
  const networks = informer<Network & KubeObject>(apiResourceOf(NetworkKind));
  const namespaces = informer<NamespaceInput & KubeObject>(NAMESPACES);
  const subnets = informer<Subnet & KubeObject>(apiResourceOf(SubnetKind));
  const claims = informer<SubnetClaim & KubeObject>(apiResourceOf(SubnetClaimKind));
  const allocations = informer<NetworkAllocation & KubeObject>(apiResourceOf(NetworkAllocationKind));
  const bindings = informer<NetworkBinding & KubeObject>(apiResourceOf(NetworkBindingKind));
  const addresses = informer<NetworkAddress & KubeObject>(apiResourceOf(NetworkAddressKind));
  const contexts = informer<NetworkContext & KubeObject>(apiResourceOf(NetworkContextKind));
  const informers = [
    policies,
    workloads,
    networks,
    namespaces,
    subnets,
    claims,
    allocations,
    bindings,
    addresses,
    contexts,
  ];
  const recorder = new EventRecorder({
    sink: eventSink(client<CoreEvent & KubeObject>(EVENTS)),
    component: OPERATOR_COMPONENT,
    instance: options.identity,
    logger,
  });
  try {
    for (const each of informers) each.start();
    await Promise.all(informers.map((each) => each.waitForSync(signal)));
    if (signal.aborted) return;
    logger.info('caches synced', { informers: informers.length });
    const controllers = (): Controller[] => [
      networkCleanupController({
        networks,
        contexts,
        claims,
        subnets,
        bindings,
        addresses,
        networkClient: client(apiResourceOf(NetworkKind)),
        contextClient: client(apiResourceOf(NetworkContextKind)),
        claimClient: client(apiResourceOf(SubnetClaimKind)),
        subnetClient: client(apiResourceOf(SubnetKind)),
        bindingClient: client(apiResourceOf(NetworkBindingKind)),
        addressClient: client(apiResourceOf(NetworkAddressKind)),
        recorder,
        logger,
        metrics,
      }),
      regionClaimsController({
        networks,
        claims,
        claimClient: client(apiResourceOf(SubnetClaimKind)),
        recorder,
        logger,
        metrics,
      }),
      networkContextController({
        contexts,
        networks,
        client: client(apiResourceOf(NetworkContextKind)),
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
        bindingClient: client(apiResourceOf(NetworkBindingKind)),
        addressClient: client(apiResourceOf(NetworkAddressKind)),
        recorder,
        logger,
        metrics,
      }),
      ...workloadControllers({
        workloads,
        bindings,
        networks,
        workloadClient: client(apiResourceOf(WorkloadKind)),
        bindingClient: client(apiResourceOf(NetworkBindingKind)),
        recorder,
        logger,
        metrics,
      }),
      subnetStatusController({
        subnets,
        bindings,
        client: client(apiResourceOf(SubnetKind)),
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
        claimClient: client(apiResourceOf(SubnetClaimKind)),
        subnetClient: client(apiResourceOf(SubnetKind)),
        allocationClient: client(apiResourceOf(NetworkAllocationKind)),
        recorder,
        logger,
        metrics,
      }),
      networkStatusController({
        networks,
        subnets,
        client: client(apiResourceOf(NetworkKind)),
        recorder,
        logger,
        metrics,
      }),
      networkPolicyStatusController({
        policies,
        workloads,
        networks,
        namespaces,
        client: client(apiResourceOf(NetworkPolicyKind)),
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
        allocationClient: client(apiResourceOf(NetworkAllocationKind)),
        claimClient: client(apiResourceOf(SubnetClaimKind)),
        subnetClient: client(apiResourceOf(SubnetKind)),
        bindingClient: client(apiResourceOf(NetworkBindingKind)),
        addressClient: client(apiResourceOf(NetworkAddressKind)),
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
        store: leaseStore(client<LeaseObject>(LEASES), LEASE.namespace, LEASE.name),
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
    await Promise.all(informers.map((each) => each.stop()));
    transport.close();
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
