/** Callbacks for changes to cached objects of one kind. */
export interface EventHandler<T> {
  onAdd(object: T): void;
  onUpdate(oldObject: T, newObject: T): void;
  /** The last state known; a delete missed during a re-list arrives with the cached object, never a tombstone. */
  onDelete(object: T): void;
}

/**
 * Where controllers learn of changes: an informer's cache. A handler added late is first told of every cached
 * object as an add, as client-go's AddEventHandler does; the returned function removes it.
 */
export interface EventSource<T> {
  addEventHandler(handler: EventHandler<T>): () => void;
}
