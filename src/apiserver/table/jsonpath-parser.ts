export interface SliceParam {
  readonly value: number;
  readonly known: boolean;
  readonly derived: boolean;
}

export type ListNode = { readonly type: 'list'; readonly nodes: readonly JsonPathNode[] };

/** A node of client-go's util/jsonpath syntax tree; error messages of the parser below are client-go's. */
export type JsonPathNode =
  | ListNode
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'identifier'; readonly name: string }
  | { readonly type: 'array'; readonly params: readonly [SliceParam, SliceParam, SliceParam] }
  | { readonly type: 'filter'; readonly left: ListNode; readonly right: ListNode; readonly operator: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'union'; readonly nodes: readonly ListNode[] };

type MutableList = { type: 'list'; nodes: JsonPathNode[] };
const EOF = '';
const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
// `[^\n]` where Go writes `.`: Go's dot matches every character but a newline, JavaScript's misses \r too.
const FILTER = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Parses a whole template (`{.a.b} text {.c}`): its top-level nodes, or client-go's error message. */
export function parseTemplate(text: string): JsonPathNode[] | string {
  const parser = new Parser(text);
  const error = parser.parseText();
  return error ?? parser.root;
}

/** parseAction: the first node of `{text}`, always a list. */
function parseAction(text: string): ListNode | string {
  const parsed = parseTemplate(`{${text}}`);
  return typeof parsed === 'string' ? parsed : (parsed[0] as ListNode);
}

class Parser {
  readonly root: JsonPathNode[] = [];
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  parseText(): string | undefined {
    for (;;) {
      const open = this.input.indexOf('{', this.pos);
      if (open < 0) {
        this.pos = this.input.length;
        if (this.pos > this.start) this.root.push({ type: 'text', text: this.consumeText() });
        return undefined;
      }
      this.pos = open;
      if (this.pos > this.start) this.root.push({ type: 'text', text: this.consumeText() });
      this.pos += 1;
      this.consumeText();
      const list: MutableList = { type: 'list', nodes: [] };
      this.root.push(list);
      const error = this.parseInsideAction(list);
      if (error !== undefined) return error;
    }
  }

  /** Tokens up to and including the closing `}`. */
  private parseInsideAction(cur: MutableList): string | undefined {
    for (;;) {
      const rest = this.input.slice(this.pos);
      let error: string | undefined;
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        return undefined;
      } else if (rest.startsWith('[?(')) error = this.parseFilter(cur);
      else if (rest.startsWith('..')) error = this.parseRecursive(cur);
      else {
        const r = this.next();
        if (r === EOF || isEndOfLine(r)) return 'unclosed action';
        if (r === ' ' || r === '@' || r === '$') this.consumeText();
        else if (r === '[') error = this.parseArray(cur);
        else if (r === '"' || r === "'") error = this.parseQuote(cur, r);
        else if (r === '.') error = this.parseField(cur);
        else if (r === '+' || r === '-' || isDigit(r)) {
          this.backup();
          error = this.parseNumber(cur);
        } else if (isAlphaNumeric(r)) {
          this.backup();
          this.parseIdentifier(cur);
        } else return `unrecognized character in action: ${goUnicode(r)}`;
      }
      if (error !== undefined) return error;
    }
  }

  private parseIdentifier(cur: MutableList): void {
    while (!isTerminator(this.next()));
    this.backup();
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
  }

  private parseRecursive(cur: MutableList): string | undefined {
    if (cur.nodes.at(-1)?.type === 'recursive') return 'invalid multiple recursive descent';
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    return isAlphaNumeric(this.peek()) ? this.parseField(cur) : undefined;
  }

  private parseNumber(cur: MutableList): string | undefined {
    const sign = this.peek();
    if (sign === '+' || sign === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r !== '.' && !isDigit(r)) break;
    }
    this.backup();
    const value = this.consumeText();
    const int = goAtoi(value);
    if (int !== undefined) cur.nodes.push({ type: 'int', value: int });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) && Number.isFinite(Number(value))) {
      cur.nodes.push({ type: 'float', value: Number(value) });
    } else return `cannot parse number ${value}`;
    return undefined;
  }

  private parseArray(cur: MutableList): string | undefined {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') return 'unterminated array';
      if (r === ']') break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      const union: ListNode[] = [];
      for (const part of parts) {
        const list = parseAction(`[${trimSpaces(part)}]`);
        if (typeof list === 'string') return list;
        union.push(list);
      }
      cur.nodes.push({ type: 'union', nodes: union });
      return undefined;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      // A bracketed key is re-read as `.key`, so `['a.b']` means `.a.b`, as in client-go.
      const list = parseAction(`.${key[1]}`);
      if (typeof list === 'string') return list;
      cur.nodes.push(...list.nodes);
      return undefined;
    }
    const slice = SLICE.exec(text);
    if (!slice) return `invalid array index ${text}`;
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      let part = slice[i + 1] ?? '';
      if (part === '') {
        const first = params[0]?.value ?? 0;
        params.push(i === 1 ? { value: first + 1, known: true, derived: true } : UNKNOWN);
        continue;
      }
      if (i > 0) part = part.slice(1);
      if (i > 0 && part === '') {
        params.push(UNKNOWN);
        continue;
      }
      const value = goAtoi(part);
      if (value === undefined) return `array index ${part} is not a number`;
      params.push({ value, known: true, derived: false });
    }
    cur.nodes.push({ type: 'array', params: params as [SliceParam, SliceParam, SliceParam] });
    return undefined;
  }

  private parseFilter(cur: MutableList): string | undefined {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') return 'unterminated filter';
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
        } else if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') return 'unclosed array expect ]';
    const text = this.consumeText().slice(0, -2);
    const parts = FILTER.exec(text);
    if (!parts) {
      const left = parseAction(text);
      if (typeof left === 'string') return left;
      cur.nodes.push({ type: 'filter', left, right: { type: 'list', nodes: [] }, operator: 'exists' });
      return undefined;
    }
    const left = parseAction(parts[1] ?? '');
    if (typeof left === 'string') return left;
    const right = parseAction(parts[3] ?? '');
    if (typeof right === 'string') return right;
    cur.nodes.push({ type: 'filter', left, right, operator: parts[2] ?? '' });
    return undefined;
  }

  private parseQuote(cur: MutableList, quote: string): string | undefined {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') return 'unterminated quoted string';
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    const text = unquoteExtend(value);
    if (text === undefined) return `unquote string ${value} error invalid syntax`;
    cur.nodes.push({ type: 'text', text });
    return undefined;
  }

  private parseField(cur: MutableList): undefined {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === '\\') this.next();
      else if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    cur.nodes.push(
      value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') },
    );
    return undefined;
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos) ?? 0);
    this.width = r.length;
    this.pos += this.width;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }
}

