// Runs the stock kubectl binaries (1.27–1.33) as a user would: each version with its own discovery cache.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
export const KUBECTL_MINORS = [27, 28, 29, 30, 31, 32, 33] as const;

export interface KubectlResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** The installed versions. A missing one is a failing test under CI=true and a loud skip elsewhere. */
export function installedKubectls(): { minor: number; binary: string }[] {
  const found: { minor: number; binary: string }[] = [];
  for (const minor of KUBECTL_MINORS) {
    const binary = join(KUBECTL_DIR, `kubectl.1.${minor}`);
    if (existsSync(binary)) {
      found.push({ minor, binary });
      continue;
    }
    const what = `kubectl 1.${minor}`;
    const message = `${binary} is not installed: the end-to-end suite cannot run against ${what}`;
    if (process.env.CI === 'true') {
      test(what, () => assert.fail(`${message}; CI must run every version, so this is a failure`));
    } else {
      console.error(`\n${'!'.repeat(100)}\n!! SKIPPED: ${message}\n${'!'.repeat(100)}\n`);
      test(what, { skip: message }, () => {});
    }
  }
  return found;
}

/** Everything kubectl printed, for assertion messages. */
export function shown(result: KubectlResult): string {
  const exit = result.signal === null ? `exit ${result.code}` : `killed by ${result.signal} (timeout?)`;
  return `${exit}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** One kubectl binary bound to one kubeconfig and a discovery/HTTP cache of its own. */
export class Kubectl {
  constructor(
    readonly minor: number,
    readonly binary: string,
    readonly kubeconfig: string,
    readonly cacheDir: string,
  ) {}

  run(args: readonly string[], options: RunOptions = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      execFile(
        this.binary,
        this.#argv(args),
        { timeout: options.timeoutMs ?? 20_000, killSignal: 'SIGKILL', env: this.#env(options.env) },
        (error, stdout, stderr) => {
          const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
          resolve({
            code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
            signal: failure?.signal ?? null,
            stdout,
            stderr,
          });
        },
      );
    });
  }

  /** Starts a long-running command such as `get -w`; the caller must stop() it. */
  watch(args: readonly string[]): KubectlWatch {
    return new KubectlWatch(
      spawn(this.binary, this.#argv(args), { env: this.#env(), stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  #argv(args: readonly string[]): string[] {
    return ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args];
  }

  #env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
    delete env.KUBECONFIG;
    if (extra.KUBE_EDITOR === undefined) delete env.KUBE_EDITOR;
    return env;
  }
}

export class KubectlWatch {
  stdout = '';
  stderr = '';
  readonly #exited: Promise<void>;
  #changed: () => void = () => {};

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#changed();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#changed();
    });
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    void this.#exited.then(() => this.#changed());
  }

  /** Resolves once `ready(stdout)` holds; rejects (with the output so far) on timeout or exit. */
  async until(ready: (stdout: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready(this.stdout)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `kubectl watch: ${what} did not happen within ${timeoutMs} ms (exit ${this.child.exitCode})\n` +
            `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#changed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await this.#exited;
    clearTimeout(timer);
  }
}
