/**
 * The least string above every string that starts with `prefix`, in UTF-8 byte order, or undefined when there
 * is none (the empty prefix). `name >= prefix AND name < end` is then an index range for the prefix.
 */
export function prefixEnd(prefix: string): string | undefined {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff)
      return chars.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
  }
  return undefined;
}
