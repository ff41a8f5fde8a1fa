import { MAX_JSON_DEPTH } from '../schema/json-value.ts';

export type StrictJsonResult =
  | { readonly ok: true; readonly value: unknown; readonly duplicates: readonly string[] }
  | { readonly ok: false; readonly message: string };

/**
 * JSON.parse that also reports duplicate keys (by field path, as kube's strict decoder names them), refuses
 * `__proto__` keys outright (they would rewrite an object's prototype wherever the body is spread or merged)
 * and refuses nesting deeper than MAX_JSON_DEPTH instead of overflowing the stack.
 */
export function parseStrictJson(text: string): StrictJsonResult {
  const parser = new Parser(text);
  try {
    parser.skipWhitespace();
    const value = parser.value('', 0);
    parser.skipWhitespace();
    if (parser.at < text.length) parser.fail('invalid character after top-level value');
    return { ok: true, value, duplicates: parser.duplicates };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message };
    throw error;
  }
}

class JsonSyntaxError extends Error {}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  at = 0;
  readonly duplicates: string[] = [];
  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new JsonSyntaxError(`${message} at offset ${this.at}`);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.at < t.length) {
      const c = t.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.at++;
    }
  }

  value(path: string, depth: number): unknown {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    const c = this.text[this.at];
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.fail(
      c === undefined ? 'unexpected end of JSON input' : `invalid character ${JSON.stringify(c)}`,
    );
  }

  object(path: string, depth: number): Record<string, unknown> {
    this.at++;
    const out: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.fail('expected a string key');
      const key = this.string();
      if (key === '__proto__') this.fail('the key "__proto__" is not allowed');
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail("expected ':' after an object key");
      this.at++;
      this.skipWhitespace();
      const child = path === '' ? key : `${path}.${key}`;
      const value = this.value(child, depth + 1);
      if (Object.hasOwn(out, key)) this.duplicates.push(child);
      out[key] = value;
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === '}') return out;
      if (next !== ',') this.fail("expected ',' or '}' in an object");
    }
  }

  array(path: string, depth: number): unknown[] {
    this.at++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.value(`${path}[${out.length}]`, depth + 1));
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === ']') return out;
      if (next !== ',') this.fail("expected ',' or ']' in an array");
    }
  }

  string(): string {
    const t = this.text;
    const start = ++this.at;
    let plain = true;
    for (;;) {
      const c = t.charCodeAt(this.at);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) this.fail('control character in a string');
      if (c === 0x5c) {
        plain = false;
        this.at += 2;
        continue;
      }
      this.at++;
    }
    const raw = t.slice(start, this.at);
    this.at++;
    return plain ? raw : this.unescape(raw);
  }

  unescape(raw: string): string {
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = raw[++i];
      if (e === 'u') {
        const hex = raw.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 4;
      } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) out += ESCAPES[e];
      else this.fail('invalid escape in a string');
    }
    return out;
  }

  number(): number {
    const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = this.at;
    const m = match.exec(this.text);
    if (!m) this.fail('invalid number');
    this.at += m[0].length;
    return Number(m[0]);
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail(`invalid literal, expected ${word}`);
    this.at += word.length;
    return value;
  }
}
