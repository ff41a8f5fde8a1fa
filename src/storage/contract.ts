import { type KeyValue, StorageError, type WatchEvent } from './storage.ts';

/** Refuses keys outside the contract; a lone surrogate would be stored as U+FFFD, silently becoming another key. */
export function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new RangeError('a key must be a non-empty string');
  if (/\p{Cs}/u.test(key)) throw new RangeError('a key must be a well-formed string');
}

export function checkRevisionArgument(name: string, revision: number, minimum: number): void {
  if (!Number.isSafeInteger(revision) || revision < minimum) {
    throw new RangeError(`${name} must be an integer of at least ${minimum}, got ${revision}`);
  }
}

export function compactedError(revision: number, compactedRevision: number): StorageError {
  return new StorageError(
    'Compacted',
    `revision ${revision} is compacted (compaction point ${compactedRevision})`,
    {
      compactedRevision,
    },
  );
}

export function futureRevisionError(revision: number, current: number): StorageError {
  return new StorageError('FutureRevision', `revision ${revision} is after the current revision ${current}`);
}

/** Values are handed out as copies, so a caller mutating one cannot change what the store holds. */
export function copyKeyValue(kv: KeyValue): KeyValue {
  return { ...kv, value: new Uint8Array(kv.value) };
}

export function copyEvent(event: WatchEvent): WatchEvent {
  return event.type === 'ADDED'
    ? { type: event.type, kv: copyKeyValue(event.kv) }
    : { type: event.type, kv: copyKeyValue(event.kv), prev: copyKeyValue(event.prev) };
}
