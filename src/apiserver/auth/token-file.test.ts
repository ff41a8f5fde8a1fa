// Proves the static token file reads Kubernetes' CSV format, reports bad lines instead of failing, follows
// additions and removals within a second of the (fake) clock, and keeps the file private.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { addToken, removeTokens, StaticTokenFile } from './token-file.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'nso-tokens-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function collect(): { errors: string[]; onError: (message: string) => void } {
  const errors: string[] = [];
  return { errors, onError: (message) => errors.push(message) };
}

test('a missing file accepts no token and reports nothing', (t) => {
  const { errors, onError } = collect();
  const tokens = new StaticTokenFile(join(tempDir(t), 'tokens.csv'), { onError });
  assert.equal(tokens.lookup('anything'), undefined, 'no token is accepted');
  assert.equal(tokens.lookup(''), undefined, 'not even an empty one');
  assert.deepEqual(errors, [], 'a missing file is not an error');
});

test('Kubernetes CSV lines are read; malformed ones are reported with their line number and skipped', (t) => {
  const file = join(tempDir(t), 'tokens.csv');
  writeFileSync(
    file,
    [
      '# tokens for the test cluster',
      '',
      'tok-admin,admin,1000,"system:masters,ops"',
      '  tok-bob , bob ,,',
      'tok-carol,carol,c-1',
      'tok-dave,"dave ""the"" user",d-1,"a, b ,,c"\r',
      'only-two,fields',
      'tok-x,"unterminated,1',
      ',nobody,1',
      'tok-y,,1',
      'tok-z,z,1,gr"oup',
    ].join('\n'),
  );
  const { errors, onError } = collect();
  const tokens = new StaticTokenFile(file, { onError });
  assert.deepEqual(
    tokens.lookup('tok-admin'),
    { name: 'admin', uid: '1000', groups: ['system:masters', 'ops'] },
    'a full line with quoted groups',
  );
  assert.deepEqual(
    tokens.lookup('tok-bob'),
    { name: 'bob', groups: [] },
    'padding trimmed, empty uid omitted',
  );
  assert.deepEqual(tokens.lookup('tok-carol'), { name: 'carol', uid: 'c-1', groups: [] }, 'groups optional');
  assert.deepEqual(
    tokens.lookup('tok-dave'),
    { name: 'dave "the" user', uid: 'd-1', groups: ['a', 'b', 'c'] },
    'doubled quotes, CRLF and empty groups',
  );
  assert.equal(tokens.lookup('only-two'), undefined, 'a short line grants nothing');
  assert.equal(tokens.lookup('tok-x'), undefined, 'an unbalanced quote grants nothing');
  assert.equal(tokens.lookup('tok-y'), undefined, 'an empty user grants nothing');
  assert.equal(tokens.lookup('tok-z'), undefined, 'a stray quote grants nothing');
  assert.deepEqual(
    errors.map((error) => error.replace(file, 'FILE')),
    [
      'FILE:7: expected token,user,uid[,"groups"]; line ignored',
      'FILE:8: unbalanced or stray quote; line ignored',
      'FILE:9: empty token; line ignored',
      'FILE:10: empty user name; line ignored',
      'FILE:11: unbalanced or stray quote; line ignored',
    ],
    'each bad line is reported once, at load',
  );
});

test('a duplicate token is reported and the later line wins', (t) => {
  const file = join(tempDir(t), 'tokens.csv');
  writeFileSync(file, 'same,first,1\nsame,second,2\n');
  const { errors, onError } = collect();
  const tokens = new StaticTokenFile(file, { onError });
  assert.equal(tokens.lookup('same')?.name, 'second', 'the later line wins');
  assert.match(errors[0] ?? '', /:2: duplicate token/, 'the duplicate is reported');
});

