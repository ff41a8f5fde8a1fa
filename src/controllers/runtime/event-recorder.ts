import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log/logger.ts';
import { type Clock, systemClock } from './clock.ts';

export const EVENT_TYPES = ['Normal', 'Warning'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ObjectReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

/** The object an event is about, as read from the API. */
export interface EventSubject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
  };
}

/** A core/v1 Event as the recorder writes it. */
export interface CoreEvent {
  readonly apiVersion: 'v1';
  readonly kind: 'Event';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly involvedObject: ObjectReference;
  readonly reason: string;
  readonly message: string;
  readonly type: EventType;
  readonly source: { readonly component: string; readonly host?: string };
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly count: number;
  readonly reportingComponent: string;
  readonly reportingInstance?: string;
}

/** What a repeat changes: a merge patch of the existing Event. */
export interface EventPatch {
  readonly count: number;
  readonly lastTimestamp: string;
}

/**
 * Where events go: the API's core/v1 events. `patch` of an Event that no longer exists (the API server expires
 * them) must reject with an error whose `code` is 404, as StatusError and client-node's ApiException have.
 */
export interface EventSink {
  create(event: CoreEvent): Promise<unknown>;
  patch(namespace: string, name: string, patch: EventPatch): Promise<unknown>;
}

export interface EventRecorderOptions {
  readonly sink: EventSink;
  /** source.component and reportingComponent, e.g. network-services-operator. */
  readonly component: string;
  /** source.host and reportingInstance: which replica reported it. */
  readonly instance?: string;
  readonly clock?: Clock;
  /** The unique part of a new Event's name, in hex. */
  readonly suffix?: () => string;
  readonly logger?: Logger;
  /** Repeats within this long of the previous occurrence patch the same Event; 10 minutes unless given. */
  readonly aggregationWindowMs?: number;
  /** Distinct events remembered for aggregation; the least recently seen are forgotten first. */
  readonly cacheSize?: number;
}

/** Kubernetes refuses longer messages (events.k8s.io's limit, which nso's API server enforces). */
const MESSAGE_MAX_BYTES = 1024;

interface Seen {
  readonly namespace: string;
  readonly name: string;
  readonly count: number;
  readonly lastSeen: number;
}

/**
 * client-go's event recorder and correlator: an event repeated for the same object, type, reason and message
 * within the window increments the existing Event's count instead of creating another. Recording never fails
 * the caller: sink errors are logged and the event is dropped.
 */
export class EventRecorder {
  readonly #sink: EventSink;
  readonly #component: string;
  readonly #instance: string | undefined;
  readonly #clock: Clock;
  readonly #suffix: () => string;
  readonly #logger: Logger | undefined;
  readonly #windowMs: number;
  readonly #cacheSize: number;
  /** In least-recently-seen order. */
  readonly #seen = new Map<string, Seen>();
  /** The last write per aggregation key, so repeats of one event are written one after another. */
  readonly #writing = new Map<string, Promise<void>>();

  constructor(options: EventRecorderOptions) {
    this.#sink = options.sink;
    this.#component = options.component;
    this.#instance = options.instance;
    this.#clock = options.clock ?? systemClock;
    this.#suffix = options.suffix ?? (() => randomBytes(8).toString('hex'));
    this.#logger = options.logger;
    this.#windowMs = options.aggregationWindowMs ?? 600_000;
    this.#cacheSize = options.cacheSize ?? 4096;
  }

  /** Records an event about `subject`; resolves once written (or dropped), never rejects. */
  record(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const involvedObject = referenceTo(subject);
    const text = truncateUtf8(message, MESSAGE_MAX_BYTES);
    const key = JSON.stringify([
      involvedObject.apiVersion,
      involvedObject.kind,
      involvedObject.namespace,
      involvedObject.name,
      involvedObject.uid,
      type,
      reason,
      text,
    ]);
    const write = (this.#writing.get(key) ?? Promise.resolve()).then(() =>
      this.#write(key, involvedObject, type, reason, text),
    );
    this.#writing.set(key, write);
    return write.finally(() => {
      if (this.#writing.get(key) === write) this.#writing.delete(key);
    });
  }

  async #write(
    key: string,
    involvedObject: ObjectReference,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const now = this.#clock.now();
    const seen = this.#seen.get(key);
    if (seen !== undefined && now - seen.lastSeen <= this.#windowMs) {
      const count = seen.count + 1;
      try {
        await this.#sink.patch(seen.namespace, seen.name, { count, lastTimestamp: time(now) });
        this.#remember(key, { ...seen, count, lastSeen: now });
        return;
      } catch (error) {
        if (!isNotFound(error)) {
          this.#logger?.warn('could not update event', { event: `${seen.namespace}/${seen.name}`, error });
          return;
        }
      }
    }
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involvedObject.name ?? ''}.${this.#suffix()}`,
        namespace: involvedObject.namespace || 'default',
      },
      involvedObject,
      reason,
      message,
      type,
      source: {
        component: this.#component,
        ...(this.#instance === undefined ? {} : { host: this.#instance }),
      },
      firstTimestamp: time(now),
      lastTimestamp: time(now),
      count: 1,
      reportingComponent: this.#component,
      ...(this.#instance === undefined ? {} : { reportingInstance: this.#instance }),
    };
    try {
      await this.#sink.create(event);
      this.#remember(key, { ...event.metadata, count: 1, lastSeen: now });
    } catch (error) {
      this.#logger?.warn('could not create event', {
        event: `${event.metadata.namespace}/${event.metadata.name}`,
        error,
      });
    }
  }

  #remember(key: string, seen: Seen): void {
    this.#seen.delete(key);
    this.#seen.set(key, seen);
    if (this.#seen.size > this.#cacheSize) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }
}

export function referenceTo(subject: EventSubject): ObjectReference {
  const meta = subject.metadata ?? {};
  const fields: [keyof ObjectReference, string | undefined][] = [
    ['apiVersion', subject.apiVersion],
    ['kind', subject.kind],
    ['namespace', meta.namespace],
    ['name', meta.name],
    ['uid', meta.uid],
    ['resourceVersion', meta.resourceVersion],
  ];
  return Object.fromEntries(fields.filter(([, value]) => value !== undefined && value !== ''));
}

/** metav1.Time's wire form: RFC 3339 to the second. */
function time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) so no character is cut in half.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
