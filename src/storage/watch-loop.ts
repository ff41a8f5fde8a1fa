import { copyEvent } from './contract.ts';
import type { StorageError, WatchEvent } from './storage.ts';

/** What a backend keeps per watch: the error that ended it, and how to wake its reader. */
export interface WatchState {
  ended: StorageError | undefined;
  wake: () => void;
}

const noop = (): void => {};

/**
 * The reader's side of a watch, the same in every in-process backend: yield copies of what `next` returns,
 * sleep until woken when it returns nothing, end on abort, throw the error the backend set; `done` runs
 * however the iteration ends.
 */
export async function* watchLoop(
  state: WatchState,
  signal: AbortSignal,
  next: () => WatchEvent | undefined,
  done: () => void,
): AsyncGenerator<WatchEvent> {
  const onAbort = (): void => state.wake();
  signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal.aborted) return;
      if (state.ended) throw state.ended;
      const event = next();
      if (event) {
        yield copyEvent(event);
        continue;
      }
      await new Promise<void>((resolve) => {
        state.wake = resolve;
      });
      state.wake = noop;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    done();
  }
}
