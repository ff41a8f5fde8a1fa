import { isStatusError } from '../../api/status-error.ts';
import type { RegistryStore, WatchOutput } from '../registry/registry-store.ts';
import type { WatchQuery } from '../registry/request-options.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import { internal } from '../status-errors.ts';
import type { ObjectRendering } from './negotiation.ts';
import type { HandlerContext } from './resource-handler.ts';
import { table } from './resource-handler.ts';
import type { ServerReply } from './responses.ts';

/** kube-apiserver ends watches without a timeout after a random 30–60 minutes, so clients re-establish them. */
const MIN_WATCH_MS = 30 * 60_000;
const BOOKMARK_EVERY_MS = 60_000;

/**
 * A watch as a chunked stream of newline-separated events, headers flushed at once and every event flushed
 * as it happens. Table clients get one-row Tables (column definitions in the first event only).
 */
export async function streamWatch(
  context: HandlerContext,
  store: RegistryStore,
  namespace: string | undefined,
  res: ServerReply,
  rendering: ObjectRendering,
  query: WatchQuery & { timeoutSeconds: number | undefined },
): Promise<void> {
  store.checkWatch(query);
  const abort = new AbortController();
  const timeoutMs =
    query.timeoutSeconds !== undefined ? query.timeoutSeconds * 1000 : MIN_WATCH_MS * (1 + Math.random());
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  res.on('close', () => abort.abort());
  const events = store.watch(namespace, query, abort.signal);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  if ('flushHeaders' in res) res.flushHeaders();
  let lastRevision = query.resourceVersion ?? '0';
  let tableHeaderSent = false;
  const bookmarks = query.allowWatchBookmarks
    ? setInterval(() => {
        void write({ type: 'BOOKMARK', resourceVersion: lastRevision });
      }, BOOKMARK_EVERY_MS)
    : undefined;
  async function write(event: WatchOutput): Promise<void> {
    if (res.writableEnded || res.destroyed) return;
    const line = `${JSON.stringify(render(event))}\n`;
    if (!(res as NodeJS.WritableStream).write(line)) {
      // Wait for whichever comes first, and leave no listener behind for the other.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.once('drain', done).once('close', done);
      });
    }
  }
  function render(event: WatchOutput): unknown {
    switch (event.type) {
      case 'ERROR':
        return { type: 'ERROR', object: event.error.toStatus() };
      case 'BOOKMARK':
        return {
          type: 'BOOKMARK',
          object: {
            kind: store.resource.kind,
            apiVersion: apiVersionOf(store.resource),
            metadata: {
              resourceVersion: event.resourceVersion,
              ...(event.initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
            },
          },
        };
      default: {
        lastRevision = event.object.metadata.resourceVersion ?? lastRevision;
        if (rendering.as === 'object') return { type: event.type, object: event.object };
        const withColumns = !tableHeaderSent;
        tableHeaderSent = true;
        return {
          type: event.type,
          object: table(context, store, [event.object], rendering, new URLSearchParams(), lastRevision, {
            columnDefinitions: withColumns,
          }),
        };
      }
    }
  }
  try {
    for (let next = await events.next(); !next.done; next = await events.next()) await write(next.value);
  } catch (error) {
    if (!abort.signal.aborted) {
      await write({ type: 'ERROR', error: isStatusError(error) ? error : internal(String(error), error) });
    }
  } finally {
    clearTimeout(timer);
    if (bookmarks !== undefined) clearInterval(bookmarks);
    abort.abort();
    await events.return(undefined);
    if (!res.writableEnded) res.end();
  }
}
