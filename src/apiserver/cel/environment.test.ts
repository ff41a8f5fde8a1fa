// Proves rules compile, pass, fail and report as a Kubernetes API server does, on the rules nso's CRDs use.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type CompiledRule,
  compileRule,
  type RuleOutcome,
  type RuleSource,
  toCelValue,
} from './environment.ts';
import type { JsonSchema } from './json-schema.ts';

const PASS: RuleOutcome = { ok: true };

function compiled(source: RuleSource | string): CompiledRule {
  const result = compileRule(typeof source === 'string' ? { rule: source } : source);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(source)} to compile: ${result.message}`);
  return result.compiled;
}

function refused(source: RuleSource): string {
  const result = compileRule(source);
  if (result.ok) assert.fail(`expected ${JSON.stringify(source)} to be refused`);
  return result.message;
}

const failed = (rule: string): RuleOutcome => ({ ok: false, message: `failed rule: ${rule}` });

function errorOf(outcome: RuleOutcome): string {
  if (outcome.ok || !('error' in outcome))
    assert.fail(`expected an evaluation error, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

const label = (value: unknown): string =>
  JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Set ? [...v] : v));

function cases(source: RuleSource | string, table: readonly (readonly [unknown, RuleOutcome])[]): void {
  for (const [self, expected] of table) {
    test(`${label(self)} gives ${label(expected)}`, () =>
      assert.deepEqual(compiled(source).evaluate(self), expected));
  }
}

describe('isCIDR(self)', () => {
  const rule = 'isCIDR(self)';
  cases(rule, [
    ['10.0.0.0/8', PASS],
    ['fd00::/8', PASS],
    ['10.0.0.1/8', PASS],
    ['10.0.0.0/33', failed(rule)],
    ['10.0.0.1', failed(rule)],
    ['::ffff:10.0.0.0/104', failed(rule)],
  ]);
});

describe('a CIDR block without host bits, told what was meant', () => {
  const source = {
    rule: '!isCIDR(self) || cidr(self) == cidr(self).masked()',
    messageExpression: "self + ' has host bits set; did you mean ' + string(cidr(self).masked()) + '?'",
  };
  cases(source, [
    ['10.0.0.1/16', { ok: false, message: '10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?' }],
    ['fd00::1/64', { ok: false, message: 'fd00::1/64 has host bits set; did you mean fd00::/64?' }],
    ['10.0.0.0/16', PASS],
    ['fd00::/64', PASS],
    ['not a block', PASS],
  ]);
});

describe('an IPv4 CIDR block', () => {
  const rule = '!isCIDR(self) || cidr(self).ip().family() == 4';
  cases(rule, [
    ['10.0.0.0/8', PASS],
    ['fd00::/8', failed(rule)],
    ['not a block', PASS],
  ]);
});

describe('blocks of a list that must not overlap', () => {
  const rule = 'self.all(a, self.all(b, a == b || !isCIDR(a) || !isCIDR(b) || !cidr(a).containsCIDR(b)))';
  cases(rule, [
    [['10.0.0.0/16', '10.1.0.0/16'], PASS],
    [['10.0.0.0/8', '10.1.0.0/16'], failed(rule)],
    [['10.1.0.0/16', '10.0.0.0/8'], failed(rule)],
    [['10.0.0.0/8', '10.255.255.255/32'], failed(rule)],
    [['fd00::/48', 'fd00:0:0:1::/64'], failed(rule)],
    [['10.0.0.0/8', 'fd00::/8'], PASS],
    [['not a block', '10.0.0.0/8'], PASS],
    [[], PASS],
  ]);
  const set: JsonSchema = { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } };
  cases(rule, [
    [toCelValue(['10.0.0.0/16', '10.1.0.0/16'], set), PASS],
    [toCelValue(['10.0.0.0/8', '10.1.0.0/16'], set), failed(rule)],
  ]);
  test('the overlap message names the inner block', () => {
    const withMessage = compiled({
      rule,
      messageExpression:
        "'the blocks of one network must not overlap: ' + self.filter(a, self.exists(b, a != b && isCIDR(a) && isCIDR(b) && cidr(b).containsCIDR(a))).join(', ') + ' lies inside another block of spec.ipv4Blocks'",
    });
    assert.deepEqual(withMessage.evaluate(toCelValue(['10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16'], set)), {
      ok: false,
      message:
        'the blocks of one network must not overlap: 10.1.0.0/16 lies inside another block of spec.ipv4Blocks',
    });
  });
});