const UNKNOWN: SliceParam = { value: 0, known: false, derived: false };

const isSpace = (r: string): boolean => r === ' ' || r === '\t';
const isEndOfLine = (r: string): boolean => r === '\r' || r === '\n';
const isDigit = (r: string): boolean => /^\p{Nd}$/u.test(r);
const isAlphaNumeric = (r: string): boolean => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const isTerminator = (r: string): boolean =>
  isSpace(r) || isEndOfLine(r) || r === EOF || '.,[]$@{}'.includes(r);
const trimSpaces = (s: string): string => s.replace(/^ +| +$/g, '');

/** Go's strconv.Atoi on a 64-bit platform. */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : Number(n);
}

/** fmt's %#U: `U+002A '*'`, the quoted character only when Go considers it printable. */
function goUnicode(r: string): string {
  const code = `U+${(r.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(r) ? `${code} '${r}'` : code;
}

/** client-go's UnquoteExtend: strconv.Unquote that also takes single quotes; undefined for invalid syntax. */
function unquoteExtend(quoted: string): string | undefined {
  const quote = quoted[0];
  if (quoted.length < 2 || quote !== quoted.at(-1) || (quote !== '"' && quote !== "'")) return undefined;
  const s = quoted.slice(1, -1);
  if (!s.includes('\\') && !s.includes(quote)) return s;
  let out = '';
  const chars = [...s];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i] as string;
    if (c === quote) return undefined;
    if (c !== '\\') {
      out += c;
      i += 1;
      continue;
    }
    const escaped = chars[i + 1];
    if (escaped === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[escaped];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (escaped === "'" || escaped === '"') {
      if (escaped !== quote) return undefined;
      out += escaped;
      i += 2;
    } else if (escaped === 'x' || escaped === 'u' || escaped === 'U') {
      const n = escaped === 'x' ? 2 : escaped === 'u' ? 4 : 8;
      const digits = chars.slice(i + 2, i + 2 + n).join('');
      if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      const v = Number.parseInt(digits, 16);
      if (escaped !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) return undefined;
      out += rawByteOrRune(v, escaped === 'x');
      i += 2 + n;
    } else if (escaped >= '0' && escaped <= '7') {
      const digits = chars.slice(i + 1, i + 4).join('');
      if (!/^[0-7]{3}$/.test(digits)) return undefined;
      const v = Number.parseInt(digits, 8);
      if (v > 255) return undefined;
      out += rawByteOrRune(v, true);
      i += 4;
    } else return undefined;
  }
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

// Go appends \x and octal escapes as raw bytes; one above 0x7f is invalid UTF-8, which JSON shows as U+FFFD.
const rawByteOrRune = (v: number, byte: boolean): string =>
  byte && v > 0x7f ? '\ufffd' : String.fromCodePoint(v);
