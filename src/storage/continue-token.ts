import { Buffer } from 'node:buffer';
import { StorageError } from './storage.ts';

/** Where a paginated list resumes: its revision and the last key it returned. */
export interface Continuation {
  readonly revision: number;
  readonly after: string;
}

/** An opaque, URL-safe token; every backend uses this one format. */
export function encodeContinue(continuation: Continuation): string {
  const { revision, after } = continuation;
  return Buffer.from(JSON.stringify({ v: 1, rev: revision, after }), 'utf8').toString('base64url');
}

/** The continuation in `token`; InvalidContinue unless encodeContinue made it for a key under `prefix`. */
export function decodeContinue(token: string, prefix: string): Continuation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(token, cause);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid(token);
  const { v, rev, after } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 1) throw invalid(token);
  if (typeof after !== 'string' || !after.startsWith(prefix)) throw invalid(token);
  const continuation = { revision: rev, after };
  // Only the canonical spelling is accepted, so a token cannot smuggle extra fields or alternate encodings.
  if (encodeContinue(continuation) !== token) throw invalid(token);
  return continuation;
}

function invalid(token: string, cause?: unknown): StorageError {
  return new StorageError(
    'InvalidContinue',
    `continue token is not valid for this list: ${token.slice(0, 64)}`,
    {
      cause,
    },
  );
}
