import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import { tenantGroup } from '../apiserver/auth/authorizer.ts';
import { addToken, removeTokens, tokenFileUsers } from '../apiserver/auth/token-file.ts';
import { TOKEN_FILE } from './control-plane.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import type { CommandIo } from './up.ts';

const NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface AdminConnection {
  readonly server: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * `nso tenant add|remove|list`: identities confined to one namespace. A tenant authenticates with a bearer
 * token from DIR/tokens.csv, which the server re-reads within a second, so removal revokes at once.
 */
export function tenantCommand(io: CommandIo): Command {
  const dataDir = () => new Option('--data-dir <dir>', 'the data directory of nso up').default('.nso');
  const tenant = new Command('tenant').description(
    'Manage tenants: identities that may act only inside one namespace',
  );
  tenant
    .command('add')
    .description('Create a tenant and write DIR/tenants/NAME.kubeconfig for it')
    .argument('<name>', 'the tenant (a DNS-1123 name)')
    .requiredOption('--namespace <ns>', 'the namespace the tenant may use (created if the server is up)')
    .addOption(dataDir())
    .action(async (name: string, flags: { namespace: string; dataDir: string }) => {
      const dir = resolve(flags.dataDir);
      if (!NAME.test(name))
        throw new Error(`tenant name ${JSON.stringify(name)} must be a lowercase DNS-1123 name`);
      if (!NAMESPACE.test(flags.namespace)) {
        throw new Error(`--namespace ${JSON.stringify(flags.namespace)} must be a lowercase DNS-1123 label`);
      }
      const tokenFile = join(dir, TOKEN_FILE);
      if (tokenFileUsers(tokenFile).includes(name)) {
        throw new Error(`tenant ${name} already exists; remove it first with: nso tenant remove ${name}`);
      }
      const admin = adminConnection(dir);
      const token = addToken(tokenFile, { name, groups: [tenantGroup(flags.namespace)] });
      const file = join(dir, 'tenants', `${name}.kubeconfig`);
      writeKubeconfig(file, {
        server: admin.server,
        certificateAuthority: admin.ca,
        user: { token },
        namespace: flags.namespace,
        name: `nso-${name}`,
        userName: name,
      });
      const namespace = await ensureNamespace(admin, flags.namespace);
      io.write(`tenant ${name} may act in namespace ${flags.namespace} (${namespace})\n`);
      io.write(`kubeconfig: ${file}\n`);
    });
  tenant
    .command('remove')
    .description('Revoke a tenant: its token stops working within a second')
    .argument('<name>')
    .addOption(dataDir())
    .action((name: string, flags: { dataDir: string }) => {
      const dir = resolve(flags.dataDir);
      const removed = removeTokens(join(dir, TOKEN_FILE), name);
      rmSync(join(dir, 'tenants', `${name}.kubeconfig`), { force: true });
      if (removed === 0) throw new Error(`no tenant ${name} in ${join(dir, TOKEN_FILE)}`);
      io.write(`tenant ${name} removed\n`);
    });
  tenant
    .command('list')
    .description('List the tenants')
    .addOption(dataDir())
    .action((flags: { dataDir: string }) => {
      for (const name of tokenFileUsers(join(resolve(flags.dataDir), TOKEN_FILE))) {
        if (name !== 'nso-admin') io.write(`${name}\n`);
      }
    });
  return tenant;
}

/** The server and admin credentials from DIR/kubeconfig, which `nso up` writes once it serves. */
function adminConnection(dir: string): AdminConnection {
  const file = join(dir, 'kubeconfig');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} does not exist: start the control plane first with: nso up --data-dir ${dir}`);
  }
  const config = parse(text) as {
    clusters?: { cluster?: Record<string, string> }[];
    users?: { user?: Record<string, string> }[];
  };
  const cluster = config.clusters?.[0]?.cluster ?? {};
  const user = config.users?.[0]?.user ?? {};
  const decode = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');
  if (!cluster.server?.startsWith('https://')) {
    throw new Error(
      `${file} names ${cluster.server ?? 'no server'}; tenants need the HTTPS server (nso up without --insecure-http)`,
    );
  }
  return {
    server: cluster.server,
    ca: decode(cluster['certificate-authority-data']),
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data']),
  };
}

/** Creates the namespace through the API as the admin; a server that is down is reported, not fatal. */
async function ensureNamespace(admin: AdminConnection, namespace: string): Promise<string> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  try {
    const code = await new Promise<number>((resolveCode, reject) => {
      const req = request(
        `${admin.server}/api/v1/namespaces`,
        {
          method: 'POST',
          ca: admin.ca,
          cert: admin.cert,
          key: admin.key,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
          timeout: 5000,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolveCode(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
    if (code === 201) return 'namespace created';
    if (code === 409) return 'namespace exists';
    return `could not create the namespace: HTTP ${code}; create it with kubectl create namespace ${namespace}`;
  } catch (error) {
    return `the server is not reachable (${(error as Error).message}); once it runs: kubectl create namespace ${namespace}`;
  }
}
