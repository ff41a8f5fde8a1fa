// tsyringe, which @peculiar/x509 loads, needs the Reflect metadata polyfill before it is imported.
import 'reflect-metadata';
import { createPrivateKey, KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as x509 from '@peculiar/x509';
import { writePrivateFile } from '../apiserver/auth/private-file.ts';

x509.cryptoProvider.set(webcrypto);

/** A certificate and its PKCS#8 private key, both PEM. */
export interface KeyPairPem {
  readonly cert: string;
  readonly key: string;
}

export interface Pki {
  readonly ca: KeyPairPem;
  readonly server: KeyPairPem;
  readonly admin: KeyPairPem;
}

export const ADMIN_USER = 'nso-admin';
export const ADMIN_GROUP = 'system:masters';
/** Who nso up's own operator is: an admin whose requests the API server serves first. */
export const OPERATOR_USER = 'nso-operator';

const DAY_MS = 24 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const LEAF_VALIDITY_DAYS = 365;
const RENEW_BEFORE_MS = 30 * DAY_MS;
const LOCK_POLL_MS = 20;
const LOCK_STALE_MS = 30_000;
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const DNS_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
} as const;

interface Loaded {
  readonly pem: KeyPairPem;
  readonly cert: X509Certificate;
}

/**
 * Loads DIR/pki/*, generating what is missing on first start and reissuing leaf certificates that are
 * expiring, were not issued by the CA, or (for the server) do not cover every host. Never replaces a CA.
 */
export async function ensurePki(
  dir: string,
  options: { hosts: readonly string[]; now?: () => number },
): Promise<{ pki: Pki; created: readonly string[] }> {
  const hosts = serverHosts(options.hosts);
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  chmodSync(pkiDir, 0o700);
  return withLock(join(pkiDir, '.lock'), () => loadOrCreate(pkiDir, hosts, options.now ?? Date.now));
}

/** A client certificate (EKU clientAuth) signed by `ca`; Kubernetes reads CN as the user, O as groups. */
export async function issueClientCertificate(
  ca: KeyPairPem,
  subject: { commonName: string; organizations: readonly string[] },
  options: { validityDays?: number; now?: () => number } = {},
): Promise<KeyPairPem> {
  return issueLeaf(
    ca,
    [...subject.organizations.map((o) => ({ O: [o] })), { CN: [subject.commonName] }],
    [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
    options.validityDays ?? LEAF_VALIDITY_DAYS,
    options.now ?? Date.now,
  );
}

async function loadOrCreate(
  pkiDir: string,
  hosts: readonly string[],
  now: () => number,
): Promise<{ pki: Pki; created: readonly string[] }> {
  const created: string[] = [];
  const save = (pair: KeyPairPem, certFile: string, keyFile: string): KeyPairPem => {
    for (const [file, text] of [
      [keyFile, pair.key],
      [certFile, pair.cert],
    ] as const) {
      writePrivateFile(join(pkiDir, file), text);
      created.push(join(pkiDir, file));
    }
    return pair;
  };

  const loadedCa = loadCa(pkiDir);
  const ca = loadedCa?.pem ?? save(await createCa(now), FILES.caCert, FILES.caKey);
  const caCert = loadedCa?.cert ?? new X509Certificate(ca.cert);

  const loadedServer = loadLeaf(pkiDir, FILES.serverCert, FILES.serverKey);
  const server =
    loadedServer && isCurrent(loadedServer.cert, caCert, now) && coversHosts(loadedServer.cert, hosts)
      ? loadedServer.pem
      : save(await issueServerCertificate(ca, hosts, now), FILES.serverCert, FILES.serverKey);

  const loadedAdmin = loadLeaf(pkiDir, FILES.adminCert, FILES.adminKey);
  const admin =
    loadedAdmin && isCurrent(loadedAdmin.cert, caCert, now)
      ? loadedAdmin.pem
      : save(
          await issueClientCertificate(ca, { commonName: ADMIN_USER, organizations: [ADMIN_GROUP] }, { now }),
          FILES.adminCert,
          FILES.adminKey,
        );

  return { pki: { ca, server, admin }, created };
}

function loadCa(pkiDir: string): Loaded | undefined {
  const certPath = join(pkiDir, FILES.caCert);
  const keyPath = join(pkiDir, FILES.caKey);
  const cert = readIfExists(certPath);
  const key = readIfExists(keyPath);
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    const [present, missing] = cert === undefined ? [keyPath, certPath] : [certPath, keyPath];
    throw new Error(
      `${present} exists but ${missing} does not; restore it, or remove both to create a new CA ` +
        '(which invalidates every kubeconfig issued so far)',
    );
  }
  let parsed: X509Certificate;
  let privateKey: KeyObject;
  try {
    parsed = new X509Certificate(cert);
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new Error(`cannot parse the CA in ${certPath} and ${keyPath}`, { cause: error });
  }
  if (!parsed.checkPrivateKey(privateKey)) {
    throw new Error(
      `${keyPath} is not the private key of ${certPath}; restore the matching pair, or remove both to ` +
        'create a new CA (which invalidates every kubeconfig issued so far)',
    );
  }
  return { pem: { cert, key }, cert: parsed };
}

