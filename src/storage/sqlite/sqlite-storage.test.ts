import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { isStorageError, StorageError } from '../storage.ts';
import { SqliteStorage } from './sqlite-storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'nso-sqlite-storage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = (): string => join(dir, `test-${++files}.db`);
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function logRows(file: string): { name: string; id: number; deleted: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT name, id, deleted FROM log ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

test('reopening keeps the keys, the revision and the compaction point, even with the newest row compacted', async () => {
  const file = fresh();
  const store = await SqliteStorage.open(file);
  const a = await store.create('/r/a', bytes('a'));
  const b = await store.create('/r/b', bytes('b'));
  await store.update('/r/a', bytes('a2'), a.modRevision);
  const gone = await store.delete('/r/b', b.modRevision);
  assert.ok(existsSync(`${file}-wal`), 'the database is in WAL mode');
  await store.compact(gone.modRevision);
  await store.close();
  assert.deepEqual(
    logRows(file).map((row) => row.name),
    ['/r/a'],
    'compaction left one row, and not the newest',
  );

  const reopened = await SqliteStorage.open(file);
  try {
    assert.equal(await reopened.currentRevision(), gone.modRevision);
    assert.deepEqual(
      (await reopened.list('/r/')).items.map((item) => [item.key, new TextDecoder().decode(item.value)]),
      [['/r/a', 'a2']],
    );
    await assert.rejects(reopened.get('/r/a', { revision: a.modRevision }), (error) =>
      isStorageError(error, 'Compacted'),
    );
    const next = await reopened.create('/r/b', bytes('b2'));
    assert.equal(next.modRevision, gone.modRevision + 1, 'a revision is never reused');
  } finally {
    await reopened.close();
  }
});

test('writes queued in one tick commit together; a failing one fails alone and takes no revision', async () => {
  const store = await SqliteStorage.open(fresh());
  try {
    const start = await store.currentRevision();
    const results = await Promise.allSettled([
      store.create('/b/a', bytes('a')),
      store.create('/b/a', bytes('again')),
      store.update('/b/missing', bytes('x'), start),
      store.create('/b/b', bytes('b')),
      store.delete('/b/a', start + 1),
    ]);
    assert.deepEqual(
      results.map((result) =>
        result.status === 'fulfilled' ? result.value.modRevision : (result.reason as StorageError).code,
      ),
      [start + 1, 'KeyExists', 'KeyNotFound', start + 2, start + 3],
    );
    assert.equal(await store.currentRevision(), start + 3);
  } finally {
    await store.close();
  }
});

test('compaction deletes history in small transactions that writers run between', async () => {
  const file = fresh();
  const store = await SqliteStorage.open(file, { synchronous: 'NORMAL' });
  try {
    let kv = await store.create('/h/key', bytes('0'));
    for (let i = 1; i <= 5_000; i++) kv = await store.update('/h/key', bytes(String(i)), kv.modRevision);
    const order: string[] = [];
    const compacting = store.compact(kv.modRevision).then(() => order.push('compacted'));
    const writing = store.create('/h/other', bytes('x')).then(() => order.push('written'));
    await Promise.all([compacting, writing]);
    assert.deepEqual(order, ['written', 'compacted']);
  } finally {
    await store.close();
  }
  assert.deepEqual(
    logRows(file).map((row) => row.name),
    ['/h/key', '/h/other'],
  );
});

test('a second open of a database in use is refused', async () => {
  const file = fresh();
  const store = await SqliteStorage.open(file);
  try {
    await store.create('/x', bytes('x'));
    await assert.rejects(SqliteStorage.open(file), /cannot open SQLite database .*locked/);
  } finally {
    await store.close();
  }
});

test('a damaged file or one that is not a database is refused with a clear Error', async () => {
  const file = fresh();
  const store = await SqliteStorage.open(file);
  for (let i = 0; i < 200; i++) await store.create(`/d/${i}`, bytes('x'.repeat(500)));
  await store.close();
  const pageSize = 4096;
  const pages = statSync(file).size / pageSize;
  const fd = openSync(file, 'r+');
  // Overwrite a page in the middle, which holds log rows or index entries, but not the header.
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, Math.floor(pages / 2) * pageSize);
  closeSync(fd);
  await assert.rejects(SqliteStorage.open(file), (error) => {
    assert.ok(!(error instanceof StorageError));
    assert.match((error as Error).message, new RegExp(`${file} (is damaged|failed its integrity check)`));
    return true;
  });

  const text = fresh();
  writeFileSync(text, 'this is not a database, but it is long enough to have a header. '.repeat(20));
  await assert.rejects(SqliteStorage.open(text), /cannot open SQLite database .*not a database/);
});

test('a key that is not well-formed UTF-16 is a RangeError', async () => {
  const store = await SqliteStorage.open(fresh());
  try {
    await assert.rejects(store.create('/k/\ud800', bytes('x')), RangeError);
    await assert.rejects(store.get('/k/\udc00x'), RangeError);
  } finally {
    await store.close();
  }
});
