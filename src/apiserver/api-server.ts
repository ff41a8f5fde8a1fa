import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { StatusError } from '../api/status-error.ts';
import type { LogBuffer } from '../log/log-buffer.ts';
import type { Storage } from '../storage/storage.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { authorize, MASTERS_GROUP, verbOf } from './auth/authorizer.ts';
import type { UserInfo } from './auth/token-file.ts';
import { BUILTIN_RESOURCES } from './builtin/builtin-resources.ts';
import { builtinStrategy } from './builtin-strategies.ts';
import { aggregatedDiscovery } from './discovery/aggregated-discovery.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery/legacy-discovery.ts';
import { negotiateDiscovery } from './discovery/negotiate-discovery.ts';
import { parseApiPath } from './http/api-path.ts';
import { podLogTarget, servePodLog } from './http/pod-log.ts';
import { PriorityGate } from './http/priority-gate.ts';
import { handleResource } from './http/resource-handler.ts';
import { type ServerReply, sendBytes, sendError, sendJson } from './http/responses.ts';
import { openAPIV2 } from './openapi/openapi-v2.ts';
import { buildOpenAPIV3, type OpenAPIV3 } from './openapi/openapi-v3.ts';
import { ResourceSetMemo } from './openapi/resource-set-memo.ts';
import type { ApiObject } from './registry/object-codec.ts';
import type { RegistryStore, StoreContext } from './registry/registry-store.ts';
import { systemWrite } from './registry/request-options.ts';
import { ResourceRegistry } from './registry/resource-registry.ts';
import { Compactor } from './system-controllers/compactor.ts';
import { CrdController, ensureCustomResourceDefinitions } from './system-controllers/crd-controller.ts';
import { GarbageCollector } from './system-controllers/garbage-collector.ts';
import { admitNamespace, NamespaceLifecycle } from './system-controllers/namespace-lifecycle.ts';

export interface ApiServerOptions {
  readonly storage: Storage;
  /**
   * Requests served at once, and the priority level (0 the highest) of each request by its user, method and
   * path, as APF's FlowSchemas match; see PriorityGate. Watches and followed logs run outside it. Absent: no
   * limit.
   */
  readonly flowControl?: {
    readonly seats: number;
    /** The most seats each level may hold at once (level 0 first); a level without one may take them all. */
    readonly limits?: readonly number[];
    readonly levelOf: (user: UserInfo | undefined, method: string, path: string) => number;
  };
  /** Wall clock in ms; tests pass a fake one. */
  readonly now?: () => number;
  /** CRDs to install (create or update) at start: nso's own kinds. */
  readonly customResourceDefinitions?: readonly ApiObject[];
  /** Namespaces that always exist. */
  readonly namespaces?: readonly string[];
  /**
   * Who sent each request; without it every request acts with full rights (plain-http development and
   * tests). With it, a request without valid credentials gets 401 and one outside the user's rights 403.
   */
  readonly authenticate?: Authenticator | undefined;
  /** The log of a component pod's container, when this process runs it (see ComponentPods). */
  /** Prometheus text for GET /metrics (masters only, as kube-apiserver's RBAC default); absent: 404. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly text: string }>;
  /** How often storage history is compacted (kube-apiserver: 5 minutes); 0 never compacts. */
  readonly compactionIntervalMs?: number;
  readonly podLogs?: (namespace: string, pod: string, container: string) => LogBuffer | undefined;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

export const SERVER_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0+nso',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-11-24T00:00:00Z',
  goVersion: 'n/a (Node.js)',
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/**
 * A Kubernetes-compatible API server over one Storage: discovery, OpenAPI, health, and every kind's REST
 * endpoints through the generic registry, with the namespace, CRD and garbage-collection controllers that
 * keep its semantics. Transport (HTTP/HTTPS, authentication) is the caller's.
 */
export class ApiServer {
  readonly registry: ResourceRegistry;
  readonly now: () => number;
  readonly #storage: Storage;
  readonly #gc: GarbageCollector;
  readonly #namespaces: NamespaceLifecycle;
  readonly #crds: CrdController;
  readonly #compactor: Compactor | undefined;
  readonly #log: NonNullable<ApiServerOptions['log']>;
  readonly #authenticate: Authenticator | undefined;
  readonly #podLogs: NonNullable<ApiServerOptions['podLogs']>;
  readonly #metrics: ApiServerOptions['metrics'];
  readonly #gate: PriorityGate | undefined;
  readonly #levelOf: NonNullable<ApiServerOptions['flowControl']>['levelOf'];
  readonly #openapi = new ResourceSetMemo<OpenAPIV3>((resources) => buildOpenAPIV3(resources));
  #ready = false;