/** A leaf pair that is absent, unparseable or mismatched is reissued, so it loads as undefined. */
function loadLeaf(pkiDir: string, certFile: string, keyFile: string): Loaded | undefined {
  const cert = readIfExists(join(pkiDir, certFile));
  const key = readIfExists(join(pkiDir, keyFile));
  if (cert === undefined || key === undefined) return undefined;
  try {
    const parsed = new X509Certificate(cert);
    return parsed.checkPrivateKey(createPrivateKey(key)) ? { pem: { cert, key }, cert: parsed } : undefined;
  } catch {
    return undefined;
  }
}

function isCurrent(cert: X509Certificate, ca: X509Certificate, now: () => number): boolean {
  return (
    cert.checkIssued(ca) && cert.verify(ca.publicKey) && Date.parse(cert.validTo) - now() > RENEW_BEFORE_MS
  );
}

function coversHosts(cert: X509Certificate, hosts: readonly string[]): boolean {
  return hosts.every((host) =>
    isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined,
  );
}

function serverHosts(requested: readonly string[]): string[] {
  const hosts = new Set<string>();
  for (const entry of [...DEFAULT_HOSTS, ...requested]) {
    const host = entry.trim().replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) hosts.add(host);
    else if (DNS_NAME.test(host.toLowerCase())) hosts.add(host.toLowerCase());
    else throw new Error(`server host "${entry}" is neither an IP address nor a DNS name`);
  }
  return [...hosts];
}

async function createCa(now: () => number): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: ['nso-ca'] }],
    keys,
    notBefore: new Date(now() - CLOCK_SKEW_MS),
    notAfter: new Date(now() + CA_VALIDITY_DAYS * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificatePem(cert), key: privateKeyPem(keys.privateKey) };
}

function issueServerCertificate(
  ca: KeyPairPem,
  hosts: readonly string[],
  now: () => number,
): Promise<KeyPairPem> {
  return issueLeaf(
    ca,
    [{ CN: ['nso-apiserver'] }],
    [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((host) => ({ type: isIP(host) ? 'ip' : 'dns', value: host })),
      ),
    ],
    LEAF_VALIDITY_DAYS,
    now,
  );
}

async function issueLeaf(
  ca: KeyPairPem,
  subject: x509.JsonName,
  extensions: readonly x509.Extension[],
  validityDays: number,
  now: () => number,
): Promise<KeyPairPem> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKeyId =
    caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
    (await x509.SubjectKeyIdentifierExtension.create(caCert.publicKey)).keyId;
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    // The issuer is copied as encoded: Go (kubectl) matches a certificate's issuer to its CA byte for byte.
    issuer: caCert.subjectName,
    notBefore: new Date(now() - CLOCK_SKEW_MS),
    notAfter: new Date(now() + validityDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.key),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      ...extensions,
      new x509.AuthorityKeyIdentifierExtension(caKeyId),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificatePem(cert), key: privateKeyPem(keys.privateKey) };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
}

/** 16 random bytes with the top bits 01: positive, and exactly 16 bytes once DER-encoded. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return bytes.toString('hex');
}

function certificatePem(cert: x509.X509Certificate): string {
  return `${cert.toString('pem')}\n`;
}

function privateKeyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ format: 'pem', type: 'pkcs8' }).toString();
}

async function withLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      removeIfStale(lockFile);
      await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    removeIfExists(lockFile);
  }
}

/** A holder that died keeps its lock forever; one older than any real holder takes is abandoned. */
function removeIfStale(lockFile: string): void {
  try {
    if (Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS) removeIfExists(lockFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function removeIfExists(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
