// Proves ensurePki creates a private, verifiable CA/server/admin set once, reuses it, reissues only what a
// restart needs, refuses a broken CA, survives concurrent starts, and that its certificates work for mutual TLS.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { ADMIN_GROUP, ADMIN_USER, ensurePki, issueClientCertificate, type KeyPairPem } from './pki.ts';

const FILES = ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key'];
const DAY_MS = 24 * 60 * 60 * 1000;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nso-pki-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;

test('first start writes six files, mode 0600, in a 0700 directory', async (t) => {
  const dir = tempDir(t);
  const { created } = await ensurePki(dir, { hosts: ['nso.example.com'] });
  assert.deepEqual(
    [...created].sort(),
    FILES.map((file) => join(dir, 'pki', file)).sort(),
    'every file is reported as created',
  );
  assert.equal(mode(join(dir, 'pki')), 0o700, 'the pki directory is owner-only');
  for (const file of FILES) assert.equal(mode(join(dir, 'pki', file)), 0o600, `${file} is owner-only`);
  for (const key of ['ca.key', 'apiserver.key', 'admin.key']) {
    assert.match(
      readFileSync(join(dir, 'pki', key), 'utf8'),
      /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/,
      `${key} is PKCS#8 PEM`,
    );
  }
});

test('the server and admin certificates chain to the CA and carry the right names', async (t) => {
  const { pki } = await ensurePki(tempDir(t), { hosts: ['nso.example.com', '10.1.2.3'] });
  const ca = new X509Certificate(pki.ca.cert);
  const server = new X509Certificate(pki.server.cert);
  const admin = new X509Certificate(pki.admin.cert);
  assert.ok(ca.ca, 'the CA certificate has CA:true');
  assert.equal(ca.subject, 'CN=nso-ca', 'the CA is named nso-ca');
  for (const [name, cert] of [
    ['server', server],
    ['admin', admin],
  ] as const) {
    assert.ok(cert.checkIssued(ca), `${name} names the CA as issuer`);
    assert.ok(cert.verify(ca.publicKey), `${name} is signed by the CA key`);
    assert.ok(!cert.ca, `${name} is not a CA`);
    assert.match(cert.serialNumber, /^[4-7][0-9A-F]{31}$/, `${name} has a positive 16-byte serial`);
  }
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1', 'the server covers 127.0.0.1');
  assert.equal(server.checkIP('::1'), '::1', 'the server covers ::1');
  assert.equal(server.checkIP('10.1.2.3'), '10.1.2.3', 'the server covers a requested IP');
  assert.equal(server.checkHost('localhost'), 'localhost', 'the server covers localhost');
  assert.equal(server.checkHost('nso.example.com'), 'nso.example.com', 'the server covers a requested name');
  assert.equal(server.checkHost('other.example.com'), undefined, 'the server covers nothing else');
  assert.match(server.keyUsage?.join() ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.1/, 'the server is for serverAuth');
  assert.match(admin.keyUsage?.join() ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.2/, 'the admin is for clientAuth');
  assert.equal(
    admin.subject,
    `O=${ADMIN_GROUP}\nCN=${ADMIN_USER}`,
    'the admin is nso-admin in system:masters',
  );
  assert.ok(
    Date.parse(server.validFrom) <= Date.now() - 4 * 60 * 1000,
    'notBefore is backdated for clock skew',
  );
});

test('a restart reuses every file byte for byte', async (t) => {
  const dir = tempDir(t);
  const first = await ensurePki(dir, { hosts: ['nso.example.com'] });
  const second = await ensurePki(dir, { hosts: ['NSO.example.com', 'localhost'] });
  assert.deepEqual(second.created, [], 'nothing is written on restart');
  assert.deepEqual(second.pki, first.pki, 'the same certificates and keys are returned');
});

test('a new host reissues only the server certificate, from the same CA', async (t) => {
  const dir = tempDir(t);
  const first = await ensurePki(dir, { hosts: [] });
  const second = await ensurePki(dir, { hosts: ['192.168.7.7', 'api.example.com'] });
  assert.deepEqual(
    [...second.created].sort(),
    [join(dir, 'pki', 'apiserver.crt'), join(dir, 'pki', 'apiserver.key')],
    'only the server pair is rewritten',
  );
  assert.deepEqual(second.pki.ca, first.pki.ca, 'the CA is kept');
  assert.deepEqual(second.pki.admin, first.pki.admin, 'the admin certificate is kept');
  const server = new X509Certificate(second.pki.server.cert);
  assert.equal(server.checkIP('192.168.7.7'), '192.168.7.7', 'the new IP is covered');
  assert.ok(server.checkIssued(new X509Certificate(first.pki.ca.cert)), 'the old CA issued it');
});

test('leaf certificates within 30 days of expiry are reissued; the CA is not', async (t) => {
  const dir = tempDir(t);
  const first = await ensurePki(dir, { hosts: [] });
  const later = Date.now() + 340 * DAY_MS;
  const second = await ensurePki(dir, { hosts: [], now: () => later });
  assert.equal(second.created.length, 4, 'server and admin pairs are rewritten');
  assert.equal(second.pki.ca.cert, first.pki.ca.cert, 'the CA is kept');
  assert.ok(
    Date.parse(new X509Certificate(second.pki.admin.cert).validTo) > later + 300 * DAY_MS,
    'the new admin certificate runs a year from the (fake) now',
  );
});

