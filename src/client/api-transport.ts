import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError } from './api-error.ts';

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The API path, e.g. /apis/networking.datumapis.com/v1alpha1/namespaces/default/networks. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON (which is also YAML, for apply patches). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
}

export interface ApiTransportOptions {
  /** Also the default field manager on the server. Default nso. */
  readonly userAgent?: string;
  /** A request (not a watch) whose connection stays silent this long fails. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

/**
 * HTTP to the current cluster of a client-node KubeConfig. client-node supplies credentials and TLS material
 * (`applyToHTTPSOptions`: client certificates, bearer tokens from any auth provider, refreshed per request);
 * requests go out through node:https on one keep-alive agent, since client-node 1.4.0's own fetch path makes a
 * fresh non-keep-alive agent per call and hides response bodies of failed watches.
 */
export class ApiTransport {
  readonly kubeConfig: KubeConfig;
  readonly #userAgent: string;
  readonly #idleTimeoutMs: number;
  #agent: http.Agent | undefined;

  constructor(kubeConfig: KubeConfig, options: ApiTransportOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.#userAgent = options.userAgent ?? 'nso';
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Sends a request and parses its JSON answer; a non-2xx answer is an ApiError carrying the server's Status. */
  async json<R>(request: ApiRequest): Promise<R> {
    const response = await this.#open(request, this.#idleTimeoutMs);
    const body = await readText(response);
    const code = response.statusCode ?? 0;
    if (code < 200 || code > 299) throw ApiError.fromResponse(code, body, describe(request));
    try {
      return JSON.parse(body) as R;
    } catch (error) {
      throw new Error(`${describe(request)}: the answer is not JSON: ${body.slice(0, 200)}`, {
        cause: error,
      });
    }
  }

  /**
   * Sends a request whose answer is newline-delimited (a watch) and hands over each line in order, waiting for
   * `onLine` before reading on. Resolves when the server ends the answer; rejects when the connection breaks.
   */
  async lines(request: ApiRequest, onLine: (line: string) => void | Promise<void>): Promise<void> {
    const response = await this.#open(request, 0);
    const code = response.statusCode ?? 0;
    if (code < 200 || code > 299)
      throw ApiError.fromResponse(code, await readText(response), describe(request));
    response.setEncoding('utf8');
    let pending = '';
    for await (const chunk of response as AsyncIterable<string>) {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (line.trim() !== '') await onLine(line);
      }
    }
    if (pending.trim() !== '') await onLine(pending);
  }

  /** Closes idle and open connections; requests after this open new ones. */
  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }

  async #open(request: ApiRequest, idleTimeoutMs: number): Promise<http.IncomingMessage> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('the kubeconfig has no current cluster; set current-context');
    const url = new URL(cluster.server.replace(/\/+$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const options: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    this.#agent ??= keepAliveAgent(options, cluster.proxyUrl !== undefined, url.protocol === 'http:');
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body), 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders | undefined),
      Accept: 'application/json',
      'User-Agent': this.#userAgent,
      ...(body === undefined
        ? {}
        : { 'Content-Type': request.contentType ?? 'application/json', 'Content-Length': body.length }),
    };
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise((resolve, reject) => {
      const req = send(url, {
        method: request.method,
        headers,
        agent: this.#agent,
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      if (idleTimeoutMs > 0) {
        req.setTimeout(idleTimeoutMs, () =>
          req.destroy(new Error(`${describe(request)}: no answer for ${idleTimeoutMs} ms`)),
        );
      }
      req.once('response', resolve);
      req.once('error', (error) =>
        reject(
          request.signal?.aborted
            ? error
            : new Error(`${describe(request)}: ${error.message}`, { cause: error }),
        ),
      );
      req.end(body);
    });
  }
}

/**
 * Our own agent with the TLS material client-node resolved, so connections are reused; a proxy agent (which
 * client-node builds only for proxy-url clusters) is used as it comes.
 */
function keepAliveAgent(resolved: https.RequestOptions, proxied: boolean, plain: boolean): http.Agent {
  if (proxied && resolved.agent instanceof http.Agent) return resolved.agent;
  if (plain) return new http.Agent({ keepAlive: true });
  const tls: https.AgentOptions = { keepAlive: true };
  for (const field of [
    'ca',
    'cert',
    'key',
    'pfx',
    'passphrase',
    'rejectUnauthorized',
    'servername',
  ] as const) {
    if (resolved[field] !== undefined) Object.assign(tls, { [field]: resolved[field] });
  }
  return new https.Agent(tls);
}

async function readText(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(request: ApiRequest): string {
  return `${request.method} ${request.path}`;
}
