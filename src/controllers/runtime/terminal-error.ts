/**
 * A failure only the user can fix (bad input, a missing reference). The controller records it and does not
 * retry the key until an event adds it again; any other error is transient and retried with backoff.
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** Whether `error`, or an error in its cause chain, is a TerminalError. */
export function isTerminal(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    if (current instanceof TerminalError) return true;
    seen.add(current);
  }
  return false;
}
