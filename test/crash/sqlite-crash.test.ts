// Proves an acknowledged SQLite write survives SIGKILL: children creating 5,000 keys are killed at random at
// least 20 times and restarted; every acknowledged key is then present, revisions never went backwards, and
// the database passes its integrity check.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { crashKey, crashValue, TOTAL_KEYS } from './sqlite-crash-workload.ts';

const KILLS = 24;
const child = new URL('./sqlite-crash-child.ts', import.meta.url).pathname;

interface Run {
  readonly openRevision: number | undefined;
  readonly acks: readonly { readonly index: number; readonly revision: number }[];
  readonly killed: boolean;
  readonly stderr: string;
}

test(`SIGKILL at random ${KILLS} times while creating ${TOTAL_KEYS} keys loses no acknowledged write`, {
  timeout: 120_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nso-sqlite-crash-'));
  try {
    const file = join(dir, 'crash.db');
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 2 ** 31);
    t.diagnostic(`CRASH_SEED=${seed}`);
    const random = seededRandom(seed);
    const acked = new Map<number, number>();
    let next = 0;
    let kills = 0;
    let highest = 1;
    // A child with group commit writes thousands of keys a second, more than a kill can race, so each run gets
    // a slice of the remaining keys sized to leave room for the kills still owed; a run the kill missed simply
    // finishes its slice.
    while (acked.size < TOTAL_KEYS) {
      while (acked.has(next)) next++;
      const owed = Math.max(0, KILLS - kills);
      const stop = Math.min(TOTAL_KEYS, next + Math.ceil((TOTAL_KEYS - acked.size) / (owed + 1)));
      // Half the kills land while the child starts, opens and checks the database (tsx alone takes longer than
      // 150 ms to start); the rest just after its first acknowledgements, mid-batch.
      const plan =
        owed > 0
          ? random() < 0.5
            ? { afterMs: Math.floor(random() * 150) }
            : { afterAcks: 1 + Math.floor(random() * 8), thenMs: random() * 3 }
          : undefined;
      const run = await runChild(file, next, stop, plan);
      if (run.killed) kills++;
      if (run.openRevision !== undefined) {
        assert.ok(
          run.openRevision >= highest,
          `reopened at ${run.openRevision} after acknowledging ${highest}`,
        );
        highest = run.openRevision;
      }
      for (const { index, revision } of run.acks) {
        const earlier = acked.get(index);
        if (earlier !== undefined) assert.equal(revision, earlier, `${crashKey(index)} changed revision`);
        acked.set(index, revision);
        highest = Math.max(highest, revision);
      }
      if (!run.killed) {
        for (let index = next; index < stop; index++) {
          assert.ok(
            acked.has(index),
            `a run that was not killed acknowledges every key of its slice (${index})`,
          );
        }
      }
    }
    t.diagnostic(`${kills} kills, ${acked.size} keys, last revision ${highest}`);
    assert.ok(kills >= 20, `only ${kills} kills`);
    assert.equal(new Set(acked.values()).size, TOTAL_KEYS, 'every key was acknowledged at its own revision');

    const store = await SqliteStorage.open(file);
    try {
      assert.ok((await store.currentRevision()) >= highest, 'the revision went backwards');
      const { items } = await store.list('/crash/');
      assert.equal(items.length, TOTAL_KEYS);
      for (const item of items) {
        const index = Number(item.key.slice('/crash/'.length));
        assert.equal(item.modRevision, acked.get(index), `${item.key} revision`);
        assert.equal(item.createRevision, item.modRevision);
        assert.deepEqual(item.value, crashValue(index), `${item.key} value`);
      }
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

type Plan =
  | { readonly afterMs: number }
  | { readonly afterAcks: number; readonly thenMs: number }
  | undefined;

async function runChild(file: string, next: number, stop: number, plan: Plan): Promise<Run> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', child, file, String(next), String(stop)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: { index: number; revision: number }[] = [];
  let openRevision: number | undefined;
  let stderr = '';
  let killed = false;
  const kill = (): void => {
    killed = process_.kill('SIGKILL') || killed;
  };
  if (plan && 'afterMs' in plan) setTimeout(kill, plan.afterMs);
  let buffered = '';
  process_.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, a, b] = line.split(' ');
      if (word === 'open') openRevision = Number(a);
      else if (word === 'ack') {
        acks.push({ index: Number(a), revision: Number(b) });
        if (plan && 'afterAcks' in plan && acks.length === plan.afterAcks) setTimeout(kill, plan.thenMs);
      }
    }
  });
  process_.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const { code, signal } = await exited(process_);
  // A kill that came after a clean exit proves nothing; a crash that was not ours is a failure.
  if (signal !== 'SIGKILL') killed = false;
  if (!killed) assert.equal(code, 0, `the child exited with ${code ?? signal}: ${stderr}`);
  return { openRevision, acks, killed, stderr };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}
