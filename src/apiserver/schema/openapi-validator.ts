import {
  type FieldError,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field-error.ts';
import { childPath, type FieldPath } from './field-path.ts';
import { goFloat, goJson, goNumber, goQuote, isGoInt } from './go-format.ts';
import { compileGoRegexp } from './go-regexp.ts';
import type { JsonSchemaProps } from './json-schema.ts';
import { deepEqual } from './json-value.ts';
import { type SchemaFacts, schemaFacts } from './schema-facts.ts';

/** Format checkers by name; a problem message (or any string) means the value does not match. */
/** Format name → a check returning undefined when valid, else what is wrong (shown after Kubernetes' own sentence). */
export type FormatCheckers = Readonly<Record<string, (value: string) => string | undefined>>;

type Code = 'type' | 'required' | 'tooLong' | 'enum' | 'maxItems' | 'tooManyProperties' | 'other';

interface SchemaFailure {
  readonly code: Code;
  readonly name: string;
  readonly value: unknown;
  readonly message: string;
  readonly limit?: number;
  readonly values?: readonly unknown[];
}

interface PlainFailure {
  readonly code: 'plain';
  readonly message: string;
}

type Failure = SchemaFailure | PlainFailure;

interface Result {
  readonly errors: Failure[];
  matchCount: number;
}

function newResult(matchCount = 0): Result {
  return { errors: [], matchCount };
}

function single(f: Failure): Result {
  return { errors: [f], matchCount: 0 };
}

/** One passed check; results are only ever read once returned, so this one is shared (and frozen). */
const PASSED: Result = Object.freeze({ errors: Object.freeze([]) as unknown as Failure[], matchCount: 1 });

function addError(r: Result, f: Failure): void {
  for (const e of r.errors) if (e.message === f.message) return;
  r.errors.push(f);
}

function addErrors(r: Result, failures: readonly Failure[]): void {
  for (const f of failures) addError(r, f);
}

function merge(r: Result, other: Result | undefined): Result {
  if (other === undefined) return r;
  if (other.errors.length > 0) addErrors(r, other.errors);
  r.matchCount += other.matchCount;
  return r;
}

type Kind = 'null' | 'bool' | 'string' | 'int' | 'float' | 'slice' | 'map';

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

const SCHEMA_INFO: Readonly<Record<Exclude<Kind, 'null'>, readonly [string, string]>> = {
  bool: ['boolean', ''],
  string: ['string', ''],
  int: ['integer', 'int64'],
  float: ['number', 'float64'],
  slice: ['array', ''],
  map: ['object', ''],
};

interface Env {
  readonly formats: FormatCheckers;
}

type FormatChecker = (value: string) => string | undefined;

function normalizeFormat(name: string): string {
  return name.replaceAll('-', '');
}

/** Checkers found by format name, per set of checkers: a schema names few formats and checks them often. */
const checkersByName = new WeakMap<FormatCheckers, Map<string, FormatChecker | null>>();

function formatChecker(env: Env, name: string): FormatChecker | undefined {
  if (name === '') return undefined;
  let byName = checkersByName.get(env.formats);
  if (byName === undefined) {
    byName = new Map();
    checkersByName.set(env.formats, byName);
  }
  let checker = byName.get(name);
  if (checker === undefined) {
    checker = findFormatChecker(env.formats, name) ?? null;
    byName.set(name, checker);
  }
  return checker ?? undefined;
}

function findFormatChecker(formats: FormatCheckers, name: string): FormatChecker | undefined {
  const direct = formats[name];
  if (direct) return direct;
  const wanted = normalizeFormat(name);
  const key = Object.keys(formats).find((k) => normalizeFormat(k) === wanted);
  return key === undefined ? undefined : formats[key];
}

function effectiveFormat(s: JsonSchemaProps, types: readonly string[], env: Env): string {
  const format = s.format ?? '';
  if (format === '') return '';
  switch (types.length === 1 ? types[0] : '') {
    case '':
    case 'string':
      return formatChecker(env, format) ? format : '';
    case 'integer':
      return format === 'int32' || format === 'int64' ? format : '';
    case 'number':
      return format === 'float' || format === 'double' ? format : '';
    default:
      return '';
  }
}

const invalidType = (name: string, typeName: string, value: string): SchemaFailure => ({
  code: 'type',
  name,
  value,
  message: `${name} in body must be of type ${typeName}: ${goQuote(value)}`,
});

function isJsonInteger(f: number): boolean {
  if (!Number.isFinite(f) || f < -(2 ** 53) || f > 2 ** 53) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  const diff = Math.abs(f - g);
  if (g === 0 || diff < Number.MIN_VALUE) return diff < 1e-9 * Number.MIN_VALUE;
  return diff / Math.min(Math.abs(f) + Math.abs(g), Number.MAX_VALUE) < 1e-9;
}

// Each check that applies counts one match whatever it finds, as kube-openapi's validator chain does.
function step(result: Result, outcome: Result | undefined): void {
  merge(result, outcome);
  result.matchCount++;
}

function validateNode(s: JsonSchemaProps, data: unknown, path: string, env: Env): Result {
  const result = newResult();
  const facts = schemaFacts(s);
  const types = facts.types;
  const format = s.format === undefined || s.format === '' ? '' : effectiveFormat(s, types, env);
  if (data === null || data === undefined) {
    merge(result, typeCheck(s, types, format, data, path));
    merge(result, enumCheck(s, data, path));
    return result;
  }
  const kind = kindOf(data);
  if (types.length > 0 || format !== '') step(result, typeCheck(s, types, format, data, path));
  step(result, facts.combinators ? combinators(s, data, path, env) : PASSED);
  if (kind === 'string') {
    step(result, stringCheck(s, facts, data as string, path));
    if (format !== '' && formatChecker(env, format))
      step(result, formatCheck(format, data as string, path, env));
  }
  if (kind === 'int' || kind === 'float') step(result, numberCheck(s, types, format, data as number, path));
  if (kind === 'slice') step(result, sliceCheck(s, facts, data as unknown[], path, env));
  step(result, enumCheck(s, data, path));
  if (kind === 'map') step(result, objectCheck(s, facts, data as Record<string, unknown>, path, env));
  result.matchCount++;
  return result;
}

function typeCheck(
  s: JsonSchemaProps,
  types: readonly string[],
  tFormat: string,
  data: unknown,
  path: string,
): Result {
  const ok = PASSED;
  const kind = kindOf(data);
  if (kind === 'null') {
    if (types.length > 0 && !types.includes('null') && !s.nullable) {
      return single(invalidType(path, types.join(','), 'null'));
    }
    return ok;
  }
  const [schType, format] = SCHEMA_INFO[kind];
  // A value of a listed type passes whatever the format, as every branch below agrees.
  if (types.includes(schType)) return ok;
  const isFloatInt = schType === 'number' && isJsonInteger(data as number) && types.includes('integer');
  const isIntFloat = schType === 'integer' && types.includes('number');
  const matches = isFloatInt || isIntFloat;
  if (kind !== 'string' && kind !== 'slice' && tFormat !== '' && !(matches || format === tFormat)) {
    return single(invalidType(path, tFormat, format));
  }
  if (!(types.includes('number') || types.includes('integer')) && tFormat !== '') {
    if (kind === 'string' || kind === 'slice') return ok;
  }
  if (!matches) return single(invalidType(path, types.join(','), schType));
  return ok;
}

function combinators(s: JsonSchemaProps, data: unknown, path: string, env: Env): Result {
  if (!s.anyOf?.length && !s.oneOf?.length && !s.allOf?.length && !s.not) return PASSED;
  const main = newResult();
  const quoted = goQuote(path);

  if (s.anyOf && s.anyOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let succeeded = false;
    for (const sub of s.anyOf) {
      const r = validateNode(sub, data, path, env);
      if (r.errors.length === 0) {
        best = undefined;
        succeeded = true;
        firstSuccess ??= r;
        break;
      }
      if (best === undefined || r.matchCount > best.matchCount) best = r;
    }
    if (!succeeded) addErrors(main, [plain(`${quoted} must validate at least one schema (anyOf)`)]);
    merge(main, best ?? firstSuccess);
  }

  if (s.oneOf && s.oneOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let validated = 0;
    for (const sub of s.oneOf) {
      const r = validateNode(sub, data, path, env);
      if (r.errors.length === 0) {
        validated++;
        best = undefined;
        firstSuccess ??= r;
        continue;
      }
      if (validated === 0 && (best === undefined || r.matchCount > best.matchCount)) best = r;
    }
    if (validated !== 1) {
      const detail = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      addErrors(main, [plain(`${quoted} must validate one and only one schema (oneOf). ${detail}`)]);
      merge(main, best);
    } else merge(main, firstSuccess);
  }

  if (s.allOf && s.allOf.length > 0) {
    let validated = 0;
    for (const sub of s.allOf) {
      const r = validateNode(sub, data, path, env);
      if (r.errors.length === 0) validated++;
      merge(main, r);
    }
    if (validated !== s.allOf.length) {
      const detail = validated === 0 ? '. None validated' : '';
      addErrors(main, [plain(`${quoted} must validate all the schemas (allOf)${detail}`)]);
    }
  }

  if (s.not && validateNode(s.not, data, path, env).errors.length === 0) {
    addErrors(main, [plain(`${quoted} must not validate the schema (not)`)]);
  }
  main.matchCount++;
  return main;
}

function plain(message: string): PlainFailure {
  return { code: 'plain', message };
}

function runeCount(s: string): number {
  let count = 0;
  for (const _ of s) count++;
  return count;
}

// A string has at most as many runes as UTF-16 units and at least half as many, so most lengths need no count.
const runesOver = (s: string, limit: number): boolean => s.length > limit && runeCount(s) > limit;
const runesUnder = (s: string, limit: number): boolean =>
  Math.ceil(s.length / 2) < limit && runeCount(s) < limit;

function stringCheck(s: JsonSchemaProps, facts: SchemaFacts, data: string, path: string): Result | undefined {
  if (s.maxLength !== undefined && runesOver(data, s.maxLength)) {
    return single({
      code: 'tooLong',
      name: path,
      value: data,
      limit: s.maxLength,
      message: `${path} in body should be at most ${s.maxLength} chars long`,
    });
  }
  if (s.minLength !== undefined && runesUnder(data, s.minLength)) {
    return single({
      code: 'other',
      name: path,
      value: data,
      message: `${path} in body should be at least ${s.minLength} chars long`,
    });
  }
  if (s.pattern !== undefined && s.pattern !== '') {
    const compiled = facts.pattern ?? compileGoRegexp(s.pattern);
    const shown = compiled.ok ? s.pattern : `${s.pattern}, but pattern is invalid: ${compiled.error}`;
    if (!compiled.ok || !compiled.re.test(data)) {
      return single({
        code: 'other',
        name: path,
        value: data,
        message: `${path} in body should match '${shown}'`,
      });
    }
  }
  return undefined;
}

/** Kubernetes' sentence, then the checker's explanation of what is wrong and how to fix it. */
function formatCheck(format: string, data: string, path: string, env: Env): Result | undefined {
  const checker = formatChecker(env, format);
  const problem = checker?.(data);
  if (problem === undefined) return undefined;
  const failure = invalidType(path, format, data);
  return single({
    ...failure,
    value: data,
    message: problem ? `${failure.message} (${problem})` : failure.message,
  });
}

function rangeProblem(
  n: number,
  typeName: string,
  format: string,
  prefix: string,
  path: string,
): string | undefined {
  let ok = true;
  if (typeName === 'integer') {
    const [lo, hi] = format === 'int32' ? [-(2 ** 31), 2 ** 31] : [-(2 ** 63), 2 ** 63];
    ok = Number.isInteger(n) && n >= lo && n < hi;
  } else if (format === 'float') ok = Number.isFinite(Math.fround(n));
  if (ok) return undefined;
  return format !== ''
    ? `${prefix} value must be of type ${typeName} with format ${format} in ${path}`
    : `${prefix} value must be of type ${typeName} (default format) in ${path}`;
}

function numberCheck(
  s: JsonSchemaProps,
  types: readonly string[],
  format: string,
  data: number,
  path: string,
): Result {
  const res = newResult();
  const typeName = types.length === 1 && (types[0] === 'integer' || types[0] === 'number') ? types[0] : '';
  const numFormat = typeName === '' ? '' : format;
  const native = isGoInt(data);
  addPlain(res, rangeProblem(data, typeName, numFormat, 'Checked', path));

  const multiple = newResult();
  if (s.multipleOf !== undefined) {
    const problem = rangeProblem(s.multipleOf, typeName, numFormat, 'MultipleOf', path);
    addPlain(multiple, problem);
    if (problem === undefined && native) {
      const factor = Math.trunc(s.multipleOf);
      if (factor <= 0) {
        addError(
          multiple,
          fail(path, `factor MultipleOf declared for ${path} must be positive: ${factor}`, factor),
        );
      } else if (data % factor !== 0) {
        addError(multiple, fail(path, `${path} in body should be a multiple of ${factor}`, data));
      }
    } else {
      const factor = s.multipleOf;
      if (factor <= 0) {
        addError(
          multiple,
          fail(path, `factor MultipleOf declared for ${path} must be positive: ${goFloat(factor)}`, factor),
        );
      } else if (!isJsonInteger(factor < 1 ? (1 / factor) * data : data / factor)) {
        addError(multiple, fail(path, `${path} in body should be a multiple of ${goFloat(factor)}`, data));
      }
    }
  }

  merge(res, multiple);
  const bounds = { data, typeName, numFormat, native, path };
  merge(res, bound(bounds, s.minimum, s.exclusiveMinimum === true, false));
  merge(res, bound(bounds, s.maximum, s.exclusiveMaximum === true, true));
  res.matchCount++;
  return res;
}

function addPlain(r: Result, message: string | undefined): void {
  if (message) addError(r, plain(message));
}

function fail(path: string, message: string, value: unknown): SchemaFailure {
  return { code: 'other', name: path, value, message };
}

interface Bounded {
  readonly data: number;
  readonly typeName: string;
  readonly numFormat: string;
  readonly native: boolean;
  readonly path: string;
}

function bound(n: Bounded, limit: number | undefined, exclusive: boolean, isMax: boolean): Result {
  const r = newResult();
  if (limit === undefined) return r;
  const { data, path } = n;
  const prefix = isMax ? 'Maximum boundary' : 'Minimum boundary';
  const problem = rangeProblem(limit, n.typeName, n.numFormat, prefix, path);
  addPlain(r, problem);
  const asInt = problem === undefined && n.native;
  const l = asInt ? Math.trunc(limit) : limit;
  const shown = asInt ? goNumber(l) : goFloat(l);
  const exceeded = isMax ? (exclusive ? data >= l : data > l) : exclusive ? data <= l : data < l;
  if (exceeded) {
    const relation = isMax
      ? exclusive
        ? 'less than'
        : 'less than or equal to'
      : exclusive
        ? 'greater than'
        : 'greater than or equal to';
    addError(r, fail(path, `${path} in body should be ${relation} ${shown}`, data));
  }
  return r;
}

function sliceCheck(
  s: JsonSchemaProps,
  facts: SchemaFacts,
  data: readonly unknown[],
  path: string,
  env: Env,
): Result {
  const result = newResult();
  const items = facts.items;
  if (items)
    for (let i = 0; i < data.length; i++) {
      const item = data[i];
      // A scalar's path shows only in its errors, so it is built (and the item checked again) only then.
      const scalar = typeof item !== 'object' || item === null;
      const first = validateNode(items, item, scalar ? '' : `${path}[${i}]`, env);
      merge(
        result,
        !scalar || first.errors.length === 0 ? first : validateNode(items, item, `${path}[${i}]`, env),
      );
    }
  const size = data.length;
  if (s.minItems !== undefined && size < s.minItems) {
    addErrors(result, [
      {
        code: 'other',
        name: path,
        value: size,
        message: `${path} in body should have at least ${s.minItems} items`,
      },
    ]);
  }
  if (s.maxItems !== undefined && size > s.maxItems) {
    addErrors(result, [
      {
        code: 'maxItems',
        name: path,
        value: size,
        limit: s.maxItems,
        message: `${path} in body should have at most ${s.maxItems} items`,
      },
    ]);
  }
  if (s.uniqueItems && data.some((v, i) => data.slice(0, i).some((u) => deepEqual(u, v)))) {
    addErrors(result, [
      {
        code: 'other',
        name: path,
        value: undefined,
        message: `${path} in body shouldn't contain duplicates`,
      },
    ]);
  }
  result.matchCount++;
  return result;
}

function enumMatches(data: unknown, member: unknown): boolean {
  if (typeof data === 'number' && typeof member === 'number') {
    return isGoInt(member) && !isGoInt(data) ? Math.trunc(data) === member : data === member;
  }
  if (typeof member === 'string' && typeof data === 'number' && isGoInt(data)) {
    const valid = data >= 0 && data <= 0x10ffff && !(data >= 0xd800 && data <= 0xdfff);
    return (valid ? String.fromCodePoint(data) : '\ufffd') === member;
  }
  return deepEqual(data, member);
}

function enumCheck(s: JsonSchemaProps, data: unknown, path: string): Result | undefined {
  const members = s.enum;
  if (!members || members.length === 0) return undefined;
  if (data !== null && data !== undefined && members.some((m) => m !== null && enumMatches(data, m)))
    return undefined;
  return single({
    code: 'enum',
    name: path,
    value: data ?? null,
    values: members,
    message: `${path} in body should be one of [${members.map(goV).join(' ')}]`,
  });
}

const goV = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? goNumber(v) : goJson(v);

function objectCheck(
  s: JsonSchemaProps,
  facts: SchemaFacts,
  data: Record<string, unknown>,
  path: string,
  env: Env,
): Result {
  const res = newResult();
  const keys = Object.keys(data);
  const size = keys.length;
  if (s.minProperties !== undefined && size < s.minProperties) {
    addErrors(res, [
      {
        code: 'other',
        name: path,
        value: size,
        message: `${path} in body should have at least ${s.minProperties} properties`,
      },
    ]);
  }
  if (s.maxProperties !== undefined && size > s.maxProperties) {
    addErrors(res, [
      {
        code: 'tooManyProperties',
        name: path,
        value: size,
        limit: s.maxProperties,
        message: `${path} in body should have at most ${s.maxProperties} properties`,
      },
    ]);
  }
  const properties = facts.properties;
  if (s.additionalProperties === false) {
    for (const k of keys) {
      if (!Object.hasOwn(properties, k)) {
        addErrors(res, [
          { code: 'other', name: path, value: k, message: `${path}.${k} in body is a forbidden property` },
        ]);
      }
    }
  }
  const additional = facts.additional;
  for (const k of keys) {
    if (Object.hasOwn(properties, k))
      merge(res, validateNode(properties[k]!, data[k], path === '' ? k : `${path}.${k}`, env));
    else if (additional) merge(res, validateNode(additional, data[k], `${path}.${k}`, env));
  }
  for (const k of s.required ?? []) {
    if (!Object.hasOwn(data, k)) {
      addErrors(res, [
        {
          code: 'required',
          name: `${path}.${k}`,
          value: undefined,
          message: `${path}.${k} in body is required`,
        },
      ]);
    }
  }
  return res;
}

/** kubeOpenAPIResultToFieldErrors: field errors for a kube-openapi validation of `value` rooted at `root`. */
export function openApiErrors(
  schema: JsonSchemaProps,
  value: unknown,
  root: FieldPath,
  formats: FormatCheckers,
): FieldError[] {
  const result = validateNode(schema, value, '', { formats });
  return result.errors.map((f) => toFieldError(f, root));
}

function toFieldError(f: Failure, root: FieldPath): FieldError {
  if (f.code === 'plain') return invalid(root, '', f.message);
  const path = f.name !== '' && f.name !== '.' ? childPath(root, f.name.replace(/^\./, '')) : root;
  const value = f.value === undefined ? '' : f.value;
  switch (f.code) {
    case 'required':
      return required(path);
    case 'enum':
      return notSupported(
        path,
        f.value,
        (f.values ?? []).map((v) => (typeof v === 'string' ? v : goJson(v))),
      );
    case 'tooLong':
      return tooLong(path, f.limit ?? -1);
    case 'maxItems':
    case 'tooManyProperties':
      return tooMany(path, typeof f.value === 'number' ? f.value : -1, f.limit ?? -1);
    case 'type':
      return typeInvalid(path, value, f.message);
    case 'other':
      return invalid(path, value, f.message);
  }
}
