import type { Storage } from '../../storage/storage.ts';

/** The key nothing is ever written under; listing it reads the store's current revision and nothing else. */
const PROBE_PREFIX = '/registry/.nso-revision-probe/';

/**
 * Keeps storage history bounded, as kube-apiserver does every five minutes: each tick compacts to the revision
 * the previous tick saw, so a watch or continue token is good for at least one interval. Several replicas may
 * each run one; compacting to a revision already compacted is a no-op.
 */
export class Compactor {
  readonly #storage: Storage;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #previous: number | undefined;

  constructor(storage: Storage, intervalMs: number, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One step: compact to what the last step saw, then remember what this one sees. */
  async tick(): Promise<void> {
    try {
      const { revision } = await this.#storage.list(PROBE_PREFIX, { limit: 1 });
      if (this.#previous !== undefined && this.#previous < revision)
        await this.#storage.compact(this.#previous);
      this.#previous = revision;
    } catch (error) {
      this.#onError(error);
    }
  }
}
