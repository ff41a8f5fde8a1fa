import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { writePrivateFile } from '../apiserver/auth/private-file.ts';

export interface KubeconfigOptions {
  readonly server: string;
  /** PEM; absent for a plain-HTTP server or one whose certificate the system roots trust. */
  readonly certificateAuthority?: string | undefined;
  readonly user:
    | { readonly clientCertificate: string; readonly clientKey: string }
    | { readonly token: string }
    | undefined;
  readonly namespace?: string | undefined;
  /** The cluster and context name; default nso. */
  readonly name?: string;
  /** Default nso-admin. */
  readonly userName?: string;
}

/** A self-contained kubeconfig: one cluster, user and context, every credential inline as *-data. */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const name = options.name ?? 'nso';
  const userName = options.userName ?? 'nso-admin';
  const cluster: Record<string, string> = { server: options.server };
  if (options.certificateAuthority !== undefined) {
    cluster['certificate-authority-data'] = base64(options.certificateAuthority);
  }
  const user =
    options.user === undefined
      ? {}
      : 'token' in options.user
        ? { token: options.user.token }
        : {
            'client-certificate-data': base64(options.user.clientCertificate),
            'client-key-data': base64(options.user.clientKey),
          };
  const context: Record<string, string> = { cluster: name, user: userName };
  if (options.namespace !== undefined) context.namespace = options.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes atomically with mode 0600 (it holds credentials), creating the parent directory. */
export function writeKubeconfig(file: string, options: KubeconfigOptions): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writePrivateFile(file, kubeconfigYaml(options));
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
