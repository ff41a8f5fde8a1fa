import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { runControlPlane } from './control-plane.ts';
import { parseListenAddress } from './listen-address.ts';
import { parseStorageUrl } from './storage-url.ts';

interface ServeFlags {
  readonly dataDir: string;
  readonly listen: string;
  readonly storage?: string;
  readonly insecureHttp?: boolean;
  readonly kubeconfig?: string;
}

export interface CommandIo {
  readonly write: (text: string) => void;
  readonly writeError: (text: string) => void;
  readonly version: string;
}

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'where the database, CA, certificates, tokens and kubeconfig live').default(
    '.nso',
  );
const listenOption = () =>
  new Option('--listen <host:port>', 'address to serve on; port 0 picks a free port').default(
    '127.0.0.1:6443',
  );
const storageOption = () =>
  new Option(
    '--storage <url>',
    'sqlite://FILE, etcd://HOST:PORT[,HOST:PORT…] or memory:// (default: sqlite://DIR/nso.db)',
  );
const insecureOption = () =>
  new Option('--insecure-http', 'serve plain HTTP without authentication (loopback addresses only)');

/** `nso up`: the all-in-one control plane for one machine. */
export function upCommand(io: CommandIo): Command {
  return new Command('up')
    .description('Run the control plane (API server and operator) and write DIR/kubeconfig for kubectl')
    .addOption(dataDirOption())
    .addOption(listenOption())
    .addOption(storageOption())
    .addOption(insecureOption())
    .option('--no-operator', 'do not run the operator in this process (run nso operator yourself)')
    .action((flags: ServeFlags & { readonly operator: boolean }) =>
      serveUntilSignal(io, flags, {
        exclusive: true,
        operator: flags.operator,
        kubeconfig: resolve(flags.dataDir, 'kubeconfig'),
      }),
    );
}

/** `nso apiserver`: the API server alone; several over one etcd serve the same data. */
export function apiserverCommand(io: CommandIo): Command {
  return new Command('apiserver')
    .description('Run the API server alone; run several with --storage etcd://… to scale out')
    .addOption(dataDirOption())
    .addOption(listenOption())
    .addOption(storageOption())
    .addOption(insecureOption())
    .option('--kubeconfig <file>', 'write an admin kubeconfig for this replica here once it serves')
    .action((flags: ServeFlags) =>
      serveUntilSignal(io, flags, {
        exclusive: false,
        operator: false,
        kubeconfig: flags.kubeconfig === undefined ? undefined : resolve(flags.kubeconfig),
      }),
    );
}

async function serveUntilSignal(
  io: CommandIo,
  flags: ServeFlags,
  role: { readonly exclusive: boolean; readonly operator: boolean; readonly kubeconfig: string | undefined },
): Promise<void> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      io.writeError(`${signal} again: exiting without a clean shutdown\n`);
      process.exit(130);
    }
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runControlPlane(
      {
        dataDir: flags.dataDir,
        listen: parseListenAddress(flags.listen),
        storage: parseStorageUrl(flags.storage ?? `sqlite://${resolve(flags.dataDir, 'nso.db')}`),
        insecureHttp: flags.insecureHttp === true,
        kubeconfig: role.kubeconfig,
        exclusive: role.exclusive,
        operator: role.operator,
        print: (line) => io.write(`${line}\n`),
        echo: (line) => io.writeError(`${line}\n`),
        version: io.version,
      },
      stop.signal,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