describe('a port range whose endPort needs a numeric port at or below it', () => {
  const rule =
    '!has(self.endPort) || (has(self.port) && type(self.port) == int && self.endPort >= self.port)';
  cases(rule, [
    [{ port: 80n, endPort: 90n }, PASS],
    [{ port: 90n, endPort: 90n }, PASS],
    [{ port: 80n }, PASS],
    [{ port: 'http' }, PASS],
    [{ endPort: 90n }, failed(rule)],
    [{ port: 'http', endPort: 90n }, failed(rule)],
    [{ port: 100n, endPort: 90n }, failed(rule)],
  ]);
  const schema: JsonSchema = {
    type: 'object',
    properties: { port: { 'x-kubernetes-int-or-string': true }, endPort: { type: 'integer' } },
  };
  cases(rule, [
    [toCelValue({ port: 80, endPort: 90 }, schema), PASS],
    [toCelValue({ port: '80', endPort: 90 }, schema), failed(rule)],
    [toCelValue({ port: 100, endPort: 90 }, schema), failed(rule)],
  ]);
});

describe('except blocks strictly inside the block', () => {
  const rule =
    '!has(self.except) || self.except.all(e, isCIDR(e) && isCIDR(self.cidr) && cidr(self.cidr).containsCIDR(e) && cidr(e) != cidr(self.cidr))';
  cases(rule, [
    [{ cidr: '10.0.0.0/8' }, PASS],
    [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4/32'] }, PASS],
    [{ cidr: 'fd00::/8', except: ['fd00:1::/32'] }, PASS],
    [{ cidr: '10.0.0.0/8', except: [] }, PASS],
    [{ cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] }, failed(rule)],
    [{ cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] }, failed(rule)],
    [{ cidr: '10.0.0.0/8', except: ['10.0.0.0/7'] }, failed(rule)],
    [{ cidr: '10.0.0.0/8', except: ['not a block'] }, failed(rule)],
    [{ cidr: 'not a block', except: ['10.0.0.0/16'] }, failed(rule)],
    [{ cidr: '10.0.0.0/8', except: ['fd00::/8'] }, failed(rule)],
  ]);
});

describe('a static binding names its address', () => {
  const rule = "self.type != 'Static' || has(self.specificIP)";
  cases(rule, [
    [{ type: 'Dynamic' }, PASS],
    [{ type: 'Static', specificIP: '10.0.0.5' }, PASS],
    [{ type: 'Static' }, failed(rule)],
  ]);
});

describe('a block clear of reserved ranges', () => {
  const rule =
    "['0.0.0.0/8','127.0.0.0/8'].all(r, !cidr(r).containsCIDR(self) && !cidr(self).containsCIDR(r))";
  cases(rule, [
    ['10.0.0.0/8', PASS],
    ['126.0.0.0/8', PASS],
    ['127.1.0.0/16', failed(rule)],
    ['127.0.0.0/8', failed(rule)],
    ['0.0.0.0/0', failed(rule)],
    ['0.1.2.3/32', failed(rule)],
    ['fd00::/8', PASS],
  ]);
  test('a value that is not a block is an evaluation error carrying the parse message', () => {
    assert.equal(
      errorOf(compiled(rule).evaluate('10.0.0.0/33')),
      `"10.0.0.0/33" is not a valid CIDR block: the prefix length 33 is out of range; IPv4 allows 0 to 32 evaluating rule: ${rule}`,
    );
  });
});

