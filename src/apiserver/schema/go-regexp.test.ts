// Proves Go (RE2) patterns used in CRDs behave the same once compiled for JavaScript.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGoRegexp } from './go-regexp.ts';

function matches(pattern: string, input: string): boolean {
  const compiled = compileGoRegexp(pattern);
  if (!compiled.ok) assert.fail(compiled.error);
  return compiled.re.test(input);
}

test('ordinary patterns are unchanged', () => {
  assert.equal(matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'web-tier'), true);
  assert.equal(matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'Web'), false);
});

test('a leading (?i) becomes a flag', () => {
  assert.equal(matches('(?i)^tcp|udp$', 'TCP'), true);
});

test('\\A and \\z anchor the whole text', () => {
  assert.equal(matches('\\Aabc\\z', 'abc'), true);
  assert.equal(matches('\\Aabc\\z', 'abcd'), false);
});

test('escaped punctuation and literal braces are literals, as in Go', () => {
  assert.equal(matches('^a\\-b\\:c$', 'a-b:c'), true);
  assert.equal(matches('^{x}$', '{x}'), true);
  assert.equal(matches('^a{2}$', 'aa'), true);
  assert.equal(matches('^\\Q1.2.3\\E$', '1.2.3'), true);
  assert.equal(matches('^\\Q1.2.3\\E$', '1x2x3'), false);
});

test('POSIX classes inside brackets', () => {
  assert.equal(matches('^[[:alpha:]_]+$', 'ab_C'), true);
  assert.equal(matches('^[[:digit:]]+$', '12a'), false);
});

test('an invalid pattern is an error', () => {
  const compiled = compileGoRegexp('(');
  assert.equal(compiled.ok, false);
  if (!compiled.ok) assert.match(compiled.error, /^error parsing regexp: /);
});
