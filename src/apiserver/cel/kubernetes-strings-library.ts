import { type Environment, EvaluationError } from '@marcbachmann/cel-js';

const sync = { async: false };

/** Indexes by code point, as cel-go does; the index one past the end gives the empty string. */
function charAt(text: string, index: bigint): string {
  const characters = Array.from(text);
  if (index < 0n || index > BigInt(characters.length)) {
    throw new EvaluationError(`index out of range: ${index}`);
  }
  return characters[Number(index)] ?? '';
}

/** Go's strings.Replace: a negative limit replaces every match; an empty `from` matches around each character. */
function replace(text: string, from: string, to: string, limit = -1n): string {
  if (from === '') {
    const characters = Array.from(text);
    const count = limit < 0n ? characters.length + 1 : Math.min(Number(limit), characters.length + 1);
    const body = characters.map((character, i) => (i < count ? to + character : character)).join('');
    return count > characters.length ? body + to : body;
  }
  const parts = text.split(from);
  if (limit < 0n || limit >= BigInt(parts.length - 1)) return parts.join(to);
  const cut = Number(limit) + 1;
  return `${parts.slice(0, cut).join(to)}${from}${parts.slice(cut).join(from)}`;
}

/** The cel-go string extension functions (ext.Strings, version 2) that cel-js does not ship itself. */
export function registerStringsLibrary(env: Environment): Environment {
  return env
    .registerFunction('string.charAt(int): string', charAt, sync)
    .registerFunction(
      'string.replace(string, string): string',
      (text: string, from: string, to: string) => replace(text, from, to),
      sync,
    )
    .registerFunction('string.replace(string, string, int): string', replace, sync);
}
