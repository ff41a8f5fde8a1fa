// `nso up` as a user meets it: credentials generated 0600 on first start, HTTPS on HTTP/2 and HTTP/1.1, 401
// without valid credentials, client certificates and bearer tokens, tenants confined to their namespace whose
// 403 never tells whether an object exists, component pods and their logs, a clean restart that keeps every
// object, one process per data directory, and plain HTTP only on loopback.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { ensurePki, issueClientCertificate } from '../../src/cli/pki.ts';
import { NsoProcess, runNso as nso } from '../e2e/nso-process.ts';
import { type Answer, type Credentials, call } from './tls-client.ts';

const NETWORK = {
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'Network',
  metadata: { name: 'net-a' },
  spec: { ipv4Blocks: ['10.1.0.0/16'] },
};
const networks = (namespace: string) =>
  `/apis/networking.datumapis.com/v1alpha1/namespaces/${namespace}/networks`;

interface Kubeconfig {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, string> }[];
  contexts: { context: Record<string, string> }[];
}

function readKubeconfig(file: string): Kubeconfig {
  return parse(readFileSync(file, 'utf8')) as Kubeconfig;
}

const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64').toString('utf8');

function statusOf(answer: Answer): { code: number; reason: string; message: string } {
  return JSON.parse(answer.body) as { code: number; reason: string; message: string };
}

