export interface LogLine {
  /** When the line was written, in ms since the epoch. */
  readonly time: number;
  /** One line, without its newline. */
  readonly text: string;
}

/** Told of every line appended after it subscribed, then once that the stream ended. */
export interface LogFollower {
  readonly line: (line: LogLine) => void;
  readonly end: () => void;
}

export interface LogBufferOptions {
  readonly maxLines?: number;
  /** Counts each line's UTF-8 bytes plus its newline. */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_LINES = 10_000;
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The recent lines of one component's log, oldest dropped first once either bound is passed; a line longer
 * than maxBytes on its own is cut to fit. Followers hear of new lines synchronously and must not throw.
 */
export class LogBuffer {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly #ring: (LogLine | undefined)[];
  readonly #followers = new Set<LogFollower>();
  #start = 0;
  #count = 0;
  #bytes = 0;
  #closed = false;

  constructor(options: LogBufferOptions = {}) {
    this.maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!Number.isSafeInteger(this.maxLines) || this.maxLines < 1)
      throw new RangeError(`maxLines must be a positive integer, not ${this.maxLines}`);
    if (!Number.isSafeInteger(this.maxBytes) || this.maxBytes < 2)
      throw new RangeError(`maxBytes must be an integer of at least 2, not ${this.maxBytes}`);
    this.#ring = new Array(this.maxLines);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#count;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get followers(): number {
    return this.#followers.size;
  }

  append(line: LogLine): void {
    const fitted = fitLine(line, this.maxBytes - 1);
    const cost = lineCost(fitted);
    while (this.#count > 0 && (this.#count === this.maxLines || this.#bytes + cost > this.maxBytes)) {
      this.#bytes -= lineCost(this.#ring[this.#start]!);
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.maxLines;
      this.#count--;
    }
    this.#ring[(this.#start + this.#count) % this.maxLines] = fitted;
    this.#count++;
    this.#bytes += cost;
    for (const follower of [...this.#followers]) follower.line(fitted);
  }

  /** Oldest first. */
  lines(): readonly LogLine[] {
    const out: LogLine[] = new Array(this.#count);
    for (let i = 0; i < this.#count; i++) out[i] = this.#ring[(this.#start + i) % this.maxLines]!;
    return out;
  }

  /** Follows new lines until the returned function is called or the buffer closes; on a closed buffer `end` runs at once. */
  subscribe(follower: LogFollower): () => void {
    if (this.#closed) {
      follower.end();
      return () => {};
    }
    this.#followers.add(follower);
    return () => {
      this.#followers.delete(follower);
    };
  }

  /** Ends every follow; lines appended later are still kept for plain reads. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const followers = [...this.#followers];
    this.#followers.clear();
    for (const follower of followers) follower.end();
  }
}

function lineCost(line: LogLine): number {
  return Buffer.byteLength(line.text) + 1;
}

function fitLine(line: LogLine, maxTextBytes: number): LogLine {
  if (line.text.length <= maxTextBytes / 3 || Buffer.byteLength(line.text) <= maxTextBytes) return line;
  const bytes = Buffer.from(line.text);
  let end = maxTextBytes;
  // Back off to the start of a UTF-8 sequence so the cut never splits a character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { time: line.time, text: bytes.subarray(0, end).toString('utf8') };
}
