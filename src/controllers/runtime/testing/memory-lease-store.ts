// A Lease held in memory with the API server's rules: create fails if it exists, update needs the current resourceVersion.
import { StatusError } from '../../../api/status-error.ts';
import type { LeaseRecord, LeaseSpec, LeaseStore } from '../leader-election.ts';

export class MemoryLeaseStore implements LeaseStore {
  #record: LeaseRecord | undefined;
  #revision = 0;
  /** Every spec written, in order. */
  readonly writes: LeaseSpec[] = [];
  conflicts = 0;

  get current(): LeaseRecord | undefined {
    return this.#record;
  }

  async get(): Promise<LeaseRecord | undefined> {
    return this.#record;
  }

  async create(spec: LeaseSpec): Promise<LeaseRecord> {
    if (this.#record !== undefined) {
      this.conflicts++;
      throw new StatusError(409, 'AlreadyExists', 'leases.coordination.k8s.io "nso" already exists');
    }
    return this.#commit(spec);
  }

  async update(spec: LeaseSpec, resourceVersion: string): Promise<LeaseRecord> {
    if (this.#record === undefined)
      throw new StatusError(404, 'NotFound', 'leases.coordination.k8s.io "nso" not found');
    if (this.#record.resourceVersion !== resourceVersion) {
      this.conflicts++;
      throw new StatusError(
        409,
        'Conflict',
        'Operation cannot be fulfilled on leases.coordination.k8s.io "nso": the object has been modified',
      );
    }
    return this.#commit(spec);
  }

  #commit(spec: LeaseSpec): LeaseRecord {
    this.#record = { spec: { ...spec }, resourceVersion: String(++this.#revision) };
    this.writes.push(this.#record.spec);
    return this.#record;
  }
}
