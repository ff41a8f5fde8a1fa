import Database from 'better-sqlite3';

export type Synchronous = 'FULL' | 'NORMAL';

export interface SqliteDatabaseOptions {
  /** FULL (the default): an acknowledged write survives power loss. NORMAL: it survives a process crash only. */
  readonly synchronous?: Synchronous;
  /** `full` (the default) runs PRAGMA integrity_check at open; `quick` runs the cheaper quick_check. */
  readonly integrityCheck?: 'full' | 'quick';
}

/** An open database and the state its meta table recorded. */
export interface SqliteDatabase {
  readonly db: Database.Database;
  readonly revision: number;
  readonly compacted: number;
  /** History below `compacted` is deleted up to this revision; the rest is left to the next compaction. */
  readonly cleaned: number;
}

const SCHEMA_VERSION = 1;

// One row per write; the row id is the revision. A deletion stores no value: its last value is the row at
// prev_revision, which compaction keeps for as long as the deletion itself is kept.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision INTEGER,
    deleted INTEGER NOT NULL,
    value BLOB
  );
  CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id, deleted);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * Opens (creating if absent) a log database in WAL mode, held exclusively by this process, and refuses a file
 * that fails its integrity check or has another schema.
 */
export function openSqliteDatabase(file: string, options: SqliteDatabaseOptions = {}): SqliteDatabase {
  const synchronous = options.synchronous ?? 'FULL';
  let db: Database.Database;
  try {
    // Exclusive locking means a busy database is held by another process: fail fast rather than wait.
    db = new Database(file, { timeout: 1_000 });
  } catch (cause) {
    throw new Error(`cannot open SQLite database ${file}`, { cause });
  }
  try {
    // The revision counter and the watch fan-out live in this process, so no other process may write.
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    db.pragma(`synchronous = ${synchronous}`);
    checkIntegrity(db, options.integrityCheck ?? 'full');
    db.exec(SCHEMA);
    return { db, ...readMeta(db) };
  } catch (cause) {
    db.close();
    if (cause instanceof IntegrityError) throw new Error(`SQLite database ${file} ${cause.message}`);
    const { code, message } = cause as { code?: string; message: string };
    if (code?.startsWith('SQLITE_CORRUPT')) {
      throw new Error(`SQLite database ${file} is damaged, refusing to open it: ${message}`, { cause });
    }
    throw new Error(`cannot open SQLite database ${file}: ${message}`, { cause });
  }
}

class IntegrityError extends Error {}

function checkIntegrity(db: Database.Database, mode: 'full' | 'quick'): void {
  const rows = db.pragma(mode === 'full' ? 'integrity_check' : 'quick_check') as Record<string, string>[];
  const problems = rows.map((row) => Object.values(row)[0]);
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw new IntegrityError(
    `failed its integrity check, refusing to open it: ${problems.slice(0, 10).join('; ')}`,
  );
}

function readMeta(db: Database.Database): Omit<SqliteDatabase, 'db'> {
  const get = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
  const read = db.transaction(() => {
    const schema = get.get('schema')?.value;
    if (schema === undefined) {
      const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      put.run('schema', SCHEMA_VERSION);
      put.run('compacted', 0);
      put.run('cleaned', 0);
      // The empty store is at revision 1, so the first write gets 2 (kine inserts a bootstrap row instead).
      db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('log', 1)").run();
    } else if (schema !== SCHEMA_VERSION) {
      throw new Error(`schema version ${schema} is not ${SCHEMA_VERSION}`);
    }
    const sequence = db
      .prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'log'")
      .get();
    if (sequence === undefined) throw new Error('the revision counter (sqlite_sequence) is missing');
    return {
      revision: sequence.seq,
      compacted: get.get('compacted')?.value ?? 0,
      cleaned: get.get('cleaned')?.value ?? 0,
    };
  });
  return read.immediate();
}