  private constructor(options: ApiServerOptions) {
    this.#storage = options.storage;
    this.now = options.now ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#authenticate = options.authenticate;
    this.#podLogs = options.podLogs ?? (() => undefined);
    this.#metrics = options.metrics;
    this.#gate =
      options.flowControl && new PriorityGate(options.flowControl.seats, options.flowControl.limits);
    this.#levelOf = options.flowControl?.levelOf ?? (() => 0);
    let namespaceStore: RegistryStore | undefined;
    const context: StoreContext = {
      storage: options.storage,
      now: this.now,
      admitNamespace: (namespace) => admitNamespace(namespaceStore!, namespace),
      findOwnerUid: async (namespace, owner) => {
        const store = this.registry.byKind(owner.apiVersion, owner.kind);
        if (store === undefined) return undefined;
        try {
          return (await store.get(store.resource.namespaced ? namespace : undefined, owner.name)).metadata
            .uid;
        } catch (error) {
          if (error instanceof StatusError && error.reason === 'NotFound') return undefined;
          throw error;
        }
      },
    };
    this.registry = new ResourceRegistry(context);
    for (const resource of BUILTIN_RESOURCES) this.registry.register(resource, builtinStrategy(resource));
    namespaceStore = this.registry.lookup('', 'v1', 'namespaces')!;
    const crdStore = this.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    const onError = (key: string, error: unknown): void =>
      this.#log('warn', 'background step failed; retrying', { key, error: String(error) });
    this.#gc = new GarbageCollector(options.storage, this.registry, onError);
    this.#namespaces = new NamespaceLifecycle(options.storage, this.registry, namespaceStore, onError);
    this.#crds = new CrdController(options.storage, this.registry, crdStore, onError, builtinStrategy);
    const compaction = options.compactionIntervalMs ?? 5 * 60_000;
    this.#compactor =
      compaction > 0
        ? new Compactor(options.storage, compaction, (error) =>
            this.#log('warn', 'compaction failed; retrying next interval', { error: String(error) }),
          )
        : undefined;
  }

  /** Starts the controllers, ensures the standing namespaces and CRDs, and resolves once every CRD is served. */
  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const server = new ApiServer(options);
    try {
      await server.#start(options);
    } catch (error) {
      // A half-started server must not keep its controllers retrying against storage the caller closes.
      await server.close();
      throw error;
    }
    return server;
  }

  async #start(options: ApiServerOptions): Promise<void> {
    await this.#crds.start();
    const namespaces = this.registry.lookup('', 'v1', 'namespaces')!;
    for (const name of options.namespaces ?? ['default', 'datum-system']) {
      await namespaces.guaranteedUpdate(
        undefined,
        name,
        systemWrite('nso'),
        undefined,
        (current) => current ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        true,
      );
    }
    const crdStore = this.registry.lookup('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    await ensureCustomResourceDefinitions(crdStore, options.customResourceDefinitions ?? []);
    await this.#gc.start();
    await this.#namespaces.start();
    await this.#waitServed(options.customResourceDefinitions ?? []);
    this.#compactor?.start();
    this.#ready = true;
  }

  async close(): Promise<void> {
    this.#ready = false;
    this.#gc.stop();
    this.#namespaces.stop();
    this.#crds.stop();
    this.#compactor?.stop();
  }

  get storage(): Storage {
    return this.#storage;
  }

