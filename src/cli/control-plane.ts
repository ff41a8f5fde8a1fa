import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { customResourceDefinition } from '../api/crd.ts';
import { KINDS } from '../api/kinds.ts';
import { ApiServer } from '../apiserver/api-server.ts';
import { requestAuthenticator } from '../apiserver/auth/authenticator.ts';
import { addToken, StaticTokenFile, tokenFileUsers, type UserInfo } from '../apiserver/auth/token-file.ts';
import type { ApiObject } from '../apiserver/registry/object-codec.ts';
import { type Component, ComponentPods } from '../apiserver/system-controllers/component-pods.ts';
import { LogBuffer } from '../log/log-buffer.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.ts';
import { clientUrl, isLoopback, type ListenAddress } from './listen-address.ts';
import { type OperatorThread, startOperatorThread } from './operator-thread.ts';
import { acquirePidLock, processAlive } from './pid-lock.ts';
import {
  ADMIN_GROUP,
  ADMIN_USER,
  ensurePki,
  issueClientCertificate,
  type KeyPairPem,
  OPERATOR_USER,
} from './pki.ts';
import { serve } from './serve.ts';
import { describeStorage, openStorage, type StorageLocation } from './storage-url.ts';

export interface ControlPlaneOptions {
  readonly dataDir: string;
  readonly listen: ListenAddress;
  readonly storage: StorageLocation;
  /** Plain HTTP without authentication; refused unless `listen` is a loopback address. */
  readonly insecureHttp: boolean;
  /** Where to write the admin kubeconfig once serving; undefined writes none. */
  readonly kubeconfig: string | undefined;
  /** Take the data directory's pid lock (`nso up`); replicas of `nso apiserver` share a directory. */
  readonly exclusive: boolean;
  /** Run the operator in this process, through the API over loopback (`nso up`). */
  readonly operator: boolean;
  /** The user-facing lines: where it serves, the kubeconfig, how to try it. */
  readonly print: (line: string) => void;
  /** Log lines at warn and above, for the terminal. */
  readonly echo: (line: string) => void;
  readonly version: string;
}

export const TOKEN_FILE = 'tokens.csv';

/**
 * Runs the API server until `stop` aborts: storage, credentials, the server's component pod, then the
 * listening socket, and only then the kubeconfig, so a kubeconfig on disk always names a server that is up.
 * Shutdown reverses it and leaves storage consistent.
 */
