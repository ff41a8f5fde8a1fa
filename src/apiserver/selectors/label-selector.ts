import { type FieldError, formatFieldError, invalid } from '../schema/field-error.ts';
import { childPath, type FieldPath, keyPath } from '../schema/field-path.ts';
import { compareBytes } from '../schema/go-format.ts';
import { isQualifiedName, isValidLabelValue } from '../schema/k8s-names.ts';

/** apimachinery's selection.Operator values, as Requirement.Operator() reports them. */
export const LABEL_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'] as const;
export type LabelOperator = (typeof LABEL_OPERATORS)[number];

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** Requirements ANDed together, sorted by key; none selects everything. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
}

export type LabelSelectorResult = { ok: true; selector: LabelSelector } | { ok: false; message: string };

/**
 * Parses a label selector string exactly as labels.Parse: `a=b,c!=d,e in (x,y),!f,g>1`. The message is the
 * whole error text the API server returns with 400 BadRequest (`unable to parse requirement: …` and others).
 */
export function parseLabelSelector(text: string): LabelSelectorResult {
  const parsed = new LabelParser(lex(text)).parse();
  if (typeof parsed === 'string') return { ok: false, message: parsed };
  return { ok: true, selector: { requirements: sortByKey(parsed) } };
}

/** Whether labels (absent = none) satisfy every requirement. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return selector.requirements.every((r) => matchesRequirement(r, labels ?? {}));
}

export interface LabelSelectorRequirementObject {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | null | undefined;
}

export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>> | null | undefined;
  readonly matchExpressions?: readonly LabelSelectorRequirementObject[] | null | undefined;
}

/**
 * metav1.LabelSelectorAsSelector: matchLabels as `=` and matchExpressions (In, NotIn, Exists, DoesNotExist)
 * as requirements; an empty selector selects everything. Errors carry apimachinery's message.
 */
export function selectorFromLabelSelector(selector: LabelSelectorObject): LabelSelectorResult {
  const requirements: LabelRequirement[] = [];
  // Go walks matchLabels in random map order; sorting makes the reported error deterministic.
  for (const key of Object.keys(selector.matchLabels ?? {}).sort(compareBytes)) {
    const made = newRequirement(key, '=', [selector.matchLabels?.[key] ?? ''], undefined);
    if (typeof made === 'string') return { ok: false, message: made };
    requirements.push(made);
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = Object.hasOwn(EXPRESSION_OPERATORS, expression.operator)
      ? EXPRESSION_OPERATORS[expression.operator]
      : undefined;
    if (operator === undefined) {
      return { ok: false, message: `"${expression.operator}" is not a valid label selector operator` };
    }
    // Go copies the values with append([]string(nil), …), which leaves an empty list nil: `null` in messages.
    const values = expression.values && expression.values.length > 0 ? expression.values : null;
    const made = newRequirement(expression.key, operator, values, undefined);
    if (typeof made === 'string') return { ok: false, message: made };
    requirements.push(made);
  }
  return { ok: true, selector: { requirements: sortByKey(requirements) } };
}

