// `nso up` on one data directory that a test crashes and starts again, with requests that follow it to each new
// port: a request that meets a dead or restarting server waits for the next one and is sent again.
import { KubeConfig } from '@kubernetes/client-node';
import type { KindDefinition } from '../../src/api/kind.ts';
import { ApiError } from '../../src/client/api-error.ts';
import { ApiTransport } from '../../src/client/api-transport.ts';
import { apiResourceOf, type KubeObject } from '../../src/client/kube-object.ts';
import { ResourceClient } from '../../src/client/resource-client.ts';
import { NsoProcess } from '../e2e/nso-process.ts';

interface Running {
  readonly nso: NsoProcess;
  readonly transport: ApiTransport;
}

/** Answers a server may give while it starts or sheds load; the request can simply be sent again. */
const RETRYABLE_CODES: ReadonlySet<number> = new Set([429, 503, 504]);

export class RestartingNso {
  kills = 0;
  /** Requests sent again, by why: a system error code (ECONNRESET: in flight at a kill) or an HTTP code. */
  readonly resent = new Map<string, number>();
  /** Milliseconds each start took, from spawn to the kubeconfig line. */
  readonly startMs: number[] = [];
  #running: Promise<Running>;
  #stopped = false;
  #waiters: { readonly kills: number; readonly resolve: () => void }[] = [];

  private constructor(
    readonly dataDir: string,
    first: Running,
  ) {
    this.#running = Promise.resolve(first);
  }

  static async start(dataDir: string): Promise<RestartingNso> {
    const begin = performance.now();
    const first = await launch(dataDir);
    const nso = new RestartingNso(dataDir, first);
    nso.startMs.push(performance.now() - begin);
    return nso;
  }

  /** SIGKILLs the running process, then starts a new one on the same data directory (and a new port). */
  async crash(): Promise<{ signal: NodeJS.Signals | null }> {
    const previous = await this.#running;
    let restarted: (running: Promise<Running>) => void = () => {};
    this.#running = new Promise<Running>((resolve) => {
      restarted = (running) => resolve(running);
    });
    const ended = await previous.nso.kill('SIGKILL');
    this.kills++;
    for (const waiter of this.#waiters.filter((w) => w.kills <= this.kills)) waiter.resolve();
    this.#waiters = this.#waiters.filter((w) => w.kills > this.kills);
    previous.transport.close();
    const begin = performance.now();
    const next = launch(this.dataDir);
    restarted(next);
    await next;
    this.startMs.push(performance.now() - begin);
    return { signal: ended.signal };
  }

  /** Resolves once `kills` crashes have happened. */
  afterKills(kills: number): Promise<void> {
    if (this.kills >= kills) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ kills, resolve }));
  }

  /** A client of the server running now, for a phase with no more crashes. */
  async client<T extends KubeObject>(kind: KindDefinition): Promise<ResourceClient<T>> {
    const { transport } = await this.#running;
    return new ResourceClient<T>(transport, apiResourceOf(kind));
  }

  /** The output of the process running now, to explain a failure. */
  async output(): Promise<string> {
    const { nso } = await this.#running;
    return `--- stdout ---\n${nso.stdout}\n--- stderr ---\n${nso.stderr.slice(-20_000)}`;
  }

  /**
   * Runs `call` with a client of the server running now; a broken connection or a 429/503/504 sends it again,
   * to the next server once the current one is gone. Any other refusal is the caller's.
   */
  async request<T extends KubeObject, R>(
    kind: KindDefinition,
    call: (client: ResourceClient<T>) => Promise<R>,
  ): Promise<R> {
    for (;;) {
      if (this.#stopped) throw new Error('the test stopped nso');
      const running = this.#running;
      const { transport } = await running;
      try {
        return await call(new ResourceClient<T>(transport, apiResourceOf(kind)));
      } catch (error) {
        const why = retryable(error);
        if (why === undefined) throw error;
        this.resent.set(why, (this.resent.get(why) ?? 0) + 1);
        // The same server failed us: give it (or the kill under way) a moment before the next attempt.
        if (running === this.#running) await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  /** Stops the process running now; a start that failed has already stopped its own. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const running = await this.#running.catch(() => undefined);
    running?.transport.close();
    await running?.nso.stop();
  }
}

/** Why `error` may be sent again: a 429/503/504, or a connection the server's death broke or refused. */
function retryable(error: unknown): string | undefined {
  if (error instanceof ApiError) return RETRYABLE_CODES.has(error.code) ? String(error.code) : undefined;
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code;
}

async function launch(dataDir: string): Promise<Running> {
  const { nso, kubeconfig } = await NsoProcess.start(dataDir);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  return { nso, transport: new ApiTransport(kubeConfig, { idleTimeoutMs: 15_000 }) };
}
