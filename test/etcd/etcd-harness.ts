// Starts throwaway etcd members on loopback ports chosen at run time, and proves they are ours before use.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Etcd3 } from 'etcd3';

/** The etcd binary ($ETCD_BIN, else the first etcd on PATH), or undefined when there is none. */
export const etcdBinary: string | undefined = findEtcd();

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
}

interface Running {
  readonly member: EtcdMember;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly output: string[];
}

const START_ATTEMPTS = 4;
const READY_MS = 30_000;
const STOP_MS = 5_000;
const alive = new Set<Running>();

const killAll = (): void => {
  for (const running of alive) {
    running.child.kill('SIGKILL');
    rmSync(running.member.dataDir, { recursive: true, force: true });
  }
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** A loopback etcd cluster of its own: unique name, token and data directories; stop() removes every trace. */
export class EtcdCluster {
  readonly members: readonly EtcdMember[];
  readonly token: string;
  readonly #running: (Running | undefined)[];

  private constructor(members: readonly EtcdMember[], token: string, running: Running[]) {
    this.members = members;
    this.token = token;
    this.#running = running;
  }

  /** Starts `size` members and checks the cluster's identity; retries with fresh ports if one was taken. */
  static async start(size = 1): Promise<EtcdCluster> {
    if (!etcdBinary) throw new Error('no etcd binary: install etcd-server or set ETCD_BIN');
    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const cluster = await EtcdCluster.#launch(etcdBinary, size);
      try {
        await cluster.#waitUntilOurs();
        return cluster;
      } catch (error) {
        lastError = error;
        await cluster.stop();
        // A port taken between our probe and etcd's bind is worth another try; anything else is not.
        if (!/address already in use/.test(String((error as Error).message))) throw error;
      }
    }
    throw new Error(`etcd did not start in ${START_ATTEMPTS} attempts`, { cause: lastError });
  }

  static async #launch(binary: string, size: number): Promise<EtcdCluster> {
    const id = randomBytes(6).toString('hex');
    const token = `nso-test-${id}`;
    const ports = await freePorts(2 * size);
    const members = Array.from({ length: size }, (_, i) => ({
      name: `nso-${id}-m${i + 1}`,
      clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
      peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
      dataDir: mkdtempSync(join(tmpdir(), `nso-etcd-${id}-m${i + 1}-`)),
    }));
    const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    const running = members.map((member) => launchMember(binary, member, initialCluster, token));
    return new EtcdCluster(members, token, running);
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  isRunning(index: number): boolean {
    return this.#running[index] !== undefined;
  }

  /** The index of the member that leads, by asking every running member; undefined without a leader. */
  async leaderIndex(): Promise<number | undefined> {
    for (const [index, member] of this.members.entries()) {
      if (!this.isRunning(index)) continue;
      const client = new Etcd3({
        hosts: member.clientUrl,
        defaultCallOptions: () => ({ deadline: deadline(2_000) }),
      });
      try {
        const status = await client.maintenance.status();
        if (status.leader === '0') continue;
        if (status.leader === status.header.member_id) return index;
      } catch {
        // A member that cannot answer is not the leader we look for; the next one may know.
      } finally {
        client.close();
      }
    }
    return undefined;
  }

  /** Sends `signal` to one member by PID and waits for it to exit (SIGKILL after a timeout). */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const running = this.#running[index];
    if (!running) return;
    this.#running[index] = undefined;
    await stopProcess(running, signal);
  }

  /** Stops every member and removes the data directories; safe to call more than once. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, index) => this.kill(index, 'SIGTERM')));
    for (const member of this.members) rmSync(member.dataDir, { recursive: true, force: true });
  }

  /** The last lines etcd printed, for failure messages. */
  output(index: number): string {
    return this.#running[index]?.output.join('') ?? '(not running)';
  }

  async #waitUntilOurs(): Promise<void> {
    const until = Date.now() + READY_MS;
    let lastError: unknown;
    while (Date.now() < until) {
      for (const running of this.#running) {
        if (running && running.child.exitCode !== null) {
          throw new Error(
            `etcd ${running.member.name} exited (${running.child.exitCode}): ${running.output.join('')}`,
          );
        }
      }
      try {
        await this.#checkIdentity();
        return;
      } catch (error) {
        if (error instanceof IdentityError) throw error;
        lastError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`etcd was not ready within ${READY_MS} ms`, { cause: lastError });
  }

  /** Every endpoint must be the member we started, in one cluster of exactly our members, with a leader. */
  async #checkIdentity(): Promise<void> {
    const expected = this.members.map((m) => `${m.name} ${m.peerUrl} ${m.clientUrl}`).sort();
    const clusterIds = new Set<string>();
    for (const member of this.members) {
      const client = new Etcd3({
        hosts: member.clientUrl,
        defaultCallOptions: () => ({ deadline: deadline(2_000) }),
      });
      try {
        const list = await client.cluster.memberList({});
        const status = await client.maintenance.status();
        const seen = list.members
          .map((m) => `${m.name} ${m.peerURLs.join(',')} ${m.clientURLs.join(',')}`)
          .sort();
        if (seen.some((line) => line.startsWith(' ')))
          throw new Error('a member has not published its name yet');
        // A member publishes its client URLs a moment after its name; on a loaded machine the check can land
        // in between. That is a cluster still starting, not someone else's.
        if (list.members.some((m) => m.clientURLs.length === 0))
          throw new Error('a member has not published its client URLs yet');
        if (JSON.stringify(seen) !== JSON.stringify(expected)) {
          throw new IdentityError(
            `${member.clientUrl} answers for a cluster that is not ours (another etcd may be listening nearby): ` +
              `members ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`,
          );
        }
        const self = list.members.find((m) => m.ID === status.header.member_id);
        if (self?.name !== member.name) {
          throw new IdentityError(
            `${member.clientUrl} is member ${self?.name ?? status.header.member_id}, not ${member.name}`,
          );
        }
        if (status.leader === '0') throw new Error(`${member.name} has no leader yet`);
        clusterIds.add(status.header.cluster_id);
      } finally {
        client.close();
      }
    }
    if (clusterIds.size !== 1)
      throw new IdentityError(`the endpoints belong to clusters ${[...clusterIds].join(', ')}`);
  }
}

class IdentityError extends Error {}

function launchMember(binary: string, member: EtcdMember, initialCluster: string, token: string): Running {
  const child = spawn(
    binary,
    [
      `--name=${member.name}`,
      `--data-dir=${member.dataDir}`,
      `--listen-client-urls=${member.clientUrl}`,
      `--advertise-client-urls=${member.clientUrl}`,
      `--listen-peer-urls=${member.peerUrl}`,
      `--initial-advertise-peer-urls=${member.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-token=${token}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString('utf8'));
    if (output.length > 40) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      output.push(String(error));
      resolve();
    });
  });
  const running = { member, child, exited, output };
  alive.add(running);
  void exited.then(() => alive.delete(running));
  return running;
}

async function stopProcess(running: Running, signal: NodeJS.Signals): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_MS);
  });
  const late = await Promise.race([running.exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
}

/** Distinct free loopback ports: all bound at once to port 0, then released for etcd to take. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function deadline(ms: number): Date {
  return new Date(Date.now() + ms);
}

function findEtcd(): string | undefined {
  const candidates = process.env.ETCD_BIN
    ? [process.env.ETCD_BIN]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'etcd'));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
