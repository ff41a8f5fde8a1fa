import type { Duplex } from 'node:stream';
import type { IDuplexStream, IEvent, IWatchCreateRequest, IWatchRequest, IWatchResponse } from 'etcd3';
import { StorageError, type WatchEvent } from '../storage.ts';

/** etcd3 types its watch stream narrowly; at run time it is a gRPC duplex stream. */
export type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse> &
  Pick<Duplex, 'writable' | 'removeAllListeners'>;

const noop = (): void => {};

/**
 * One etcd watch on a gRPC stream of its own. Responses are queued as they arrive, so a reader that stops
 * reading holds back neither etcd nor writers; a broken stream ends the iteration with Unreachable at once.
 */
export class EtcdWatch {
  readonly #decode: (event: IEvent) => WatchEvent;
  readonly #queue: WatchEvent[] = [];
  #head = 0;
  #stream: WatchStream | undefined;
  #failure: StorageError | undefined;
  #stopped = false;
  #wake: () => void = noop;

  constructor(decode: (event: IEvent) => WatchEvent) {
    this.#decode = decode;
  }

  /** Attaches the stream and sends the create request; a watch already ended just closes it. */
  attach(stream: WatchStream, request: IWatchCreateRequest): void {
    if (this.#stopped || this.#failure) {
      close(stream);
      return;
    }
    this.#stream = stream;
    stream.on('data', (response: IWatchResponse) => this.#receive(response));
    stream.on('error', (cause: unknown) =>
      this.fail(new StorageError('Unreachable', `etcd watch stream broke: ${String(cause)}`, { cause })),
    );
    stream.on('end', () => this.fail(new StorageError('Unreachable', 'etcd ended the watch stream')));
    stream.write({ create_request: request });
  }

  /** Ends the iteration with `error` at the next read; the reader resumes from the last event it saw. */
  fail(error: StorageError): void {
    if (this.#stopped || this.#failure) return;
    this.#failure = error;
    this.#close();
    this.#wake();
  }

  /** Cancels the stream as a lost connection would: the reader sees Unreachable at its next read; for tests. */
  breakStream(): void {
    this.fail(new StorageError('Unreachable', 'watch stream cut'));
  }

  /** Ends the iteration at once, dropping what is queued (the caller aborted). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#close();
    this.#wake();
  }

  async *events(): AsyncGenerator<WatchEvent> {
    for (;;) {
      // A break that came before the abort is still reported, so the reader knows the stream did not end cleanly.
      if (this.#failure) throw this.#failure;
      if (this.#stopped) return;
      if (this.#head < this.#queue.length) {
        const event = this.#queue[this.#head]!;
        this.#queue[this.#head++] = undefined as unknown as WatchEvent;
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue.splice(0, this.#head);
          this.#head = 0;
        }
        yield event;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = noop;
    }
  }

  #receive(response: IWatchResponse): void {
    if (this.#stopped || this.#failure) return;
    if (response.canceled) {
      const compactedRevision = Number(response.compact_revision);
      this.fail(
        compactedRevision > 0
          ? new StorageError('Compacted', `etcd compacted the watched history up to ${compactedRevision}`, {
              compactedRevision,
            })
          : new StorageError(
              'Unreachable',
              `etcd canceled the watch: ${response.cancel_reason || 'no reason given'}`,
            ),
      );
      return;
    }
    try {
      for (const event of response.events) this.#queue.push(this.#decode(event));
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      this.fail(error);
      return;
    }
    if (response.events.length > 0) this.#wake();
  }

  #close(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream) close(stream);
  }
}

// etcd keeps a watch RPC open after a half-close, so the stream is also canceled; ending it first keeps
// etcd3 from treating the cancel as a failure of the host.
function close(stream: WatchStream): void {
  stream.removeAllListeners('data');
  stream.on('error', noop);
  if (stream.writable) stream.end();
  stream.cancel();
}
