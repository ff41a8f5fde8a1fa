// `nso policy trace` and `nso policy matrix` against a running nso up: they read namespaces, networks, workloads
// and policies through the API (as the admin, or as a tenant confined to one namespace) and print the verdict,
// the deciding policy and rule, or the matrix, as text or JSON. Mistakes are one-line errors with exit code 1.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { NsoProcess, runNso as nso } from '../e2e/nso-process.ts';
import { type Credentials, call } from './tls-client.ts';

const workload = (namespace: string, name: string, tier: string) => ({
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name, namespace, labels: { tier } },
  spec: { networkInterfaces: [{ network: { name: 'net' } }] },
});

describe('nso policy', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nso-policy-'));
  let running: Awaited<ReturnType<typeof NsoProcess.start>>;
  let admin: Credentials;

  const create = async (path: string, body: unknown) => {
    const answer = await call(running.server, path, admin, { method: 'POST', body });
    assert.equal(answer.status, 201, `create ${path}: ${answer.body}`);
  };

  before(async () => {
    running = await NsoProcess.start(dataDir);
    const config = parse(readFileSync(running.kubeconfig, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');
    admin = {
      ca: decode(config.clusters[0]?.cluster['certificate-authority-data']),
      cert: decode(config.users[0]?.user['client-certificate-data']),
      key: decode(config.users[0]?.user['client-key-data']),
    };
    const added = await nso(['tenant', 'add', 'ops', '--namespace', 'shop', '--data-dir', dataDir]);
    assert.equal(added.code, 0, `tenant add: ${added.stderr}`);
    const networks = '/apis/networking.datumapis.com/v1alpha1/namespaces/shop/networks';
    await create(networks, {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'net' },
      spec: { ipv4Blocks: ['10.0.0.0/16'] },
    });
    const workloads = '/apis/compute.datumapis.com/v1alpha1/namespaces/shop/workloads';
    await create(workloads, workload('shop', 'web', 'web'));
    await create(workloads, workload('shop', 'frontend', 'frontend'));
    await create(workloads, workload('shop', 'batch', 'batch'));
    await create('/apis/networking.datumapis.com/v1alpha1/namespaces/shop/networkpolicies', {
      apiVersion: 'networking.datumapis.com/v1alpha1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-ingress' },
      spec: {
        podSelector: { matchLabels: { tier: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 80 }] }],
      },
    });
  });
  after(async () => {
    await running?.nso.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('trace names the policy and rule that allow, and the isolation that denies', async () => {
    const traceFlow = (from: string, to: string, port: string, ...flags: string[]) =>
      nso([
        'policy',
        'trace',
        '--from',
        from,
        '--to',
        to,
        '--port',
        port,
        ...flags,
        '--kubeconfig',
        running.kubeconfig,
      ]);
    const allowed = await traceFlow('shop/frontend', 'shop/web', '80');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(
      allowed.stdout,
      /^✓ Verdict: allowed: .*ingress allowed by shop\/web-ingress ingress\[0\] from\[0\] ports\[0\]$/m,
      allowed.stdout,
    );
    const denied = await traceFlow('shop/batch', 'shop/web', '80');
    assert.match(
      denied.stdout,
      /^✗ Verdict: denied: .*ingress denied \(isolated by shop\/web-ingress\)$/m,
      denied.stdout,
    );
    const otherPort = await traceFlow('shop/frontend', 'shop/web', '81', '-o', 'json');
    const trace = JSON.parse(otherPort.stdout) as { verdict: { allowed: boolean; reason: string } };
    assert.equal(trace.verdict.allowed, false, `port 81 is not allowed: ${otherPort.stdout}`);
    const udp = await traceFlow('shop/frontend', 'shop/web', '80', '--protocol', 'UDP');
    assert.match(udp.stdout, /^✗ Verdict: denied/m, 'the rule admits TCP only (the default protocol)');
  });

  test('matrix prints every pair, as text and as JSON, for the admin and for a tenant of the namespace', async () => {
    const expected = [
      'TCP/80        shop/batch    shop/frontend shop/web',
      'shop/batch    .             .             X',
      'shop/frontend .             .             .',
      'shop/web      .             .             .',
      "'.' allowed, 'X' denied by policy, '-' no route",
    ].join('\n');
    const asAdmin = await nso([
      'policy',
      'matrix',
      '-n',
      'shop',
      '--port',
      '80',
      '--kubeconfig',
      running.kubeconfig,
    ]);
    assert.equal(asAdmin.stdout.trimEnd(), expected, asAdmin.stdout);
    const tenantConfig = join(dataDir, 'tenants', 'ops.kubeconfig');
    const asTenant = await nso(['policy', 'matrix', '--port', '80', '--kubeconfig', tenantConfig]);
    assert.equal(asTenant.stdout.trimEnd(), expected, `a tenant sees its namespace: ${asTenant.stderr}`);
    const json = JSON.parse(
      (await nso(['policy', 'matrix', '--port', '80', '-o', 'json', '--kubeconfig', tenantConfig])).stdout,
    ) as {
      workloads: string[];
      reasons: string[][];
    };
    assert.deepEqual(json.workloads, ['shop/batch', 'shop/frontend', 'shop/web'], 'workloads');
    assert.equal(json.reasons[0]?.[2], 'Denied', 'batch to web');
  });

  test('mistakes are one line on stderr with exit code 1', async () => {
    const kubeconfig = ['--kubeconfig', running.kubeconfig];
    const cases: [string[], RegExp][] = [
      [
        ['policy', 'trace', '--from', 'shop/nope', '--to', 'shop/web', '--port', '80', ...kubeconfig],
        /^error: invalid flow: workload shop\/nope does not exist$/m,
      ],
      [['policy', 'matrix', '--port', '0', ...kubeconfig], /^error: --port 0 is not a port number/m],
      [
        ['policy', 'matrix', '--port', '80', '-n', 'nowhere', ...kubeconfig],
        /^error: no such namespace: nowhere$/m,
      ],
      [
        ['policy', 'matrix', '--port', '80', '--kubeconfig', join(dataDir, 'missing')],
        /^error: no kubeconfig at /m,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await nso(args);
      assert.equal(result.code, 1, `${args.join(' ')}: exit code`);
      assert.match(result.stderr, message, `${args.join(' ')}: ${result.stderr}`);
    }
  });
});
