/** Orders keys by their UTF-8 bytes (code point order), as etcd and SQLite's BINARY collation do. */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// A surrogate stands for a code point above U+FFFF, so it must sort after U+E000..U+FFFF, unlike in UTF-16.
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
