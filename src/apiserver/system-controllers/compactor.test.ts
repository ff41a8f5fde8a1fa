import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryStorage } from '../../storage/memory/memory-storage.ts';
import { isStorageError } from '../../storage/storage.ts';
import { Compactor } from './compactor.ts';

test('each tick compacts to the revision the previous tick saw, never further', async () => {
  const storage = new MemoryStorage();
  const errors: unknown[] = [];
  const compactor = new Compactor(storage, 60_000, (error) => errors.push(error));
  const first = await storage.create('/registry/a', Buffer.from('1'));
  await compactor.tick();
  const second = await storage.update('/registry/a', Buffer.from('2'), first.modRevision);
  await storage.get('/registry/a', { revision: first.modRevision });
  await compactor.tick();
  await assert.rejects(
    storage.get('/registry/a', { revision: first.modRevision - 1 }),
    (error: unknown) => isStorageError(error, 'Compacted'),
    'history before the first tick is gone',
  );
  const kept = await storage.get('/registry/a', { revision: first.modRevision });
  assert.equal(
    Buffer.from(kept?.value ?? []).toString(),
    '1',
    'the revision the first tick saw stays readable',
  );
  await compactor.tick();
  assert.equal(
    Buffer.from((await storage.get('/registry/a', { revision: second.modRevision }))?.value ?? []).toString(),
    '2',
    'latest kept',
  );
  assert.deepEqual(errors, [], 'no errors');
});
