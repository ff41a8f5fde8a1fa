import { type Environment, EvaluationError } from '@marcbachmann/cel-js';

const sync = { async: false };

function compile(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new EvaluationError(`invalid regular expression ${JSON.stringify(pattern)}`, undefined, error);
  }
}

function find(text: string, pattern: string): string {
  return compile(pattern, '').exec(text)?.[0] ?? '';
}

/** A negative limit finds every match, as Go's Regexp.FindAllString does. */
function findAll(text: string, pattern: string, limit = -1n): string[] {
  const matches = Array.from(text.matchAll(compile(pattern, 'g')), (match) => match[0]);
  return limit < 0n ? matches : matches.slice(0, Number(limit));
}

/** Kubernetes' CEL regex library (k8s.io/apiserver/pkg/cel/library/regex.go); patterns are JavaScript's, not RE2. */
export function registerRegexLibrary(env: Environment): Environment {
  return env
    .registerFunction('string.find(string): string', find, sync)
    .registerFunction(
      'string.findAll(string): list<string>',
      (text: string, pattern: string) => findAll(text, pattern),
      sync,
    )
    .registerFunction('string.findAll(string, int): list<string>', findAll, sync);
}
