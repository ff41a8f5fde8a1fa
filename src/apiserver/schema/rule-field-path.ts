import { childPath, type FieldPath, keyPath } from './field-path.ts';
import { additionalPropertiesSchema, type JsonSchemaProps } from './json-schema.ts';

export type RuleFieldPath =
  | { readonly ok: true; readonly path: string; readonly schema: JsonSchemaProps | undefined }
  | { readonly ok: false; readonly error: string };

function tokenize(jsonPath: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < jsonPath.length) {
    if (jsonPath[i] === "'") {
      let j = i + 1;
      while (j < jsonPath.length && !(jsonPath[j] === "'" && jsonPath[j - 1] !== '\\')) j++;
      tokens.push(jsonPath.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if ('.[]'.includes(jsonPath[i]!)) {
      tokens.push(jsonPath[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < jsonPath.length && !'.[]'.includes(jsonPath[j]!)) j++;
    tokens.push(jsonPath.slice(i, j));
    i = j;
  }
  return tokens;
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  "'": "'",
  '\\': '\\',
};

function unescapeSingleQuote(s: string): { ok: true; value: string } | { ok: false; error: string } {
  let error: string | undefined;
  const value = s.replace(/\\./g, (m) => {
    const r = ESCAPES[m[1]!];
    if (r === undefined) error ??= `invalid escape char ${m}`;
    return r ?? '';
  });
  return error === undefined ? { ok: true, value } : { ok: false, error };
}

/** cel.ValidFieldPath: a rule's fieldPath (`.spec.ports`, `['a.b']`) as a field path under the rule's schema. */
export function parseRuleFieldPath(jsonPath: string, schema: JsonSchemaProps): RuleFieldPath {
  let path: FieldPath;
  let current: JsonSchemaProps | undefined = schema;
  const step = (name: string): string | undefined => {
    const props = current?.properties;
    if (props && Object.keys(props).length > 0) {
      path = childPath(path, name);
      if (!Object.hasOwn(props, name)) return 'does not refer to a valid field';
      current = props[name];
    } else if (current?.additionalProperties !== undefined) {
      path = keyPath(path, name);
      current = additionalPropertiesSchema(current);
    } else return 'does not refer to a valid field';
    return undefined;
  };
  const tokens = tokenize(jsonPath);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === '[') {
      const quoted = tokens[++i];
      if (quoted === undefined) return { ok: false, error: 'unexpected end of JSON path' };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) {
        return { ok: false, error: `expected single quoted string but got ${quoted}` };
      }
      const name = unescapeSingleQuote(quoted.slice(1, -1));
      if (!name.ok) return { ok: false, error: `invalid string literal: ${name.error}` };
      const problem = step(name.value);
      if (problem) return { ok: false, error: problem };
      const close = tokens[++i];
      if (close === undefined) return { ok: false, error: 'unexpected end of JSON path' };
      if (close !== ']') return { ok: false, error: `expected ] but got ${close}` };
    } else if (tok === '.') {
      const name = tokens[++i];
      if (name === undefined) return { ok: false, error: 'unexpected end of JSON path' };
      const problem = step(name);
      if (problem) return { ok: false, error: problem };
    } else return { ok: false, error: `expected [ or . but got: ${tok}` };
  }
  return { ok: true, path: path ?? '<nil>', schema: current };
}

/** Whether a CEL rule refers to `oldSelf` (a transition rule), looking past string literals. */
export function usesOldSelf(rule: string): boolean {
  let known = oldSelfUse.get(rule);
  if (known === undefined) {
    known = scanForOldSelf(rule);
    oldSelfUse.set(rule, known);
  }
  return known;
}

const oldSelfUse = new Map<string, boolean>();

function scanForOldSelf(rule: string): boolean {
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    if (c === '"' || c === "'") {
      const raw = i > 0 && /[rR]/.test(rule[i - 1]!) && !/[\w]/.test(rule[i - 2] ?? '');
      const triple = rule.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      i += end.length;
      while (i < rule.length && !rule.startsWith(end, i)) i += rule[i] === '\\' && !raw ? 2 : 1;
      i += end.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < rule.length && /\w/.test(rule[j]!)) j++;
      const prev = rule.slice(0, i).trimEnd();
      if (rule.slice(i, j) === 'oldSelf' && !prev.endsWith('.')) return true;
      i = j;
      continue;
    }
    i++;
  }
  return false;
}
