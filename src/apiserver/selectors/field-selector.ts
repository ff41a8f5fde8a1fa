import { compareBytes, goJson, goNumber } from '../schema/go-format.ts';
import { isJsonObject } from '../schema/json-schema.ts';

/** One term; `==` parses to `=`, as fields.Requirement reports it. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Terms ANDed together, in the order kube evaluates them (sorted by their text); none selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export type FieldSelectorResult = { ok: true; selector: FieldSelector } | { ok: false; message: string };

const OPERATORS = ['!=', '==', '='] as const;

/**
 * Parses a field selector exactly as fields.ParseSelector: `a=b,c!=d,e==f`, where a value escapes `\`, `,`
 * and `=` with a backslash. The message is the whole text of kube's 400 BadRequest.
 */
export function parseFieldSelector(text: string): FieldSelectorResult {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort(compareBytes)) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) return { ok: false, message: `invalid selector: '${text}'; can't understand '${term}'` };
    const value = unescapeValue(split.rhs);
    if (!value.ok) return value;
    requirements.push({
      field: split.lhs,
      operator: split.operator === '!=' ? '!=' : '=',
      value: value.value,
    });
  }
  return { ok: true, selector: { requirements } };
}

/** Whether every term holds, reading a field label's value (absent reads as ''). */
export function matchesFields(selector: FieldSelector, read: (label: string) => string | undefined): boolean {
  return selector.requirements.every((r) => ((read(r.field) ?? '') === r.value) === (r.operator === '='));
}

/**
 * The 400 message for the first term whose label the resource does not support (`field label not supported:
 * spec.foo`, as the scheme's field label conversion says), or undefined when all are supported.
 */
export function checkFieldLabels(selector: FieldSelector, allowed: readonly string[]): string | undefined {
  const unsupported = selector.requirements.find((r) => !allowed.includes(r.field));
  return unsupported && `field label not supported: ${unsupported.field}`;
}

/**
 * A field label's value in a decoded object as a CRD's selectable fields render it: the dotted path's value
 * with fmt.Sprint (strings as they are, numbers and booleans formatted), '' when absent or null.
 */
export function fieldValue(object: unknown, label: string): string {
  let value: unknown = object;
  for (const segment of label.split('.')) {
    if (!isJsonObject(value) || !Object.hasOwn(value, segment)) return '';
    value = value[segment];
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  // Selectable fields are validated to be strings, integers or booleans; anything else is shown as JSON.
  return goJson(value);
}

/** fields.EscapeValue: a literal value made safe inside a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Comma-separated terms; an escaped comma stays in its term, backslash included. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator in the term splits it: the field name has no escaping. */
function splitTerm(term: string): { lhs: string; operator: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const operator = OPERATORS.find((op) => term.startsWith(op, i));
    if (operator) return { lhs: term.slice(0, i), operator, rhs: term.slice(i + operator.length) };
  }
  return undefined;
}

function unescapeValue(text: string): { ok: true; value: string } | { ok: false; message: string } {
  let value = '';
  let inSlash = false;
  for (const c of text) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        return { ok: false, message: `invalid field selector: invalid escape sequence: \\${c}` };
      }
      value += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      // Go prints the offending rune with %v, which is its code point number.
      return {
        ok: false,
        message: `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`,
      };
    } else value += c;
  }
  if (inSlash) return { ok: false, message: 'invalid field selector: invalid escape sequence: \\' };
  return { ok: true, value };
}
