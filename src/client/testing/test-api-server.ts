import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, ServerResponse } from 'node:http';
import { type Http2ServerRequest, type Http2ServerResponse, constants as http2 } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { customResourceDefinition } from '../../api/crd.ts';
import { KINDS } from '../../api/kinds.ts';
import { StatusError, type StatusReason } from '../../api/status-error.ts';
import { ApiServer } from '../../apiserver/api-server.ts';
import { requestAuthenticator } from '../../apiserver/auth/authenticator.ts';
import type { UserInfo } from '../../apiserver/auth/token-file.ts';
import type { ApiObject } from '../../apiserver/registry/object-codec.ts';
import { type KubeconfigOptions, kubeconfigYaml } from '../../cli/kubeconfig.ts';
import { parseListenAddress } from '../../cli/listen-address.ts';
import { ensurePki } from '../../cli/pki.ts';
import { serve } from '../../cli/serve.ts';
import { MemoryStorage } from '../../storage/memory/memory-storage.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface TestApiServer {
  /** The admin (system:masters) client certificate against this server, as `nso up` writes it. */
  readonly kubeConfig: KubeConfig;
  /** A kubeconfig that sends this bearer token (one of `tokens`) and no client certificate. */
  kubeConfigWithToken(token: string): KubeConfig;
  readonly api: ApiServer;
  readonly storage: MemoryStorage;
  /** The https:// URL. */
  readonly server: string;
  /** Every request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Watch requests whose answer is still open. */
  openWatches(): number;
  /** Cuts every open watch and refuses new ones with this Status until resumeWatches: a partition of watches only. */
  breakWatches(refusal: {
    readonly code: number;
    readonly reason: StatusReason;
    readonly message: string;
  }): void;
  resumeWatches(): void;
  close(): Promise<void>;
}

type Reply = ServerResponse | Http2ServerResponse;

/**
 * The real API server over MemoryStorage with nso's CRDs, served over TLS with a fresh CA and client-certificate
 * authentication, as `nso up` serves it: what controllers and clients are tested against. No background
 * compaction; tests call `storage.compact(revision)`.
 */
export async function startTestApiServer(
  options: {
    readonly storage?: MemoryStorage;
    readonly now?: () => number;
    /** Bearer tokens the server accepts, and who each one is. */
    readonly tokens?: Readonly<Record<string, UserInfo>>;
  } = {},
): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nso-test-api-'));
  const storage = options.storage ?? new MemoryStorage();
  const { pki } = await ensurePki(dir, { hosts: [] });
  const api = await ApiServer.start({
    storage,
    customResourceDefinitions: KINDS.map((kind) => customResourceDefinition(kind) as ApiObject),
    authenticate: requestAuthenticator({ lookup: (token) => options.tokens?.[token] }),
    compactionIntervalMs: 0,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const requests: RecordedRequest[] = [];
  const watches = new Set<Reply>();
  let refusal: StatusError | undefined;
  const handle = (req: IncomingMessage | Http2ServerRequest, res: Reply): void => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (watch && refusal !== undefined) {
      const body = JSON.stringify(refusal.toStatus());
      res.writeHead(refusal.code, { 'Content-Type': 'application/json' });
      res.end(body);
      return;
    }
    if (watch) {
      watches.add(res);
      res.once('close', () => watches.delete(res));
    }
    api.handle(req, res);
  };
  const serving = await serve(
    parseListenAddress('127.0.0.1:0'),
    { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert },
    handle,
  );
  const server = `https://127.0.0.1:${serving.port}`;
  const kubeConfigAs = (user: KubeconfigOptions['user']): KubeConfig => {
    const config = new KubeConfig();
    config.loadFromString(
      kubeconfigYaml({ server, certificateAuthority: pki.ca.cert, user, namespace: 'default' }),
    );
    return config;
  };
  return {
    kubeConfig: kubeConfigAs({ clientCertificate: pki.admin.cert, clientKey: pki.admin.key }),
    kubeConfigWithToken: (token) => kubeConfigAs({ token }),
    api,
    storage,
    server,
    requests,
    openWatches: () => watches.size,
    breakWatches: ({ code, reason, message }) => {
      refusal = new StatusError(code, reason, message);
      for (const res of watches) {
        if (res instanceof ServerResponse) res.destroy();
        else res.stream.close(http2.NGHTTP2_CANCEL);
      }
    },
    resumeWatches: () => {
      refusal = undefined;
    },
    close: async () => {
      await serving.close();
      await api.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
