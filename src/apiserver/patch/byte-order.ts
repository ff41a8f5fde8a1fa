import { compareBytes } from '../schema/go-format.ts';

/**
 * Go's string order (byte-wise UTF-8), as compareBytes gives it, without splitting either string into code
 * points: UTF-16 code units order the same way as code points except where a surrogate is involved.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i < n) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    return isSurrogate(x) || isSurrogate(y) ? Math.sign(compareBytes(a, b)) : x < y ? -1 : 1;
  }
  if (i > 0 && isSurrogate(a.charCodeAt(i - 1))) return Math.sign(compareBytes(a, b));
  return a.length < b.length ? -1 : 1;
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
