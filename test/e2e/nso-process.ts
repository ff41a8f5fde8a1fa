// Starts the real `nso up` as a child process on a free loopback port and stops it by PID.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A running `nso up`: its server address and the admin kubeconfig it wrote. */
export class NsoProcess {
  stdout = '';
  stderr = '';
  readonly #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
  ) {
    this.#exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /**
   * Spawns `nso up --data-dir DIR --listen 127.0.0.1:0 [args…]` (or another command such as `apiserver`, whose
   * args must then make it print a kubeconfig) and waits for its `kubeconfig:` line.
   */
  static async start(
    dataDir: string,
    options: {
      readonly command?: string;
      readonly args?: readonly string[];
      readonly timeoutMs?: number;
    } = {},
  ): Promise<{ nso: NsoProcess; server: string; kubeconfig: string }> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const child = spawn(
      process.execPath,
      [
        ...(process.env.NSO_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        'bin/nso.js',
        options.command ?? 'up',
        '--data-dir',
        dataDir,
        '--listen',
        '127.0.0.1:0',
        ...(options.args ?? []),
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const nso = new NsoProcess(child, dataDir);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const kubeconfig = /^kubeconfig: (\/\S+)\s*$/m.exec(nso.stdout)?.[1];
      const server = /https?:\/\/127\.0\.0\.1:\d+/.exec(nso.stdout)?.[0];
      if (kubeconfig !== undefined && server !== undefined) return { nso, server, kubeconfig };
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (exited || Date.now() > deadline) {
        await nso.stop();
        throw new Error(
          `nso up ${exited ? `exited (${child.exitCode ?? child.signalCode})` : `printed no kubeconfig within ${timeoutMs} ms`}` +
            `\n--- stdout ---\n${nso.stdout}\n--- stderr ---\n${nso.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends `signal` with no grace period (SIGKILL: a crash); resolves with how the process ended. */
  async kill(
    signal: NodeJS.Signals = 'SIGKILL',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      process.kill(this.child.pid, signal);
    }
    return this.#exit;
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves with how the process ended. */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) {
      process.kill(this.child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
      }, graceMs);
      const ended = await this.#exit;
      clearTimeout(timer);
      return ended;
    }
    return this.#exit;
  }
}

/** Runs one short `nso` command (tenant add, policy trace…) to its end: exit code and output. */
export function runNso(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/nso.js', ...args],
      { cwd: REPO, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}
