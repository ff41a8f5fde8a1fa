import { compareBytes, isGoInt } from '../schema/go-format.ts';
import { type JsonPathNode, type ListNode, parseTemplate, type SliceParam } from './jsonpath-parser.ts';

export type { JsonPathNode, ListNode, SliceParam } from './jsonpath-parser.ts';

/** A parsed printer-column path: the template `{<path>}`, as the CRD table convertor builds it. */
export interface JsonPath {
  readonly source: string;
  readonly nodes: readonly JsonPathNode[];
}

export type JsonPathParse = { ok: true; path: JsonPath } | { ok: false; message: string };

/**
 * Parses a printer column's JSONPath (`.status.conditions[?(@.type=="Ready")].status`) exactly as the CRD
 * table convertor does, wrapping it in `{…}`; the message is client-go's parser error.
 */
export function parseJsonPath(text: string): JsonPathParse {
  const parsed = parseTemplate(`{${text}}`);
  return typeof parsed === 'string'
    ? { ok: false, message: parsed }
    : { ok: true, path: { source: text, nodes: parsed } };
}

/**
 * The values the path finds in a decoded JSON object, missing keys allowed (FindResults' first result list).
 * An evaluation error (index out of range, comparing a string with a number…) yields no values, as a
 * printer column shows it.
 */
export function evaluate(path: JsonPath, object: unknown): unknown[] {
  const lists: Value[][] = [];
  for (const node of path.nodes) {
    const [values, error] = walk([object], node);
    if (error !== undefined) return [];
    lists.push(values);
  }
  return (lists[0] ?? []).map((v) => (v instanceof FloatLiteral ? v.value : v));
}

/** A float literal of the path: a float even when integral, which Go's comparisons distinguish from an int. */
class FloatLiteral {
  constructor(readonly value: number) {}
}

type Value = unknown;
/** The values and the error of one step; Go returns partial values alongside errors, and filters look at them. */
type Step = [Value[], string | undefined];

function walk(input: Value[], node: JsonPathNode): Step {
  switch (node.type) {
    case 'list':
      return evalList(input, node);
    case 'text':
      return [[node.text], undefined];
    case 'field':
      return evalField(input, node.name);
    case 'array':
      return evalArray(input, node.params);
    case 'filter':
      return evalFilter(input, node);
    case 'int':
    case 'bool':
      return [input.map(() => node.value), undefined];
    case 'float':
      return [input.map(() => new FloatLiteral(node.value)), undefined];
    case 'wildcard':
      return [input.flatMap(children), undefined];
    case 'recursive':
      return [evalRecursive(input), undefined];
    case 'union':
      return evalUnion(input, node.nodes);
    case 'identifier':
      // `range` and `end` only mean something in multi-action templates, never in a printer column.
      if (node.name === 'end') return [[], 'not in range, nothing to end'];
      return [input, `unrecognized identifier ${node.name}`];
  }
}

function evalList(input: Value[], list: ListNode): Step {
  let current = input;
  for (const node of list.nodes) {
    const [values, error] = walk(current, node);
    if (error !== undefined) return [values, error];
    current = values;
  }
  return [current, undefined];
}

const isObject = (v: Value): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof FloatLiteral);

function evalField(input: Value[], name: string): Step {
  const results: Value[] = [];
  for (const value of input) {
    if (isObject(value) && Object.hasOwn(value, name)) results.push(value[name]);
  }
  return [results, undefined];
}

function evalArray(input: Value[], params: readonly [SliceParam, SliceParam, SliceParam]): Step {
  const results: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) return [input, 'not an array or slice'];
    const length = value.length;
    let start = params[0].known ? params[0].value : 0;
    if (start < 0) start += length;
    let end = params[1].known ? params[1].value : length;
    if (end < 0 || (end === 0 && params[1].derived)) end += length;
    if (end === start) return [results, undefined];
    if (start >= length || start < 0) {
      return [input, `array index out of bounds: index ${start}, length ${length}`];
    }
    if (end > length || end < 0)
      return [input, `array index out of bounds: index ${end - 1}, length ${length}`];
    if (start > end) return [input, `starting index ${start} is greater than ending index ${end}`];
    let step = 1;
    if (params[2].known) {
      if (params[2].value <= 0) return [input, 'step must be > 0'];
      step = params[2].value;
    }
    for (let i = start; i < end; i += step) results.push(value[i]);
  }
  return [results, undefined];
}

