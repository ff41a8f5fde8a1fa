import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { OperatorMetrics } from '../controllers/runtime/metrics.ts';
import type { LogBuffer, LogLine } from '../log/log-buffer.ts';
import { createLogger, type LogLevel } from '../log/logger.ts';
import { runOperator } from './operator.ts';

/**
 * nso up's operator runs on a thread of its own, still talking to the API server over loopback like any
 * client: on one thread the two shared one core, and every request the operator made waited for the server
 * to finish parsing, validating and storing the clients' requests, and the other way round.
 */

/** What the main thread sends the operator thread. */
type ToOperator = { readonly type: 'metrics'; readonly id: number } | { readonly type: 'stop' };

/** What the operator thread sends back. */
type FromOperator =
  | { readonly type: 'log'; readonly line: LogLine; readonly level: LogLevel }
  | { readonly type: 'metrics'; readonly id: number; readonly contentType: string; readonly text: string }
  | { readonly type: 'stopped' };

interface OperatorThreadData {
  readonly kubeconfig: string;
  readonly identity: string;
}

export interface OperatorThread {
  /** The operator's Prometheus metrics, from its thread. */
  metricsText(): Promise<{ readonly contentType: string; readonly text: string }>;
  /** Stops the controllers and the thread; resolves once both are gone. */
  stop(): Promise<void>;
  /** Ends the current thread at once, as a fatal error in it would; it is started again like after any crash. */
  kill(): Promise<void>;
  /** Threads started so far: 1, plus one for each restart. */
  readonly starts: number;
}

/** How long a thread that died waits before its replacement starts, as a kubelet backs off a crashed pod. */
const RESTART_DELAY_MS = 1_000;

/**
 * Starts the operator on a worker thread against the API server `kubeconfig` names, and starts it again if the
 * thread dies. Its identity is stable per host, so after a crash the new thread (or process) takes its own
 * Lease back at once instead of waiting for it to expire. Its log lines land in `logs` (what `kubectl logs`
 * serves for the operator pod) and go to `echo` from warn up.
 */
export function startOperatorThread(options: {
  readonly kubeconfig: string;
  readonly logs: LogBuffer;
  readonly echo: (line: string) => void;
}): OperatorThread {
  const data: OperatorThreadData = { kubeconfig: options.kubeconfig, identity: `nso-up@${hostname()}` };
  const entry = fileURLToPath(new URL('../../bin/operator-worker.js', import.meta.url));
  const pending = new Map<number, (reply: { contentType: string; text: string }) => void>();
  let nextId = 0;
  let stopping = false;

  const spawn = (): { worker: Worker; exited: Promise<void> } => {
    const worker = new Worker(entry, { workerData: data });
    worker.on('message', (message: FromOperator) => {
      if (message.type === 'log') {
        options.logs.append(message.line);
        if (message.level === 'warn' || message.level === 'error') options.echo(message.line.text);
      } else if (message.type === 'metrics') {
        pending.get(message.id)?.(message);
      }
    });
    worker.on('error', (error) => options.echo(`operator thread failed: ${error.stack ?? error.message}`));
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        resolve();
        if (stopping) return;
        options.echo(`operator thread exited with code ${code}; starting it again in ${RESTART_DELAY_MS} ms`);
        setTimeout(() => {
          if (stopping) return;
          current = spawn();
          starts++;
        }, RESTART_DELAY_MS).unref();
      }),
    );
    return { worker, exited };
  };
  let current = spawn();
  let starts = 1;

  return {
    get starts() {
      return starts;
    },
    kill: async () => {
      const { worker, exited } = current;
      await worker.terminate();
      await exited;
    },
    metricsText: async () => {
      const id = nextId++;
      const reply = new Promise<{ contentType: string; text: string }>((resolve) => pending.set(id, resolve));
      const { worker, exited } = current;
      worker.postMessage({ type: 'metrics', id } satisfies ToOperator);
      return Promise.race([
        reply,
        exited.then(() => ({ contentType: 'text/plain', text: '# the operator is not running\n' })),
      ]).finally(() => pending.delete(id));
    },
    stop: async () => {
      stopping = true;
      current.worker.postMessage({ type: 'stop' } satisfies ToOperator);
      await current.exited;
    },
  };
}

/** The thread's side: run the operator until told to stop. */
async function operatorThreadMain(port: NonNullable<typeof parentPort>): Promise<void> {
  const data = workerData as OperatorThreadData;
  const post = (message: FromOperator): void => port.postMessage(message);
  const logger = createLogger({
    component: 'operator',
    // Every line goes to the main thread, which keeps it for `kubectl logs` and echoes it from warn up.
    buffer: { append: () => {} },
    echo: (text, level) => post({ type: 'log', line: { time: Date.now(), text }, level }),
    minLevel: 'debug',
  });
  const metrics = new OperatorMetrics();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(data.kubeconfig);
  const stop = new AbortController();
  port.on('message', (message: ToOperator) => {
    if (message.type === 'stop') stop.abort();
    else void metrics.metricsText().then((reply) => post({ type: 'metrics', id: message.id, ...reply }));
  });
  try {
    await runOperator(
      { kubeConfig, logger, identity: data.identity, leaderElection: true, metrics },
      stop.signal,
    );
  } catch (error) {
    logger.error('operator failed', { error: error instanceof Error ? error.message : String(error) });
  }
  post({ type: 'stopped' });
  port.close();
}

if (!isMainThread && parentPort !== null && (workerData as OperatorThreadData | undefined)?.kubeconfig) {
  await operatorThreadMain(parentPort);
}
