/** One media range of an Accept header. Type, subtype and parameter names are lower-cased; q is kept apart. */
export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

const TOKEN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const WEIGHT = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The media ranges of an Accept header, most preferred first: by descending q, ties in the order written.
 * Ranges that do not parse, have an invalid q or q=0 (not acceptable) are dropped.
 */
export function parseAccept(header: string): MediaRange[] {
  return splitOutside(header, ',')
    .flatMap((part) => {
      const range = parseMediaRange(part);
      return range === undefined || range.q === 0 ? [] : [range];
    })
    .sort((a, b) => b.q - a.q);
}

/** Whether the range accepts `type/subtype`, honouring `*` wildcards. */
export function acceptsMediaType(range: MediaRange, type: string, subtype: string): boolean {
  if (range.type === '*') return range.subtype === '*';
  return range.type === type && (range.subtype === '*' || range.subtype === subtype);
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [head = '', ...rest] = splitOutside(text, ';');
  const mediaType = head.trim().toLowerCase();
  // Go's parser, which kubectl's servers use, reads a bare `*` as `*/*`.
  const [type, subtype, extra] = mediaType === '*' ? ['*', '*'] : mediaType.split('/');
  if (type === undefined || subtype === undefined || extra !== undefined) return undefined;
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = unquote(param.slice(eq + 1).trim());
    if (name === 'q') {
      if (!WEIGHT.test(value)) return undefined;
      q = Number(value);
    } else if (name !== '') {
      params[name] = value;
    }
  }
  return { type, subtype, params, q };
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Splits on `separator` outside double-quoted strings. */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\') i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