function evalUnion(input: Value[], lists: readonly ListNode[]): Step {
  const results: Value[] = [];
  for (const list of lists) {
    const [values, error] = evalList(input, list);
    if (error !== undefined) return [input, error];
    results.push(...values);
  }
  return [results, undefined];
}

/** What `*` and `..` descend into: map values (in Go's random order; here sorted by key), items, a string's bytes. */
function children(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  if (isObject(value))
    return Object.keys(value)
      .sort(compareBytes)
      .map((k) => value[k]);
  if (typeof value === 'string') return [...new TextEncoder().encode(value)];
  return [];
}

function evalRecursive(input: Value[]): Value[] {
  const results: Value[] = [];
  for (const value of input) {
    const inner = children(value);
    if (inner.length === 0) continue;
    results.push(value, ...evalRecursive(inner));
  }
  return results;
}

function evalFilter(input: Value[], node: Extract<JsonPathNode, { type: 'filter' }>): Step {
  const results: Value[] = [];
  for (const value of input) {
    if (!Array.isArray(value)) return [input, 'not an array or slice and cannot be filtered'];
    for (const item of value) {
      const [lefts, leftError] = evalList([item], node.left);
      if (node.operator === 'exists') {
        if (lefts.length > 0) results.push(item);
        continue;
      }
      if (leftError !== undefined) return [input, leftError];
      if (lefts.length === 0) continue;
      if (lefts.length > 1) return [input, 'can only compare one element at a time'];
      const [rights, rightError] = evalList([item], node.right);
      if (rightError !== undefined) return [input, rightError];
      if (rights.length === 0) continue;
      if (rights.length > 1) return [input, 'can only compare one element at a time'];
      const pass = compare(node.operator, lefts[0], rights[0]);
      if (typeof pass === 'string') return [results, pass];
      if (pass) results.push(item);
    }
  }
  return [results, undefined];
}

// text/template's comparison functions, as client-go forks them: kinds must match exactly.
type Basic = { kind: 'bool' | 'int' | 'float' | 'string'; value: boolean | number | string };

function basic(value: Value): Basic | undefined {
  if (value instanceof FloatLiteral) return { kind: 'float', value: value.value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: isGoInt(value) ? 'int' : 'float', value };
  return undefined;
}

const BAD_TYPE = 'invalid type for comparison';
const BAD_COMPARISON = 'incompatible types for comparison';

function equal(a: Value, b: Value): boolean | string {
  const x = basic(a);
  const y = basic(b);
  if (!x || !y) return BAD_TYPE;
  if (x.kind !== y.kind) return BAD_COMPARISON;
  return x.value === y.value;
}

function less(a: Value, b: Value): boolean | string {
  const x = basic(a);
  const y = basic(b);
  if (!x || !y) return BAD_TYPE;
  if (x.kind !== y.kind) return BAD_COMPARISON;
  if (x.kind === 'bool') return BAD_TYPE;
  if (x.kind === 'string') return compareBytes(x.value as string, y.value as string) < 0;
  return (x.value as number) < (y.value as number);
}

function compare(operator: string, a: Value, b: Value): boolean | string {
  switch (operator) {
    case '==':
      return equal(a, b);
    case '!=': {
      const eq = equal(a, b);
      return typeof eq === 'string' ? eq : !eq;
    }
    case '<':
      return less(a, b);
    case '>=': {
      const lt = less(a, b);
      return typeof lt === 'string' ? lt : !lt;
    }
    case '<=':
      return lessEqual(a, b);
    case '>': {
      const le = lessEqual(a, b);
      return typeof le === 'string' ? le : !le;
    }
    default:
      return `unrecognized filter operator ${operator}`;
  }
}

function lessEqual(a: Value, b: Value): boolean | string {
  const lt = less(a, b);
  return lt === true || typeof lt === 'string' ? lt : equal(a, b);
}
