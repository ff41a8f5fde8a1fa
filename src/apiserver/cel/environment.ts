import {
  TypeError as CelTypeError,
  type Environment,
  EvaluationError,
  Optional,
  ParseError,
  type ParseResult,
} from '@marcbachmann/cel-js';
import { KUBERNETES_CEL, KUBERNETES_CEL_OPTIONAL_OLD_SELF } from './kubernetes-environment.ts';
import { readsVariable, regexLiterals } from './rule-ast.ts';

export type { JsonSchema } from './json-schema.ts';
export { toCelValue, withTypeAndObjectMeta } from './to-cel-value.ts';

export type RuleOutcome = { ok: true } | { ok: false; message: string } | { ok: false; error: string };

/**
 * One x-kubernetes-validations entry, compiled. `self` and `oldSelf` are values from toCelValue; like Kubernetes
 * it passes a null `self`, and a transition rule when there is no `oldSelf` (unless optionalOldSelf is set).
 */
export interface CompiledRule {
  readonly rule: string;
  readonly usesOldSelf: boolean;
  /** Whether the rule or its messageExpression reads `oldSelf` at all; if not, no `oldSelf` need be given. */
  readonly readsOldSelf: boolean;
  evaluate(self: unknown, oldSelf?: unknown): RuleOutcome;
}

export interface RuleSource {
  readonly rule: string;
  readonly message?: string | undefined;
  readonly messageExpression?: string | undefined;
  readonly optionalOldSelf?: boolean | undefined;
}

export type RuleCompilation = { ok: true; compiled: CompiledRule } | { ok: false; message: string };

const PASS: RuleOutcome = { ok: true };
const MAX_MESSAGE_BYTES = 5 * 1024;
const WORDING = {
  rule: {
    expected: 'bool',
    failed: 'compilation failed',
    wrongType: 'cel expression must evaluate to a bool',
  },
  messageExpression: {
    expected: 'string',
    failed: 'messageExpression compilation failed',
    wrongType: 'messageExpression must evaluate to a string',
  },
} as const;
const cache = new Map<string, RuleCompilation>();

/**
 * Compiles a rule as a Kubernetes API server does when a CRD is written; a failure is why it refuses the CRD.
 * Results are cached by the rule's texts, so a schema compiled again parses nothing.
 */
export function compileRule(source: RuleSource): RuleCompilation {
  const known = bySource.get(source);
  if (known !== undefined) return known;
  const { rule, message, messageExpression, optionalOldSelf } = source;
  const key = JSON.stringify([rule, message ?? null, messageExpression ?? null, optionalOldSelf === true]);
  let compilation = cache.get(key);
  if (compilation === undefined) {
    compilation = compile(source);
    cache.set(key, compilation);
  }
  bySource.set(source, compilation);
  return compilation;
}

/** Schemas hand the same rule objects to every validation, so the text key is built once per rule object. */
const bySource = new WeakMap<RuleSource, RuleCompilation>();

function compile(source: RuleSource): RuleCompilation {
  const problem = textProblem(source);
  if (problem !== undefined) return { ok: false, message: problem };
  const env = source.optionalOldSelf ? KUBERNETES_CEL_OPTIONAL_OLD_SELF : KUBERNETES_CEL;
  const rule = checked(env, source.rule, 'rule');
  if (!rule.ok) return rule;
  if (source.messageExpression === undefined)
    return { ok: true, compiled: compiledRule(source, rule.program) };
  const messageExpression = checked(env, source.messageExpression, 'messageExpression');
  if (!messageExpression.ok) return messageExpression;
  return { ok: true, compiled: compiledRule(source, rule.program, messageExpression.program) };
}

function textProblem({ rule, message, messageExpression }: RuleSource): string | undefined {
  if (rule.trim() === '') return 'rule must not be empty';
  if (message !== undefined && message.trim() === '') return 'message must be non-empty if specified';
  if (message?.includes('\n')) return 'message must not contain line breaks';
  if (messageExpression !== undefined && messageExpression.trim() === '') {
    return 'messageExpression must be non-empty if specified';
  }
  return undefined;
}

type Checked = { ok: true; program: ParseResult } | { ok: false; message: string };

function checked(env: Environment, expression: string, role: keyof typeof WORDING): Checked {
  const wording = WORDING[role];
  let program: ParseResult;
  try {
    program = env.parse(expression);
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, message: `${wording.failed}: ${error.message}` };
    throw error;
  }
  const check = program.check();
  if (!check.valid) {
    return { ok: false, message: `${wording.failed}: ${check.error?.message ?? 'it does not type-check'}` };
  }
  if (check.type !== wording.expected && check.type !== 'dyn')
    return { ok: false, message: wording.wrongType };
  for (const pattern of regexLiterals(program.ast)) {
    const problem = regexProblem(pattern);
    if (problem !== undefined) return { ok: false, message: `${wording.failed}: ${problem}` };
  }
  return { ok: true, program };
}

function regexProblem(pattern: string): string | undefined {
  try {
    RegExp(pattern);
    return undefined;
  } catch (error) {
    return error instanceof SyntaxError ? error.message : `invalid regular expression /${pattern}/`;
  }
}

function compiledRule(source: RuleSource, program: ParseResult, messageProgram?: ParseResult): CompiledRule {
  const { rule, message } = source;
  const usesOldSelf = readsVariable(program.ast, 'oldSelf');
  const readsOldSelf =
    usesOldSelf || (messageProgram !== undefined && readsVariable(messageProgram.ast, 'oldSelf'));
  const optionalOldSelf = source.optionalOldSelf === true;
  const ruleText = message?.trim() || rule.trim();
  const fallback = message?.trim() || `failed rule: ${rule.trim()}`;
  const evaluate = (self: unknown, oldSelf?: unknown): RuleOutcome => {
    const hasOldSelf = oldSelf !== null && oldSelf !== undefined;
    if (self === null || self === undefined || (usesOldSelf && !hasOldSelf && !optionalOldSelf)) return PASS;
    const context = optionalOldSelf
      ? { self, oldSelf: hasOldSelf ? Optional.of(oldSelf) : Optional.none() }
      : hasOldSelf
        ? { self, oldSelf }
        : { self };
    let result: unknown;
    try {
      result = program(context);
    } catch (error) {
      return { ok: false, error: evaluationFailure(error, ruleText) };
    }
    if (result === true) return PASS;
    return { ok: false, message: (messageProgram && evaluatedMessage(messageProgram, context)) ?? fallback };
  };
  return { rule, usesOldSelf, readsOldSelf, evaluate };
}

/** Kubernetes falls back to the static message when a messageExpression errs or gives no usable text. */
function evaluatedMessage(program: ParseResult, context: object): string | undefined {
  let value: unknown;
  try {
    value = program(context);
  } catch (error) {
    if (isCelError(error)) return undefined;
    throw error;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const usable = text !== '' && !text.includes('\n') && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES;
  return usable ? text : undefined;
}

const isCelError = (error: unknown): error is EvaluationError | CelTypeError =>
  error instanceof EvaluationError || error instanceof CelTypeError;

/** Worded as the Kubernetes API server words a rule that could not be evaluated. */
function evaluationFailure(error: unknown, ruleText: string): string {
  if (!isCelError(error)) {
    throw new Error(`evaluating rule ${JSON.stringify(ruleText)} failed unexpectedly`, { cause: error });
  }
  if (error.code === 'no_such_overload' || error.code === 'no_matching_overload') {
    return `'${error.summary}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText}`;
  }
  return `${error.summary} evaluating rule: ${ruleText}`;
}