describe('the transition rule self == oldSelf', () => {
  const rule = compiled('self == oldSelf');
  test('reads oldSelf', () => assert.equal(rule.usesOldSelf, true));
  test('passes an unchanged string and fails a changed one', () => {
    assert.deepEqual(rule.evaluate('10.0.0.0/8', '10.0.0.0/8'), PASS);
    assert.deepEqual(rule.evaluate('10.0.0.0/8', '10.0.0.0/16'), failed('self == oldSelf'));
  });
  test('compares objects by content, whatever their key order', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        size: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    const self = toCelValue({ name: 'a', size: 1, tags: ['x'] }, schema);
    assert.deepEqual(rule.evaluate(self, toCelValue({ tags: ['x'], size: 1, name: 'a' }, schema)), PASS);
    assert.deepEqual(
      rule.evaluate(self, toCelValue({ name: 'a', size: 2, tags: ['x'] }, schema)),
      failed('self == oldSelf'),
    );
    assert.deepEqual(
      rule.evaluate(self, toCelValue({ name: 'a', size: 1, tags: ['y'] }, schema)),
      failed('self == oldSelf'),
    );
    assert.deepEqual(
      rule.evaluate(self, toCelValue({ name: 'a', size: 1 }, schema)),
      failed('self == oldSelf'),
    );
  });
  test('is not evaluated without an old value, as on create', () => {
    assert.deepEqual(rule.evaluate('new'), PASS);
    assert.deepEqual(rule.evaluate('new', null), PASS);
  });
  test('a rule that only quotes oldSelf is not a transition rule', () => {
    assert.equal(compiled("self != 'oldSelf'").usesOldSelf, false);
  });
});

describe('optionalOldSelf', () => {
  const rule = compiled({ rule: '!oldSelf.hasValue() || self >= oldSelf.value()', optionalOldSelf: true });
  test('the rule runs on create, with oldSelf empty', () => assert.deepEqual(rule.evaluate(1n), PASS));
  test('and on update, with oldSelf set', () => {
    assert.deepEqual(rule.evaluate(2n, 1n), PASS);
    assert.equal(rule.evaluate(1n, 2n).ok, false);
  });
});

describe('an int-or-string port: a number in range or an IANA service name', () => {
  const rule =
    "type(self) == int ? (self >= 1 && self <= 65535) : (self.size() <= 15 && self.matches('^[a-z0-9]([a-z0-9-]*[a-z0-9])?$') && self.matches('[a-z]') && !self.contains('--'))";
  cases(rule, [
    [80n, PASS],
    [65535n, PASS],
    [0n, failed(rule)],
    [65536n, failed(rule)],
    ['http', PASS],
    ['HTTP', failed(rule)],
    ['a--b', failed(rule)],
    ['8080', failed(rule)],
    ['a-very-long-service-name', failed(rule)],
  ]);
});

describe('the standard macros and functions', () => {
  const self = { items: ['a', 'bb', 'ccc'], name: 'web-1', count: 3n };
  for (const rule of [
    'has(self.items) && !has(self.missing)',
    'self.items.all(i, size(i) > 0)',
    "self.items.exists(i, i == 'bb')",
    'self.items.exists_one(i, size(i) == 3)',
    "self.items.filter(i, size(i) > 1) == ['bb', 'ccc']",
    'self.items.map(i, size(i)) == [1, 2, 3]',
    'size(self.items) == self.count && self.items.size() == 3',
    "self.name.matches('^[a-z]+-[0-9]$')",
    "self.name.startsWith('web') && self.name.endsWith('-1') && self.name.contains('b-')",
    'type(self.count) == int && type(self.name) == string',
    "self.?missing.orValue('default') == 'default'",
    '!self.?missing.hasValue() && self.?name.hasValue()',
    "self.items.join(', ') == 'a, bb, ccc' && self.items.join() == 'abbccc'",
    "self.name.split('-') == ['web', '1'] && self.name.upperAscii() == 'WEB-1'",
    "'Web'.lowerAscii() == 'web' && ' x '.trim() == 'x' && self.name.replace('-', '_') == 'web_1'",
    "self.name.indexOf('-') == 3 && self.name.charAt(0) == 'w' && self.name.substring(4) == '1'",
    '[1, 2, 3].isSorted() && [1, 2].sum() == 3 && [3, 1].min() == 1 && [3, 1].max() == 3',
    "self.items.indexOf('bb') == 1 && self.items.lastIndexOf('zz') == -1",
    '1 < 1.5 && 2.0 > 1',
  ]) {
    test(rule, () => assert.deepEqual(compiled(rule).evaluate(self), PASS));
  }
});

