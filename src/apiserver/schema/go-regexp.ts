export type CompiledPattern =
  | { readonly ok: true; readonly re: RegExp }
  | { readonly ok: false; readonly error: string };

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');

/** Patterns come from installed schemas, so there are few of them and each is checked many times. */
const compiled = new Map<string, CompiledPattern>();
const MAX_COMPILED = 4096;

/**
 * A Go (RE2) pattern, as CRD `pattern`s are written, as an equivalent JavaScript RegExp; compiled once per
 * pattern. The RegExp has no `g` or `y` flag, so `test` keeps no state between callers.
 */
export function compileGoRegexp(pattern: string): CompiledPattern {
  let found = compiled.get(pattern);
  if (found === undefined) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    found = translate(pattern);
    compiled.set(pattern, found);
  }
  return found;
}

function translate(pattern: string): CompiledPattern {
  let source = '';
  let flags = 'u';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    i = lead[0].length;
  }
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) return { ok: false, error: 'trailing backslash at end of expression: ``' };
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end === -1 ? undefined : end);
        source += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? pattern.length : end + 2;
        continue;
      }
      if (!inClass && n === 'z') source += '$';
      else if (!inClass && n === 'A') source += '^';
      else if (/[0-9A-Za-z]/.test(n)) source += `\\${n}`;
      else if (JS_SYNTAX.has(n) || (inClass && n === '-')) source += `\\${n}`;
      else source += n;
      i += 2;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (posix && POSIX_CLASSES[posix[2]!] !== undefined && posix[1] === '') {
        source += POSIX_CLASSES[posix[2]!];
        i += posix[0].length;
        continue;
      }
      if (c === ']') inClass = false;
      source += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      source += c;
      i++;
      if (pattern[i] === '^') {
        source += '^';
        i++;
      }
      if (pattern[i] === ']') {
        source += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P<', i)) {
      source += '(?<';
      i += 4;
      continue;
    }
    if (c === '{') {
      const repeat = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      source += repeat ? repeat[0] : '\\{';
      i += repeat ? repeat[0].length : 1;
      continue;
    }
    source += c === ']' || c === '}' ? `\\${c}` : c;
    i++;
  }
  try {
    return { ok: true, re: new RegExp(source, flags) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: `error parsing regexp: ${message.replace(/^Invalid regular expression: /, '')}`,
    };
  }
}
