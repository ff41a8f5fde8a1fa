import { goJson } from '../schema/go-format.ts';

// Printable ASCII that neither JSON nor Go's HTML-safe encoder escapes.
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

/** goJson of a string, without its escaping work for the common case of a string that needs none. */
export function quoteJson(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : goJson(s);
}
