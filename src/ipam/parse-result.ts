/** The outcome of parsing user text: the value, or what is wrong and, where one is clear, the text meant. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | ParseFailure;

export interface ParseFailure {
  readonly ok: false;
  /** A whole sentence for a person: what was given, what is wrong, and how to fix it. */
  readonly message: string;
  /** What is wrong, without naming the input, for a caller that words its own sentence. */
  readonly problem: string;
  /** The corrected text, when there is an obvious one. */
  readonly suggestion?: string;
}

export function parseFailure(
  input: string,
  kind: string,
  problem: string,
  suggestion?: string,
): ParseFailure {
  const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
  const message = `${JSON.stringify(input)} is not a valid ${kind}: ${problem}${hint}`;
  return suggestion === undefined
    ? { ok: false, message, problem }
    : { ok: false, message, problem, suggestion };
}