  readonly handle = (req: Request, res: Response): void => {
    this.#dispatch(req, res).catch((error: unknown) => {
      sendError(res as ServerReply, error, (internal) =>
        this.#log('error', 'request failed', {
          method: req.method,
          url: req.url,
          error: String(internal),
          stack: (internal as Error)?.stack,
        }),
      );
    });
  };

  async #dispatch(req: Request, res: Response): Promise<void> {
    const url = URL.parse(req.url ?? '/', 'http://localhost');
    if (url === null)
      throw new StatusError(400, 'BadRequest', `the request path is not a valid URL: ${req.url ?? ''}`);
    const reply = res as ServerReply;
    const path = url.pathname;
    if (path === '/healthz' || path === '/livez') return sendText(reply, 200, 'ok');
    if (path === '/readyz')
      return this.#ready
        ? sendText(reply, 200, 'ok')
        : sendText(reply, 503, 'not ready: custom resources are being installed');
    const user = this.#authenticate?.(req);
    if (this.#authenticate !== undefined && user === undefined) throw unauthorized();
    if (this.#gate !== undefined && !isLongRunning(path, url.searchParams)) {
      const leave = await this.#gate.enter(this.#levelOf(user, req.method ?? 'GET', path));
      res.once('finish', leave);
      res.once('close', leave);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') this.#logWrite(req, res, path, user?.name);
    if (path === '/version' || path === '/version/') return sendJson(reply, 200, SERVER_VERSION);
    if (path === '/metrics' && this.#metrics !== undefined) {
      if (user !== undefined && !user.groups.includes(MASTERS_GROUP)) {
        throw new StatusError(
          403,
          'Forbidden',
          `forbidden: User "${user.name}" cannot get path "/metrics"`,
          {},
        );
      }
      const { contentType, text } = await this.#metrics();
      return sendBytes(reply, 200, Buffer.from(text), contentType);
    }
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') {
      const v2 = openAPIV2();
      return sendBytes(reply, 200, v2.body, v2.contentType);
    }
    if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) return this.#openapiV3(reply, url);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !path.startsWith('/api')) throw notFoundPath();
    const parsed = parseApiPath(path);
    const resources = this.registry.resources();
    switch (parsed.kind) {
      case 'resource': {
        const verb = verbOf(req.method ?? 'GET', parsed.path, url.searchParams);
        const refusal =
          user === undefined || verb === undefined ? undefined : authorize(user, { verb, path: parsed.path });
        if (refusal !== undefined) throw refusal;
        const logTarget = podLogTarget(parsed);
        if (logTarget !== undefined) {
          const pods = this.registry.lookup('', 'v1', 'pods')!;
          const context = { pods, logsFor: this.#podLogs, now: this.now };
          return servePodLog(context, logTarget, req, reply, url.searchParams);
        }
        return handleResource({ registry: this.registry, now: this.now }, parsed.path, req, reply, url);
      }
      case 'core-versions':
      case 'groups': {
        const root = parsed.kind === 'core-versions' ? 'api' : 'apis';
        const negotiated = negotiateDiscovery(req.headers.accept);
        if (negotiated.kind === 'aggregated') {
          return sendBytes(
            reply,
            200,
            Buffer.from(JSON.stringify(aggregatedDiscovery(resources, root, negotiated.version))),
            negotiated.contentType,
            [],
            { Vary: 'Accept' },
          );
        }
        const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? 'localhost';
        return sendJson(
          reply,
          200,
          root === 'api' ? apiVersions(resources, host) : apiGroupList(resources),
          [],
          { Vary: 'Accept' },
        );
      }
      case 'group': {
        const group = apiGroup(resources, parsed.group);
        if (group === undefined) throw notFoundPath();
        return sendJson(reply, 200, group);
      }
      case 'resource-list': {
        const list = apiResourceList(resources, parsed.group, parsed.version);
        if (list === undefined) throw notFoundPath();
        return sendJson(reply, 200, list);
      }
      case 'other':
        throw notFoundPath();
    }
  }

  /** Writes are what an operator of the control plane asks about afterwards: who changed what, and the answer. */
  #logWrite(req: Request, res: Response, path: string, user: string | undefined): void {
    const started = performance.now();
    res.once('finish', () =>
      this.#log('info', 'write', {
        verb: req.method,
        path,
        http: req.httpVersion,
        code: res.statusCode,
        ...(user === undefined ? {} : { user }),
        ms: Math.round((performance.now() - started) * 10) / 10,
      }),
    );
  }

  #openapiV3(reply: ServerReply, url: URL): void {
    const openapi = this.#openapi.get(this.registry.generation, this.registry.resources());
    if (url.pathname === '/openapi/v3' || url.pathname === '/openapi/v3/') {
      sendBytes(reply, 200, Buffer.from(openapi.indexBody), 'application/json');
      return;
    }
    const document = openapi.documents.get(url.pathname.slice('/openapi/v3/'.length));
    if (document === undefined) throw notFoundPath();
    const hash = url.searchParams.get('hash');
    const headers: Record<string, string> =
      hash === document.hash
        ? { 'Cache-Control': 'public, immutable', Etag: `"${document.hash}"` }
        : { Etag: `"${document.hash}"` };
    sendBytes(reply, 200, Buffer.from(document.body), 'application/json', [], headers);
  }

  async #waitServed(definitions: readonly ApiObject[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const missing = definitions.filter((crd) => {
        const spec = crd.spec as { group: string; names: { plural: string } };
        return this.registry.byGroupResource(spec.group, spec.names.plural) === undefined;
      });
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `custom resources not served after 30 s: ${missing.map((crd) => crd.metadata.name).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function notFoundPath(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** Kubernetes answers every missing or invalid credential alike, and kubectl then asks the user to log in. */
function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

function sendText(reply: ServerReply, code: number, text: string): void {
  sendBytes(reply, code, Buffer.from(text), 'text/plain; charset=utf-8');
}

/** Requests that stay open as long as the client wants: watches and followed logs hold no seat. */
function isLongRunning(path: string, query: URLSearchParams): boolean {
  const watch = query.get('watch');
  if (watch === 'true' || watch === '1' || path.includes('/watch/')) return true;
  return path.endsWith('/log') && (query.get('follow') === 'true' || query.get('follow') === '1');
}