test('leaf certificates from another CA are reissued', async (t) => {
  const dir = tempDir(t);
  const first = await ensurePki(dir, { hosts: [] });
  const { pki: foreign } = await ensurePki(tempDir(t), { hosts: [] });
  writeFileSync(join(dir, 'pki', 'admin.crt'), foreign.admin.cert);
  writeFileSync(join(dir, 'pki', 'admin.key'), foreign.admin.key);
  const second = await ensurePki(dir, { hosts: [] });
  assert.deepEqual(
    [...second.created].sort(),
    [join(dir, 'pki', 'admin.crt'), join(dir, 'pki', 'admin.key')],
    'only the admin pair is rewritten',
  );
  assert.ok(
    new X509Certificate(second.pki.admin.cert).checkIssued(new X509Certificate(first.pki.ca.cert)),
    'the reissued admin certificate chains to our CA',
  );
});

test('a CA key that does not match the CA certificate is refused, naming both files', async (t) => {
  const dir = tempDir(t);
  await ensurePki(dir, { hosts: [] });
  const { pki: other } = await ensurePki(tempDir(t), { hosts: [] });
  writeFileSync(join(dir, 'pki', 'ca.key'), other.ca.key);
  await assert.rejects(
    ensurePki(dir, { hosts: [] }),
    (error: Error) => error.message.includes('ca.key') && error.message.includes('ca.crt'),
    'a mismatched CA is an error, never a silent replacement',
  );
  rmSync(join(dir, 'pki', 'ca.crt'));
  await assert.rejects(
    ensurePki(dir, { hosts: [] }),
    /ca\.key exists but .*ca\.crt does not/,
    'half a CA too',
  );
});

test('a host that is neither an IP nor a DNS name is refused', async (t) => {
  await assert.rejects(
    ensurePki(tempDir(t), { hosts: ['https://nso'] }),
    /"https:\/\/nso" is neither/,
    'a URL is not a host',
  );
});

test('two concurrent first starts agree on one CA', async (t) => {
  const dir = tempDir(t);
  const [a, b] = await Promise.all([
    ensurePki(dir, { hosts: ['a.example.com'] }),
    ensurePki(dir, { hosts: ['a.example.com'] }),
  ]);
  assert.equal(a.pki.ca.cert, b.pki.ca.cert, 'both see the same CA');
  assert.deepEqual(a.pki, b.pki, 'both see the same certificates');
  assert.equal(a.created.length + b.created.length, 6, 'exactly one of them wrote the files');
  assert.equal(readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8'), a.pki.ca.cert, 'disk agrees');
});

test('a held lock is waited for, and a stale one is taken over', async (t) => {
  const dir = tempDir(t);
  await ensurePki(dir, { hosts: [] });
  const lock = join(dir, 'pki', '.lock');
  writeFileSync(lock, '999999\n');
  let done = false;
  const waiting = ensurePki(dir, { hosts: [] }).then(() => {
    done = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(done, false, 'a fresh lock held by another process blocks');
  rmSync(lock);
  await waiting;
  assert.ok(done, 'the waiter proceeds once the lock is gone');
  writeFileSync(lock, '999999\n');
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  const result = await ensurePki(dir, { hosts: [] });
  assert.deepEqual(result.created, [], 'the stale lock was removed and the files loaded');
  assert.throws(() => statSync(lock), /ENOENT/, 'the lock is released');
});

test('mutual TLS: the admin certificate is authorized, one from another CA is not', async (t) => {
  const { pki } = await ensurePki(tempDir(t), { hosts: [] });
  const { pki: foreign } = await ensurePki(tempDir(t), { hosts: [] });
  const server = createServer({
    key: pki.server.key,
    cert: pki.server.cert,
    ca: pki.ca.cert,
    requestCert: true,
    rejectUnauthorized: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;

  /** Both ends of one handshake: the client's view and the server's. */
  const handshake = async (client: KeyPairPem): Promise<{ client: TLSSocket; server: TLSSocket }> => {
    const accepted = once(server, 'secureConnection') as Promise<[TLSSocket]>;
    const socket = connect({ host: '127.0.0.1', port, ca: pki.ca.cert, cert: client.cert, key: client.key });
    await once(socket, 'secureConnect');
    const [peer] = await accepted;
    t.after(() => {
      socket.destroy();
      peer.destroy();
    });
    return { client: socket, server: peer };
  };

  const admin = await handshake(pki.admin);
  assert.ok(admin.client.authorized, 'the client trusts the server certificate for 127.0.0.1');
  assert.equal(admin.server.authorized, true, 'our admin certificate is verified');
  assert.equal(admin.server.getPeerCertificate().subject.CN, ADMIN_USER, 'the peer is nso-admin');

  const stranger = await handshake(foreign.admin);
  assert.equal(stranger.server.authorized, false, 'a certificate from another CA is not verified');

  const tenant = await issueClientCertificate(
    pki.ca,
    { commonName: 'alice', organizations: ['nso:tenant:team-a'] },
    { validityDays: 30 },
  );
  const alice = await handshake(tenant);
  assert.equal(alice.server.authorized, true, 'an issued client certificate is verified');
  const subject = alice.server.getPeerCertificate().subject;
  assert.deepEqual(
    { CN: subject.CN, O: subject.O },
    { CN: 'alice', O: 'nso:tenant:team-a' },
    'the issued subject carries the user and group',
  );
});
