import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { customResourceDefinition } from '../../src/api/crd.ts';
import { KINDS } from '../../src/api/kinds.ts';
import { ApiServer } from '../../src/apiserver/api-server.ts';
import type { ApiObject } from '../../src/apiserver/registry/object-codec.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import type { Storage } from '../../src/storage/storage.ts';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  readonly body: any;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent verbatim instead of JSON-encoding `body`. */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly accept?: string;
  readonly headers?: Record<string, string>;
}

/** An nso API server over a Storage (memory by default) on a loopback port chosen at run time. */
export class ApiHarness {
  private constructor(
    readonly api: ApiServer,
    readonly http: Server,
    readonly base: string,
    readonly clock: { now: number },
  ) {}

  static async start(options: { storage?: Storage; fakeClock?: boolean } = {}): Promise<ApiHarness> {
    const clock = { now: Date.UTC(2026, 10, 24, 12, 0, 0) };
    const api = await ApiServer.start({
      storage: options.storage ?? new MemoryStorage(),
      ...(options.fakeClock ? { now: () => clock.now } : {}),
      customResourceDefinitions: KINDS.map((kind) => customResourceDefinition(kind) as ApiObject),
      namespaces: ['default', 'datum-system'],
      log: (level, message, fields) => {
        if (level === 'error') console.error(message, fields);
      },
    });
    const http = createServer(api.handle);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return new ApiHarness(api, http, `http://127.0.0.1:${port}`, clock);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (options.accept !== undefined) headers.accept = options.accept;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  get(path: string, accept?: string): Promise<Reply> {
    return this.request('GET', path, accept === undefined ? {} : { accept });
  }

  post(path: string, body: unknown, query = ''): Promise<Reply> {
    return this.request('POST', `${path}${query}`, { body });
  }

  put(path: string, body: unknown): Promise<Reply> {
    return this.request('PUT', path, { body });
  }

  patch(path: string, contentType: string, body: unknown): Promise<Reply> {
    return this.request('PATCH', path, { body, contentType });
  }

  delete(path: string, body?: unknown): Promise<Reply> {
    return this.request('DELETE', path, body === undefined ? {} : { body });
  }

  /** Opens a watch and collects its events until `close()`. */
  async watch(path: string, accept?: string): Promise<WatchCollector> {
    const abort = new AbortController();
    const response = await fetch(`${this.base}${path}`, {
      signal: abort.signal,
      ...(accept === undefined ? {} : { headers: { accept } }),
    });
    return new WatchCollector(response, abort);
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.api.close();
    await this.api.storage.close();
  }
}

export class WatchCollector {
  // biome-ignore lint/suspicious/noExplicitAny: watch events are arbitrary JSON
  readonly events: any[] = [];
  readonly status: number;
  #ended = false;
  #waiters: (() => void)[] = [];

  constructor(
    response: Response,
    private readonly abort: AbortController,
  ) {
    this.status = response.status;
    void this.#read(response);
  }

  get ended(): boolean {
    return this.#ended;
  }

  async #read(response: Response): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim() !== '') this.events.push(JSON.parse(line));
          newline = buffer.indexOf('\n');
        }
        this.#wake();
      }
    } catch {
      // aborted by close()
    }
    this.#ended = true;
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Waits until at least `count` events arrived (or the stream ended, or 5 s passed). */
  async waitFor(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count && !this.#ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

export const G = '/apis/networking.datumapis.com/v1alpha1';
export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
