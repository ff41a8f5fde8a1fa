// Proves the SQLite backend keeps the whole Storage contract, by running the shared conformance suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import { storageConformance } from './storage-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'nso-sqlite-conformance-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let opened = 0;
// NORMAL only skips the fsync, which changes no result here; at FULL this file takes about 50 s instead of 10 on
// a loaded 2-core box, close to the suite's 20 s stall limit. Durability at FULL is what test/crash proves.
storageConformance('sqlite', () =>
  SqliteStorage.open(join(dir, `store-${++opened}.db`), { synchronous: 'NORMAL' }),
);
