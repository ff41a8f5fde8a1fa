import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EtcdStorage } from '../storage/etcd/etcd-storage.ts';
import { MemoryStorage } from '../storage/memory/memory-storage.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../storage/storage.ts';

/** Every key nso writes to etcd lives under this prefix, so one etcd cluster may hold other data too. */
export const ETCD_PREFIX = '/nso/';

export type StorageLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'etcd'; readonly endpoints: readonly string[] }
  | { readonly kind: 'memory' };

/**
 * `sqlite://FILE` (relative to the working directory; `sqlite:///abs/path` for an absolute one), `etcd://HOST:PORT,…`
 * or `memory://`. A mistake is an Error that says which forms exist.
 */
export function parseStorageUrl(url: string): StorageLocation {
  const forms = 'use sqlite://FILE, etcd://HOST:PORT[,HOST:PORT…] or memory://';
  const match = /^([a-z0-9]+):\/\/(.*)$/.exec(url);
  if (match === null) throw new Error(`--storage ${JSON.stringify(url)} is not a storage URL; ${forms}`);
  const [, scheme, rest] = match as unknown as [string, string, string];
  switch (scheme) {
    case 'sqlite':
      if (rest === '') throw new Error(`--storage ${url} names no file; ${forms}`);
      return { kind: 'sqlite', file: rest };
    case 'memory':
      if (rest !== '') throw new Error(`--storage ${url}: memory:// takes nothing after the scheme`);
      return { kind: 'memory' };
    case 'etcd': {
      const endpoints = rest.split(',').map((endpoint) => endpoint.trim());
      for (const endpoint of endpoints) {
        if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(endpoint)) {
          throw new Error(`--storage ${url}: ${JSON.stringify(endpoint)} is not HOST:PORT; ${forms}`);
        }
      }
      return { kind: 'etcd', endpoints: endpoints.map((endpoint) => `http://${endpoint}`) };
    }
    default:
      throw new Error(`--storage ${url}: unknown scheme ${JSON.stringify(scheme)}; ${forms}`);
  }
}

export function describeStorage(location: StorageLocation): string {
  switch (location.kind) {
    case 'sqlite':
      return `sqlite://${location.file}`;
    case 'etcd':
      return `etcd://${location.endpoints.map((endpoint) => endpoint.replace(/^http:\/\//, '')).join(',')}`;
    case 'memory':
      return 'memory://';
  }
}

export async function openStorage(location: StorageLocation): Promise<Storage> {
  switch (location.kind) {
    case 'sqlite': {
      const file = resolve(location.file);
      mkdirSync(dirname(file), { recursive: true });
      return SqliteStorage.open(file);
    }
    case 'etcd':
      return new EtcdStorage({ endpoints: location.endpoints, prefix: ETCD_PREFIX });
    case 'memory':
      return new MemoryStorage();
  }
}