describe('nso up', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nso-up-'));
  let running: Awaited<ReturnType<typeof NsoProcess.start>>;
  let server: string;
  let admin: Credentials;
  let ca: string;

  before(async () => {
    running = await NsoProcess.start(dataDir);
    server = running.server;
    const config = readKubeconfig(running.kubeconfig);
    ca = decode(config.clusters[0]?.cluster['certificate-authority-data']);
    admin = {
      ca,
      cert: decode(config.users[0]?.user['client-certificate-data']),
      key: decode(config.users[0]?.user['client-key-data']),
    };
  });
  after(async () => {
    await running?.nso.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the first start writes the CA, certificates, tokens and kubeconfig, each mode 0600', () => {
    assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'data directory mode');
    assert.equal(statSync(join(dataDir, 'pki')).mode & 0o777, 0o700, 'pki directory mode');
    for (const file of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key']) {
      assert.equal(statSync(join(dataDir, 'pki', file)).mode & 0o777, 0o600, `pki/${file} mode`);
    }
    for (const file of ['tokens.csv', 'kubeconfig']) {
      assert.equal(statSync(join(dataDir, file)).mode & 0o777, 0o600, `${file} mode`);
    }
    assert.match(server, /^https:\/\/127\.0\.0\.1:\d+$/, 'served over HTTPS');
    assert.equal(readKubeconfig(running.kubeconfig).clusters[0]?.cluster.server, server, 'kubeconfig server');
    assert.match(running.nso.stdout, /^try: kubectl --kubeconfig \S+ /m, 'a one-line kubectl example');
  });

  test('without valid credentials every API path is 401, on HTTP/2 and HTTP/1.1; health stays open', async () => {
    const other = mkdtempSync(join(tmpdir(), 'nso-other-ca-'));
    try {
      const { pki } = await ensurePki(other, { hosts: [] });
      const stranger = await issueClientCertificate(pki.ca, {
        commonName: 'nso-admin',
        organizations: ['system:masters'],
      });
      const refused: [string, Credentials][] = [
        ['no credentials', { ca }],
        ['an unknown token', { ca, token: 'not-a-token' }],
        ['a certificate from another CA', { ca, cert: stranger.cert, key: stranger.key }],
      ];
      for (const [what, credentials] of refused) {
        for (const http2 of [true, false]) {
          for (const path of ['/api', '/apis', '/version', '/openapi/v3', networks('default')]) {
            const answer = await call(server, path, credentials, { http2 });
            assert.equal(answer.status, 401, `${what}, ${path}, http2=${http2}`);
            assert.deepEqual(
              statusOf(answer),
              {
                kind: 'Status',
                apiVersion: 'v1',
                metadata: {},
                status: 'Failure',
                message: 'Unauthorized',
                reason: 'Unauthorized',
                code: 401,
              },
              `${what}: a Status`,
            );
          }
        }
      }
      assert.equal((await call(server, '/healthz', { ca })).status, 200, 'healthz is open');
      assert.equal((await call(server, '/readyz', { ca }, { http2: true })).status, 200, 'readyz is open');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('the admin client certificate and the admin bearer token both authenticate, on both protocols', async () => {
    const token = readFileSync(join(dataDir, 'tokens.csv'), 'utf8').split(',')[0]!;
    for (const http2 of [true, false]) {
      const byCert = await call(server, '/api/v1/namespaces/default', admin, { http2 });
      assert.equal(byCert.status, 200, `certificate, http2=${http2}`);
      assert.equal(byCert.httpVersion, http2 ? '2.0' : '1.1', 'protocol');
      const byToken = await call(server, '/api/v1/namespaces', { ca, token }, { http2 });
      assert.equal(byToken.status, 200, `token, http2=${http2}`);
    }
  });

  test('a tenant acts only inside its namespace, and a 403 never tells whether an object exists', async () => {
    assert.equal(
      (await call(server, networks('default'), admin, { method: 'POST', body: NETWORK })).status,
      201,
      'admin creates default/net-a',
    );
    const added = await nso(['tenant', 'add', 'alice', '--namespace', 'team-a', '--data-dir', dataDir]);
    assert.equal(added.code, 0, `tenant add: ${added.stderr}`);
    const kubeconfig = /^kubeconfig: (\S+)$/m.exec(added.stdout)?.[1];
    assert.ok(kubeconfig !== undefined, `tenant add prints its kubeconfig: ${added.stdout}`);
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600, 'tenant kubeconfig mode');
    const config = readKubeconfig(kubeconfig);
    assert.equal(config.contexts[0]?.context.namespace, 'team-a', 'the context names the namespace');
    const alice: Credentials = { ca, token: config.users[0]?.user.token ?? '' };

    assert.equal(
      (await call(server, '/api/v1/namespaces/team-a', admin)).status,
      200,
      'tenant add created the namespace',
    );
    assert.equal(
      (await call(server, networks('team-a'), alice, { method: 'POST', body: NETWORK })).status,
      201,
      'create inside',
    );
    assert.equal(
      (await call(server, `${networks('team-a')}/net-a`, alice, { http2: true })).status,
      200,
      'get inside',
    );
    assert.equal((await call(server, '/api/v1/namespaces/team-a', alice)).status, 200, 'its own namespace');
    assert.equal(
      (await call(server, '/apis/networking.datumapis.com/v1alpha1', alice)).status,
      200,
      'discovery',
    );

    const existing = await call(server, `${networks('default')}/net-a`, alice);
    const missing = await call(server, `${networks('default')}/net-b`, alice);
    assert.equal(existing.status, 403, 'an existing object elsewhere');
    assert.equal(missing.status, 403, 'a missing object elsewhere');
    assert.equal(
      existing.body.replaceAll('net-a', 'NAME'),
      missing.body.replaceAll('net-b', 'NAME'),
      'the same answer either way',
    );
    assert.equal(
      statusOf(existing).message,
      'networks.networking.datumapis.com "net-a" is forbidden: User "alice" cannot get resource "networks" in API group "networking.datumapis.com" in the namespace "default"',
      'message',
    );
    const elsewhere: [string, string, string?][] = [
      [networks('default'), 'POST'],
      [`${networks('default')}/net-a`, 'DELETE'],
      ['/apis/networking.datumapis.com/v1alpha1/networks', 'GET'],
      ['/api/v1/namespaces', 'GET'],
      ['/api/v1/namespaces/default', 'GET'],
      ['/api/v1/namespaces/datum-system/pods', 'GET'],
      ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'GET'],
    ];
    for (const [path, method] of elsewhere) {
      const answer = await call(server, path, alice, {
        method,
        body: method === 'POST' ? { ...NETWORK, metadata: { name: 'sneaky' } } : undefined,
      });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(statusOf(answer).reason, 'Forbidden', `${method} ${path} reason`);
    }
    assert.equal(
      (await call(server, `${networks('default')}/sneaky`, admin)).status,
      404,
      'the refused create wrote nothing',
    );
    assert.equal(
      (await call(server, `${networks('default')}/net-a`, admin)).status,
      200,
      'the refused delete deleted nothing',
    );

    const metricsAsTenant = await call(server, '/metrics', alice);
    assert.equal(metricsAsTenant.status, 403, 'metrics are for the admin');
    assert.equal(
      statusOf(metricsAsTenant).message,
      'forbidden: User "alice" cannot get path "/metrics"',
      'message',
    );
    const metrics = await call(server, '/metrics', admin);
    assert.equal(metrics.status, 200, 'metrics as the admin');
    assert.match(
      metrics.body,
      /^nso_workqueue_adds_total\{name="network-status"\} [1-9]\d*$/m,
      `queue adds\n${metrics.body}`,
    );
    assert.match(
      metrics.body,
      /^nso_reconcile_duration_seconds_count\{controller="network-status",result="success"\} [1-9]\d*$/m,
      'reconciles',
    );

    const removed = await nso(['tenant', 'remove', 'alice', '--data-dir', dataDir]);
    assert.equal(removed.code, 0, `tenant remove: ${removed.stderr}`);
    const deadline = Date.now() + 5_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await call(server, networks('team-a'), alice)).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 401, 'a removed tenant is refused within seconds');
  });

  test('the API server appears as a pod in datum-system whose log holds its structured lines', {
    timeout: 30_000,
  }, async () => {
    const pods = JSON.parse(
      (
        await call(
          server,
          '/api/v1/namespaces/datum-system/pods?labelSelector=app%3Dnetwork-services-operator',
          admin,
        )
      ).body,
    ) as { items: { metadata: { name: string }; status: { phase: string } }[] };
    const names = pods.items.map((item) => item.metadata.name).sort();
    assert.equal(names.length, 2, `the API server and the operator: ${names.join(', ')}`);
    assert.match(names[1]!, /^nso-operator-[a-z0-9]{5}$/, 'operator pod name');
    const pod = pods.items.find((item) => item.metadata.name === names[0])!;
    assert.match(pod.metadata.name, /^nso-apiserver-[a-z0-9]{5}$/, 'API server pod name');
    assert.equal(pod.status.phase, 'Running', 'phase');
    const log = await call(server, `/api/v1/namespaces/datum-system/pods/${pod.metadata.name}/log`, admin);
    assert.equal(log.status, 200, 'log status');
    assert.match(log.contentType, /^text\/plain/, 'log content type');
    const lines = log.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      lines.some((line) => line.msg === 'serving' && line.component === 'apiserver'),
      'the serving line',
    );
    assert.ok(
      lines.some((line) => line.msg === 'write' && line.user === 'alice' && line.code === 201),
      'the tenant write is logged with its user',
    );
    const tail = await call(
      server,
      `/api/v1/namespaces/datum-system/pods/${pod.metadata.name}/log?tailLines=1`,
      admin,
    );
    assert.equal(tail.body.trimEnd().split('\n').length, 1, 'tailLines=1');

    const followed = await new Promise<string>((resolve, reject) => {
      const req = request(
        new URL(
          `/api/v1/namespaces/datum-system/pods/${pod.metadata.name}/log?follow=true&tailLines=0`,
          server,
        ),
        { ca: admin.ca, cert: admin.cert, key: admin.key, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('"msg":"write"')) {
              req.destroy();
              resolve(text);
            }
          });
          void call(server, networks('default'), admin, {
            method: 'POST',
            body: { ...NETWORK, metadata: { name: 'follow-me' } },
          });
        },
      );
      req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
      req.end();
    });
    assert.match(
      followed,
      /"path":"\/apis\/networking\.datumapis\.com\/v1alpha1\/namespaces\/default\/networks"/,
      'followed write line',
    );
  });

  test('a second nso up on the same data directory is refused while the first runs', async () => {
    const second = await nso(['up', '--data-dir', dataDir, '--listen', '127.0.0.1:0']);
    assert.equal(second.code, 1, 'exit code');
    assert.match(
      second.stderr,
      /^error: another nso \(pid \d+\) is using this data directory/m,
      second.stderr,
    );
  });

  test('SIGTERM stops it cleanly and a restart keeps every object, the CA and the credentials', async () => {
    const before = JSON.parse((await call(server, `${networks('default')}/net-a`, admin)).body) as {
      metadata: { uid: string; resourceVersion: string };
    };
    const caBefore = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const podsBefore = (await call(server, '/api/v1/namespaces/datum-system/pods', admin)).body;
    const ended = await running.nso.stop();
    assert.deepEqual(ended, { code: 0, signal: null }, `clean exit\n${running.nso.stderr}`);

    running = await NsoProcess.start(dataDir);
    server = running.server;
    assert.equal(readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), caBefore, 'the same CA');
    const after = JSON.parse(
      (await call(server, `${networks('default')}/net-a`, admin)).body,
    ) as typeof before;
    assert.deepEqual(
      after.metadata,
      { ...after.metadata, uid: before.metadata.uid, resourceVersion: before.metadata.resourceVersion },
      'same object',
    );
    assert.equal(
      (await call(server, `${networks('team-a')}/net-a`, admin)).status,
      200,
      "the tenant's object too",
    );
    const pods = JSON.parse((await call(server, '/api/v1/namespaces/datum-system/pods', admin)).body) as {
      items: { metadata: { name: string } }[];
    };
    assert.equal(pods.items.length, 2, 'the earlier pods are gone, the new ones are there');
    for (const pod of pods.items)
      assert.ok(!podsBefore.includes(pod.metadata.name), `${pod.metadata.name} is new`);
  });
});

describe('nso up --insecure-http', () => {
  test('is refused on any address but loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nso-insecure-'));
    try {
      for (const listen of ['0.0.0.0:0', '[::]:0']) {
        const refused = await nso(['up', '--data-dir', dir, '--insecure-http', '--listen', listen]);
        assert.equal(refused.code, 1, `${listen}: exit code`);
        assert.match(
          refused.stderr,
          /--insecure-http .* only listen on loopback/,
          `${listen}: ${refused.stderr}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('on loopback serves plain HTTP without credentials and says so in its kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nso-insecure-'));
    const running = await NsoProcess.start(dir, { args: ['--insecure-http'] });
    try {
      assert.match(running.server, /^http:\/\/127\.0\.0\.1:\d+$/, 'plain http');
      const config = readKubeconfig(running.kubeconfig);
      assert.equal(config.clusters[0]?.cluster.server, running.server, 'kubeconfig server');
      assert.equal(config.clusters[0]?.cluster['certificate-authority-data'], undefined, 'no CA');
      const answer = await fetch(`${running.server}${networks('default')}`);
      assert.equal(answer.status, 200, 'no credentials needed');
    } finally {
      await running.nso.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