describe('the message of a failed rule', () => {
  test('is message, trimmed, when given', () => {
    assert.deepEqual(compiled({ rule: 'false', message: '  must be true ' }).evaluate('x'), {
      ok: false,
      message: 'must be true',
    });
  });
  test('falls back to message when messageExpression fails to evaluate', () => {
    const rule = compiled({ rule: 'false', message: 'static', messageExpression: 'self.missing + "!"' });
    assert.deepEqual(rule.evaluate({}), { ok: false, message: 'static' });
  });
  test('falls back to the default when messageExpression gives no usable text', () => {
    for (const messageExpression of ["'   '", "'two\\nlines'", 'self.text']) {
      const rule = compiled({ rule: 'self.number > 1', messageExpression });
      assert.deepEqual(rule.evaluate({ number: 1n, text: 1n }), failed('self.number > 1'), messageExpression);
    }
  });
  test('is the trimmed messageExpression result when it is a string', () => {
    const rule = compiled({
      rule: 'self.number > 1',
      messageExpression: "' number is ' + string(self.number) + ' '",
    });
    assert.deepEqual(rule.evaluate({ number: 1n }), { ok: false, message: 'number is 1' });
  });
  test('is not produced for a null value, which Kubernetes never validates', () => {
    assert.deepEqual(compiled('false').evaluate(null), PASS);
  });
});

describe('a rule that cannot be evaluated', () => {
  test('a missing field is no such key', () => {
    assert.equal(
      errorOf(compiled('self.port > 0').evaluate({})),
      'No such key: port evaluating rule: self.port > 0',
    );
  });
  test('an operator on the wrong types is reported as Kubernetes words it', () => {
    assert.equal(
      errorOf(compiled('self > 1').evaluate('a')),
      "'no such overload: dyn<string> > int': call arguments did not match a supported operator, function or macro signature for rule: self > 1",
    );
  });
  test('the rule is named by its message when it has one', () => {
    const rule = compiled({ rule: "cidr(self) == cidr('10.0.0.0/8')", message: 'must be 10.0.0.0/8' });
    assert.equal(
      errorOf(rule.evaluate('10.0.0.0')),
      '"10.0.0.0" is not a valid CIDR block: it has no prefix length; write ADDRESS/LENGTH, e.g. 10.0.0.0/32 for this one address evaluating rule: must be 10.0.0.0/8',
    );
  });
});

describe('compileRule refuses what the API server refuses', () => {
  for (const [source, fragment] of [
    [{ rule: 'self.x +' }, 'compilation failed: '],
    [{ rule: 'oldSelf.x == unknown' }, 'compilation failed: Unknown variable: unknown'],
    [{ rule: "1 + 'a'" }, 'compilation failed: no such overload: int + string'],
    [{ rule: 'frobnicate(self)' }, 'compilation failed: '],
    [{ rule: "self in [1, 'a']" }, 'compilation failed: '],
    [{ rule: "'a' + 'b'" }, 'cel expression must evaluate to a bool'],
    [{ rule: 'size(self)' }, 'cel expression must evaluate to a bool'],
    [{ rule: "self.matches('[')" }, 'compilation failed: Invalid regular expression'],
    [{ rule: '' }, 'rule must not be empty'],
    [{ rule: '   ' }, 'rule must not be empty'],
    [{ rule: 'true', message: '  ' }, 'message must be non-empty if specified'],
    [{ rule: 'true', message: 'two\nlines' }, 'message must not contain line breaks'],
    [{ rule: 'true', messageExpression: ' ' }, 'messageExpression must be non-empty if specified'],
    [{ rule: 'true', messageExpression: '1 + 1' }, 'messageExpression must evaluate to a string'],
    [{ rule: 'true', messageExpression: "'a' +" }, 'messageExpression compilation failed: '],
  ] as const) {
    test(`${JSON.stringify(source)} is refused with ${fragment}`, () => {
      const message = refused(source);
      assert.ok(message.startsWith(fragment), message);
    });
  }
});

test('a rule is compiled once for the same texts', () => {
  const first = compileRule({ rule: 'self.size() > 0', message: 'empty' });
  assert.equal(compileRule({ rule: 'self.size() > 0', message: 'empty' }), first);
  assert.notEqual(compileRule({ rule: 'self.size() > 0', message: 'blank' }), first);
  assert.notEqual(compileRule({ rule: 'self.size() > 0' }), first);
});
