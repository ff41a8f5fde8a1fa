// Proves the layer check refuses what DESIGN.md §2 forbids and passes what it allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { read } from './check-layers.ts';
import { layerOf, violations } from './layers.ts';

const check = (path: string, text: string) => violations(read(path, text));

test('pure ipam code passes', () => {
  assert.deepEqual(
    check('src/ipam/prefix.ts', "import { parse } from './address.ts';\nexport const x = parse;"),
    [],
  );
});

test('ipam may not import another layer, node:* or a package', () => {
  const found = check(
    'src/ipam/prefix.ts',
    "import { A } from '../api/types.ts';\nimport { readFileSync } from 'node:fs';\nimport fc from 'fast-check';",
  );
  assert.equal(found.length, 3);
  assert.match(found[0]!, /ipam may not import src\/api\/types\.ts/);
  assert.match(found[1]!, /pure and may not import "node:fs"/);
  assert.match(found[2]!, /pure and may not import "fast-check"/);
});

test('pure code may not read the clock, randomness or the process', () => {
  const found = check(
    'src/policy/engine.ts',
    'export const t = () => Date.now() + Math.random() + process.pid;',
  );
  assert.deepEqual(
    found.map((f) => f.replace(/.*may not use /, '')),
    [
      'Date (clock, randomness or I/O)',
      'process (clock, randomness or I/O)',
      'Math.random (clock, randomness or I/O)',
    ],
  );
});

test('a local binding or a property of the same name is not a global', () => {
  assert.deepEqual(
    check('src/ipam/a.ts', 'export function f(process: number) { return { Date: process }.Date; }'),
    [],
  );
});

test('dynamic imports and re-exports count', () => {
  assert.equal(check('src/ipam/a.ts', "export * from '../storage/x.ts';").length, 1);
  assert.equal(check('src/ipam/a.ts', "export const m = () => import('../cli/main.ts');").length, 1);
});

test('apiserver may import api, storage and ipam but not controllers', () => {
  assert.deepEqual(
    check(
      'src/apiserver/a.ts',
      "import '../api/x.ts';\nimport '../storage/y.ts';\nimport '../ipam/index.ts';",
    ),
    [],
  );
  assert.equal(check('src/apiserver/a.ts', "import '../controllers/x.ts';").length, 1);
});

test('controllers may import only the providers interface', () => {
  assert.deepEqual(
    check('src/controllers/net/a.ts', "import type { Provider } from '../../providers/provider.ts';"),
    [],
  );
  assert.equal(
    check('src/controllers/net/a.ts', "import { Linux } from '../../providers/linux/index.ts';").length,
    1,
  );
});

test('web may import api types only', () => {
  assert.deepEqual(check('web/app.ts', "import type { Network } from '../src/api/network.ts';"), []);
  assert.match(check('web/app.ts', "import { Network } from '../src/api/network.ts';")[0]!, /types only/);
});

test('cli may import anything; tests and unknown layers are handled', () => {
  assert.deepEqual(check('src/cli/up.ts', "import '../apiserver/x.ts';\nimport 'node:http2';"), []);
  assert.equal(layerOf('src/ipam/prefix.test.ts'), undefined);
  assert.match(check('src/misc/a.ts', '')[0]!, /not a layer/);
});
