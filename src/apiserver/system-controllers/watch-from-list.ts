import { isStorageError, type KeyValue, type Storage } from '../../storage/storage.ts';

export interface ListWatchHandler {
  put(kv: KeyValue): void;
  remove(kv: KeyValue): void;
  /** Called after each full list (the first, and any re-list after a compaction) with every key it saw. */
  synced?(keys: ReadonlySet<string>): void;
}

const PAGE = 1000;
const RETRY_MS = 500;

/**
 * List then watch a storage prefix, as a reflector does: resumes a broken stream from the last revision and
 * re-lists when that revision was compacted. Resolves after the first list; runs until `signal` aborts.
 */
export async function watchFromList(
  storage: Storage,
  prefix: string,
  signal: AbortSignal,
  handler: ListWatchHandler,
): Promise<void> {
  let revision = await list(storage, prefix, handler);
  void (async () => {
    while (!signal.aborted) {
      try {
        for await (const event of storage.watch(prefix, revision, signal)) {
          revision = event.kv.modRevision;
          if (event.type === 'DELETED') handler.remove(event.kv);
          else handler.put(event.kv);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (isStorageError(error, 'Compacted')) {
          revision = await list(storage, prefix, handler).catch(() => revision);
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  })();
}

async function list(storage: Storage, prefix: string, handler: ListWatchHandler): Promise<number> {
  const keys = new Set<string>();
  let page = await storage.list(prefix, { limit: PAGE });
  const revision = page.revision;
  for (;;) {
    for (const kv of page.items) {
      keys.add(kv.key);
      handler.put(kv);
    }
    if (page.continue === undefined) break;
    page = await storage.list(prefix, { limit: PAGE, continue: page.continue });
  }
  handler.synced?.(keys);
  return revision;
}
