import type { ResourceInfo } from '../registry/resource-info.ts';

/**
 * Builds a value from the resource set once per resource-set version the caller passes, and rebuilds only
 * when that version changes. Only the latest build is kept.
 */
export class ResourceSetMemo<T> {
  readonly #build: (resources: readonly ResourceInfo[]) => T;
  #latest: { readonly version: string | number; readonly value: T } | undefined;

  constructor(build: (resources: readonly ResourceInfo[]) => T) {
    this.#build = build;
  }

  get(version: string | number, resources: readonly ResourceInfo[]): T {
    if (this.#latest?.version !== version) {
      this.#latest = { version, value: this.#build(resources) };
    }
    return this.#latest.value;
  }
}