test('added and removed tokens take effect at the next once-a-second check', (t) => {
  const file = join(tempDir(t), 'tokens.csv');
  let now = 0;
  const tokens = new StaticTokenFile(file, { now: () => now });
  const token = addToken(file, { name: 'alice', groups: ['nso:tenant:team-a'] });
  now = 999;
  assert.equal(tokens.lookup(token), undefined, 'the file is not re-read within a second');
  now = 1000;
  assert.deepEqual(
    tokens.lookup(token),
    { name: 'alice', uid: 'alice', groups: ['nso:tenant:team-a'] },
    'a second later the new token is accepted',
  );
  assert.equal(removeTokens(file, 'alice'), 1, 'one token removed');
  now = 1500;
  assert.ok(tokens.lookup(token), 'the removal is not seen within the second');
  now = 2000;
  assert.equal(tokens.lookup(token), undefined, 'then the removed token is refused');
  rmSync(file);
  now = 3000;
  assert.equal(tokens.lookup(token), undefined, 'a deleted file accepts nothing');
});

test('addToken makes a fresh 32-byte token in a private file, appending after a line without newline', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'nested', 'tokens.csv');
  const first = addToken(file, { name: 'admin', groups: [] });
  assert.match(first, /^[A-Za-z0-9_-]{43}$/, 'the token is 32 bytes of base64url');
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the file is created owner-only');
  assert.notEqual(addToken(file, { name: 'admin', groups: [] }), first, 'every token is fresh');

  const loose = join(dir, 'loose.csv');
  writeFileSync(loose, 'tok-old,old,1', { mode: 0o644 });
  const token = addToken(loose, { name: 'new', groups: ['g1', 'g2'] });
  assert.equal(statSync(loose).mode & 0o777, 0o600, 'an existing file is made owner-only');
  assert.equal(readFileSync(loose, 'utf8'), `tok-old,old,1\n${token},new,new,"g1,g2"\n`, 'one line each');
  const tokens = new StaticTokenFile(loose);
  assert.equal(tokens.lookup('tok-old')?.name, 'old', 'the old line is intact');
  assert.deepEqual(tokens.lookup(token)?.groups, ['g1', 'g2'], 'the new line is read back');
});

test('addToken refuses names the format cannot carry', (t) => {
  const file = join(tempDir(t), 'tokens.csv');
  for (const name of ['', 'a,b', 'say "hi"', 'two\nlines', ' padded']) {
    assert.throws(() => addToken(file, { name, groups: [] }), /cannot be a user or group/, `user ${name}`);
  }
  assert.throws(() => addToken(file, { name: 'ok', groups: ['a,b'] }), /cannot be/, 'a group with a comma');
});

test('removeTokens rewrites privately, keeping every other line as it was', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'tokens.csv');
  assert.equal(removeTokens(file, 'alice'), 0, 'a missing file has nothing to remove');
  const original = '# keep me\ntok-a1,alice,alice\ntok-b,bob,bob,"x"\nbroken\n tok-a2 , alice ,alice,"y"\n';
  writeFileSync(file, original, { mode: 0o644 });
  assert.equal(removeTokens(file, 'carol'), 0, 'no line for carol');
  assert.equal(readFileSync(file, 'utf8'), original, 'nothing removed leaves the file alone');
  assert.equal(removeTokens(file, 'alice'), 2, 'both of alice’s tokens are removed');
  assert.equal(readFileSync(file, 'utf8'), '# keep me\ntok-b,bob,bob,"x"\nbroken\n', 'the rest is kept');
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the rewritten file is owner-only');
});

test('whatever user and groups addToken accepts, lookup returns', (t) => {
  const dir = tempDir(t);
  const text = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((s) => !/[",\r\n]/.test(s) && s === s.trim());
  let run = 0;
  fc.assert(
    fc.property(text, fc.array(text, { maxLength: 3 }), (name, groups) => {
      const file = join(dir, `tokens-${run++}.csv`);
      const token = addToken(file, { name, groups });
      assert.deepEqual(
        new StaticTokenFile(file).lookup(token),
        { name, uid: name, groups },
        'the line round-trips',
      );
    }),
    { numRuns: 50 },
  );
});