/** Selector.String(): the canonical text, which parses back to the same selector. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements.map(formatRequirement).join(',');
}

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function sortByKey(requirements: readonly LabelRequirement[]): LabelRequirement[] {
  return [...requirements].sort((a, b) => compareBytes(a.key, b.key));
}

function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = has ? parseInt64(value as string) : undefined;
      const wanted = r.values.length === 1 ? parseInt64(r.values[0] as string) : undefined;
      if (actual === undefined || wanted === undefined) return false;
      return r.operator === 'gt' ? actual > wanted : actual < wanted;
    }
  }
}

function formatRequirement(r: LabelRequirement): string {
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareBytes).join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = BigInt(text);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** labels.NewRequirement: its validation errors as one aggregate message, or the requirement. */
function newRequirement(
  key: string,
  operator: LabelOperator,
  values: readonly string[] | null,
  path: FieldPath,
): LabelRequirement | string {
  const errors: FieldError[] = [];
  const keyError = validateLabelKey(key, childPath(path, 'key'));
  if (keyError) errors.push(keyError);
  const valuesPath = childPath(path, 'values');
  const count = values?.length ?? 0;
  switch (operator) {
    case 'in':
    case 'notin':
      if (count === 0)
        errors.push(invalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (count !== 1)
        errors.push(invalid(valuesPath, values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (count !== 0) {
        errors.push(invalid(valuesPath, values, 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (count !== 1) {
        errors.push(invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      (values ?? []).forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errors.push(
            invalid(keyPath(valuesPath, i), v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
  }
  (values ?? []).forEach((v, i) => {
    const valueErrors = isValidLabelValue(v);
    if (valueErrors.length > 0)
      errors.push(invalid(keyPath(keyPath(valuesPath, i), key), v, valueErrors.join('; ')));
  });
  if (errors.length > 0) return aggregate(errors.map(formatFieldError));
  return { key, operator, values: [...(values ?? [])] };
}

function validateLabelKey(key: string, path: FieldPath): FieldError | undefined {
  const errors = isQualifiedName(key);
  return errors.length === 0 ? undefined : invalid(path, key, errors.join('; '));
}

/** utilerrors.NewAggregate(...).Error(): duplicates dropped, several in brackets. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------------
// The lexer and recursive-descent parser of apimachinery's labels package; every message is theirs.

type Token =
  | 'error'
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'identifier'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Scanned {
  readonly token: Token;
  readonly literal: string;
}

const KEYWORDS: Readonly<Record<string, Token>> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};
const keyword = (s: string): Token | undefined => (Object.hasOwn(KEYWORDS, s) ? KEYWORDS[s] : undefined);

const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);
// Go's lexer reads a NUL byte as it reads the end of input: it ends a token, and at a token's start the selector.
const END = '\0';

function lex(input: string): Scanned[] {
  let pos = 0;
  const read = (): string => (pos < input.length ? (input[pos++] as string) : END);
  const items: Scanned[] = [];
  for (;;) {
    let c = read();
    while (isWhitespace(c)) c = read();
    if (c === END) {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    if (isSpecial(c)) {
      let buffer = c;
      let last: Scanned = { token: keyword(c) ?? 'error', literal: c };
      for (;;) {
        const next = read();
        if (next === END) break;
        if (!isSpecial(next)) {
          pos--;
          break;
        }
        const token = keyword(buffer + next);
        if (token === undefined) {
          pos--;
          break;
        }
        buffer += next;
        last = { token, literal: buffer };
      }
      items.push(last);
      continue;
    }
    let buffer = c;
    for (;;) {
      const next = read();
      if (next === END) break;
      if (isSpecial(next) || isWhitespace(next)) {
        pos--;
        break;
      }
      buffer += next;
    }
    items.push({ token: keyword(buffer) ?? 'identifier', literal: buffer });
  }
}

class LabelParser {
  private position = 0;

  constructor(private readonly items: readonly Scanned[]) {}

  parse(): LabelRequirement[] | string {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { token, literal } = this.lookahead(true);
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') {
        return `found '${literal}', expected: !, identifier, or 'end of string'`;
      }
      const requirement = this.parseRequirement();
      if (typeof requirement === 'string') return `unable to parse requirement: ${requirement}`;
      requirements.push(requirement);
      const after = this.consume(true);
      if (after.token === 'end') return requirements;
      if (after.token !== ',') return `found '${after.literal}', expected: ',' or 'end of string'`;
      const next = this.lookahead(true);
      if (next.token !== 'identifier' && next.token !== '!') {
        return `found '${next.literal}', expected: identifier after ','`;
      }
    }
  }

  private parseRequirement(): LabelRequirement | string {
    const head = this.parseKeyAndInferOperator();
    if (typeof head === 'string') return head;
    if (head.operator === 'exists' || head.operator === '!')
      return newRequirement(head.key, head.operator, [], undefined);
    const operator = this.parseOperator();
    if (!operator.ok) return operator.message;
    const values =
      operator.operator === 'in' || operator.operator === 'notin'
        ? this.parseValues()
        : this.parseExactValue();
    if (typeof values === 'string') return values;
    return newRequirement(head.key, operator.operator, [...values].sort(compareBytes), undefined);
  }

  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } | string {
    let operator: LabelOperator | undefined;
    let { token, literal } = this.consume(true);
    if (token === '!') {
      operator = '!';
      ({ token, literal } = this.consume(true));
    }
    if (token !== 'identifier') return `found '${literal}', expected: identifier`;
    const keyError = validateLabelKey(literal, undefined);
    if (keyError) return formatFieldError(keyError);
    const next = this.lookahead(true).token;
    if ((next === 'end' || next === ',') && operator !== '!') operator = 'exists';
    return { key: literal, operator };
  }

  private parseOperator(): { ok: true; operator: LabelOperator } | { ok: false; message: string } {
    const { token, literal } = this.consume(false);
    const operator = BINARY_OPERATORS[token];
    if (operator === undefined) {
      return { ok: false, message: `found '${literal}', expected: in, notin, =, ==, !=, gt, lt` };
    }
    return { ok: true, operator };
  }

  private parseValues(): Set<string> | string {
    const open = this.consume(true);
    if (open.token !== '(') return `found '${open.literal}' expected: '('`;
    const { token, literal } = this.lookahead(true);
    if (token === ')') {
      this.consume(true);
      return new Set(['']);
    }
    if (token !== 'identifier' && token !== ',')
      return `found '${literal}', expected: ',', ')' or identifier`;
    const values = this.parseIdentifiersList();
    if (typeof values === 'string') return values;
    if (this.consume(true).token !== ')') return `found '${literal}', expected: ')'`;
    return values;
  }

  private parseIdentifiersList(): Set<string> | string {
    const values = new Set<string>();
    for (;;) {
      const { token, literal } = this.consume(true);
      if (token === 'identifier') {
        values.add(literal);
        const next = this.lookahead(true);
        if (next.token === ',') continue;
        if (next.token === ')') return values;
        return `found '${next.literal}', expected: ',' or ')'`;
      }
      if (token !== ',') return `found '${literal}', expected: ',', or identifier`;
      if (values.size === 0) values.add('');
      const next = this.lookahead(true).token;
      if (next === ')') {
        values.add('');
        return values;
      }
      if (next === ',') values.add('');
    }
  }

  private parseExactValue(): Set<string> | string {
    const next = this.lookahead(true).token;
    if (next === 'end' || next === ',') return new Set(['']);
    const { token, literal } = this.consume(true);
    return token === 'identifier' ? new Set([literal]) : `found '${literal}', expected: identifier`;
  }

  /** In value position the keywords `in` and `notin` are plain identifiers. */
  private lookahead(values: boolean): Scanned {
    const item = this.items[this.position] ?? { token: 'end', literal: '' };
    return values && (item.token === 'in' || item.token === 'notin')
      ? { ...item, token: 'identifier' }
      : item;
  }

  private consume(values: boolean): Scanned {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }
}

const BINARY_OPERATORS: Partial<Record<Token, LabelOperator>> = {
  in: 'in',
  '=': '=',
  '==': '==',
  '>': 'gt',
  '<': 'lt',
  notin: 'notin',
  '!=': '!=',
};
