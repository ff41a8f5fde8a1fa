import {
  EtcdPermissionDeniedError,
  GRPCInvalidArgumentError,
  GRPCUnauthenticatedError,
  type IOptions,
} from 'etcd3';
import { StorageError } from '../storage.ts';

/**
 * The StorageError (or plain Error) for a failed etcd call. Anything that is not a definite refusal is
 * Unreachable, because a write that failed in transit may still have committed.
 */
export function translateEtcdError(error: unknown, key?: string): Error {
  if (error instanceof StorageError || error instanceof RangeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const details = key === undefined ? { cause: error } : { key, cause: error };
  if (message.includes('required revision has been compacted')) {
    return new StorageError('Compacted', `etcd: ${message}`, details);
  }
  if (message.includes('required revision is a future revision')) {
    return new StorageError('FutureRevision', `etcd: ${message}`, details);
  }
  if (
    error instanceof GRPCInvalidArgumentError ||
    error instanceof EtcdPermissionDeniedError ||
    error instanceof GRPCUnauthenticatedError
  ) {
    return new Error(`etcd refused the request: ${message}`, { cause: error });
  }
  return new StorageError('Unreachable', `etcd is unreachable: ${message}`, details);
}

type GlobalPolicy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

// Nothing cancels a call through this policy, so calls share one signal rather than paying for an
// AbortController each (about 2 µs of client CPU per write, on the path every write takes).
const neverAborted = new AbortController().signal;

/**
 * etcd3 retries failed calls up to three times by default. A retried write can commit twice, and a retried
 * compare-and-swap then reports Conflict against its own first attempt, so every call gets exactly one try.
 */
export const singleAttempt = {
  onSuccess: () => ({ dispose: () => {} }),
  onFailure: () => ({ dispose: () => {} }),
  execute: async <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    fn({ signal: neverAborted }),
} as unknown as GlobalPolicy;
