// Child of sqlite-crash.test.ts: opens the store and creates keys [next, stop), 16 at a time. It prints
// "open <revision>" once open and "ack <index> <revision>" only after a create resolved; the parent SIGKILLs it.

import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import { isStorageError } from '../../src/storage/storage.ts';
import { crashKey, crashValue, WRITERS } from './sqlite-crash-workload.ts';

const [file, nextArgument, stopArgument] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: sqlite-crash-child.ts FILE NEXT STOP');
let next = Number(nextArgument);
const stop = Number(stopArgument);

const store = await SqliteStorage.open(file);
process.stdout.write(`open ${await store.currentRevision()}\n`);
let acks = 0;

async function writer(): Promise<void> {
  while (next < stop) {
    const index = next++;
    let revision: number;
    try {
      revision = (await store.create(crashKey(index), crashValue(index))).modRevision;
    } catch (error) {
      // Committed by an earlier run that was killed before it could acknowledge.
      if (!isStorageError(error, 'KeyExists') || !error.current) throw error;
      revision = error.current.modRevision;
    }
    process.stdout.write(`ack ${index} ${revision}\n`);
    // Compaction too must survive a kill; with creates only it has history to scan but nothing to delete.
    if (++acks % 500 === 0) await store.compact(revision - WRITERS);
  }
}

await Promise.all(Array.from({ length: WRITERS }, writer));
await store.close();
process.stdout.write('done\n');
