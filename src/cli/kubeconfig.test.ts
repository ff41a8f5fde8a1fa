// Proves the kubeconfigs nso writes are private files that kubectl's own loader (client-node) reads back
// with the server, CA and credentials we put in.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHkey\n-----END PRIVATE KEY-----\n';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nso-kubeconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

test('a client-certificate kubeconfig loads in client-node with every field inline', (t) => {
  const file = join(tempDir(t), 'nested', 'dir', 'kubeconfig');
  writeKubeconfig(file, {
    server: 'https://127.0.0.1:6443',
    certificateAuthority: CA,
    user: { clientCertificate: CERT, clientKey: KEY },
  });
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  assert.equal(kc.getCurrentContext(), 'nso', 'the context defaults to nso');
  assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443', 'the server is kept');
  assert.equal(decode(kc.getCurrentCluster()?.caData ?? ''), CA, 'the CA round-trips');
  assert.equal(kc.getCurrentUser()?.name, 'nso-admin', 'the user defaults to nso-admin');
  assert.equal(decode(kc.getCurrentUser()?.certData ?? ''), CERT, 'the client certificate round-trips');
  assert.equal(decode(kc.getCurrentUser()?.keyData ?? ''), KEY, 'the client key round-trips');
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the kubeconfig is owner-only');
  assert.deepEqual(readdirSync(join(file, '..')), ['kubeconfig'], 'no temp file is left behind');
});

test('a token kubeconfig names its cluster, user and namespace', (t) => {
  const file = join(tempDir(t), 'alice.kubeconfig');
  writeKubeconfig(file, {
    server: 'https://nso.example.com:6443',
    certificateAuthority: CA,
    user: { token: 'secret-token' },
    namespace: 'team-a',
    name: 'nso-alice',
    userName: 'alice',
  });
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  assert.equal(kc.getCurrentContext(), 'nso-alice', 'the context is named');
  assert.equal(kc.getCurrentUser()?.token, 'secret-token', 'the token is kept');
  assert.equal(kc.getCurrentUser()?.name, 'alice', 'the user is named');
  assert.equal(kc.getContextObject('nso-alice')?.namespace, 'team-a', 'the namespace is set');
  assert.equal(kc.getContextObject('nso-alice')?.cluster, 'nso-alice', 'the context uses its cluster');
});

test('the YAML has the kubectl shape; a plain-HTTP server has no CA and an empty user', () => {
  const config = parse(kubeconfigYaml({ server: 'http://127.0.0.1:8080', user: undefined }));
  assert.deepEqual(
    config,
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'nso', cluster: { server: 'http://127.0.0.1:8080' } }],
      users: [{ name: 'nso-admin', user: {} }],
      contexts: [{ name: 'nso', context: { cluster: 'nso', user: 'nso-admin' } }],
      'current-context': 'nso',
      preferences: {},
    },
    'a minimal kubeconfig',
  );
});

test('rewriting replaces the file and tightens its mode', (t) => {
  const file = join(tempDir(t), 'kubeconfig');
  writeFileSync(file, 'old', { mode: 0o644 });
  writeKubeconfig(file, { server: 'https://127.0.0.1:1', user: { token: 't' } });
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the new file is owner-only');
  assert.match(readFileSync(file, 'utf8'), /token: t\n/, 'the new content is in place');
});