export async function runControlPlane(options: ControlPlaneOptions, stop: AbortSignal): Promise<void> {
  const dataDir = resolve(options.dataDir);
  const { listen } = options;
  if (options.insecureHttp && !isLoopback(listen.host)) {
    throw new Error(
      `--insecure-http serves without authentication, so it may only listen on loopback (127.0.0.1 or ::1), not ${listen.host}`,
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const releaseLock = options.exclusive ? acquirePidLock(join(dataDir, 'nso.pid')) : () => {};
  const cleanup: (() => Promise<void> | void)[] = [releaseLock];
  const logs = new LogBuffer();
  const log = createLogger({
    component: 'apiserver',
    buffer: logs,
    minLevel: 'warn',
    echo: (line) => options.echo(line),
  });
  try {
    if (options.kubeconfig !== undefined) rmSync(options.kubeconfig, { force: true });
    const storage = await openStorage(options.storage);
    cleanup.unshift(() => storage.close());
    const security = options.insecureHttp ? undefined : await credentials(dataDir, listen, log);
    let pods: ComponentPods | undefined;
    let operator: OperatorThread | undefined;
    const api = await ApiServer.start({
      ...(options.operator ? { metrics: async () => (await operator?.metricsText()) ?? NO_METRICS } : {}),
      storage,
      customResourceDefinitions: KINDS.map((kind) => customResourceDefinition(kind) as ApiObject),
      authenticate: security?.authenticate,
      flowControl: { seats: REQUEST_SEATS, limits: [REQUEST_SEATS, CLIENT_SEATS], levelOf: priorityLevel },
      podLogs: (namespace, name, container) => pods?.logsFor(namespace, name, container),
      log: (level, message, fields) => log[level](message, fields),
    });
    cleanup.unshift(() => api.close());
    const image = `nso:${options.version}`;
    const components: Component[] = [{ component: 'apiserver', container: 'apiserver', image, logs }];
    const operatorLogs = new LogBuffer();
    if (options.operator)
      components.push({ component: 'operator', container: 'manager', image, logs: operatorLogs });
    pods = await publishComponentPods(api, components);
    const published = pods;
    cleanup.unshift(() => published.close());
    const serving = await serve(listen, security?.tls, api.handle);
    cleanup.unshift(() => serving.close());
    const url = clientUrl(security === undefined ? 'http' : 'https', listen.host, serving.port);
    log.info('serving', { url, storage: describeStorage(options.storage), dataDir });
    /** How a client reaches this server as `pair`'s user (none over plain HTTP). */
    const target = (pair: (creds: NonNullable<typeof security>) => KeyPairPem) => ({
      server: url,
      certificateAuthority: security?.tls.ca,
      user:
        security === undefined
          ? undefined
          : { clientCertificate: pair(security).cert, clientKey: pair(security).key },
    });
    if (options.operator) {
      const kubeconfig = kubeconfigYaml(target((creds) => creds.operator));
      const started = startOperatorThread({ kubeconfig, logs: operatorLogs, echo: options.echo });
      operator = started;
      cleanup.unshift(() => started.stop());
    }
    if (options.kubeconfig !== undefined) {
      writeKubeconfig(
        options.kubeconfig,
        target((creds) => creds.admin),
      );
    }
    announce(options, url);
    await new Promise<void>((resolve) => {
      if (stop.aborted) resolve();
      else stop.addEventListener('abort', () => resolve(), { once: true });
    });
    log.info('shutting down', { reason: String(stop.reason ?? 'signal') });
  } finally {
    for (const step of cleanup) {
      try {
        await step();
      } catch (error) {
        options.echo(`shutdown step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    logs.close();
  }
}

async function credentials(dataDir: string, listen: ListenAddress, log: Logger) {
  // A wildcard bind is reached through any of the machine's addresses, so the certificate names them all.
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  const addresses = Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).filter((entry) => !entry.internal).map((entry) => entry.address.replace(/%.*$/, '')),
  );
  const hosts = wildcard ? [hostname(), ...addresses] : [listen.host, hostname()];
  const { pki, created } = await ensurePki(dataDir, { hosts });
  if (created.length > 0) log.info('generated credentials', { files: created });
  const tokenFile = join(dataDir, TOKEN_FILE);
  if (!tokenFileUsers(tokenFile).includes(ADMIN_USER)) {
    addToken(tokenFile, { name: ADMIN_USER, groups: [ADMIN_GROUP] });
  }
  const tokens = new StaticTokenFile(tokenFile, { onError: (message) => log.warn(message) });
  // Issued afresh at every start and never written down: only this process's operator thread holds it.
  const operator = await issueClientCertificate(pki.ca, {
    commonName: OPERATOR_USER,
    organizations: [ADMIN_GROUP],
  });
  return {
    tls: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert },
    admin: pki.admin,
    operator,
    authenticate: requestAuthenticator(tokens),
  };
}

async function publishComponentPods(
  api: ApiServer,
  components: readonly Component[],
): Promise<ComponentPods> {
  const store = api.registry.lookup('', 'v1', 'pods')!;
  const pods = new ComponentPods(store, {
    namespace: 'datum-system',
    nodeName: hostname(),
    pid: process.pid,
    now: api.now,
  });
  await pods.removeStale(processAlive);
  await pods.publish(components);
  return pods;
}

/**
 * Requests the API server serves at once (see PriorityGate). Enough to keep group commits full; few enough
 * that, under a flood of client writes, the operator's requests find a queue to jump.
 */
const REQUEST_SEATS = 32;
/**
 * Of those, the most that everyone but the operator may hold, as APF gives global-default a smaller share
 * than workload-high: a burst of client writes cannot outrun the operator before its own requests queue.
 */
const CLIENT_SEATS = 16;

/**
 * The operator's requests first, but for the Events it records: nothing waits on those, so they queue with
 * everyone else's requests rather than ahead of the writes that make a claim Ready.
 */
function priorityLevel(user: UserInfo | undefined, method: string, path: string): number {
  if (user?.name !== OPERATOR_USER) return 1;
  return method === 'POST' && /^\/api\/v1\/namespaces\/[^/]+\/events$/.test(path) ? 1 : 0;
}

const NO_METRICS = { contentType: 'text/plain; version=0.0.4', text: '' };

function announce(options: ControlPlaneOptions, url: string): void {
  options.print(`nso ${options.version} is serving the Kubernetes API at ${url}`);
  options.print(`  storage: ${describeStorage(options.storage)}`);
  if (options.kubeconfig !== undefined) {
    options.print(`kubeconfig: ${options.kubeconfig}`);
    options.print(
      `try: kubectl --kubeconfig ${options.kubeconfig} apply -f examples/network.yaml && kubectl --kubeconfig ${options.kubeconfig} get networks`,
    );
  }
}
