// Proves the checked-in CRDs and API reference are what src/api generates now (run `npm run gen` if not).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderGenerated } from './generated.ts';

const root = new URL('..', import.meta.url).pathname;
const generated = renderGenerated();

for (const [path, content] of generated) {
  test(`${path} is up to date`, () => {
    let onDisk: string;
    try {
      onDisk = readFileSync(join(root, path), 'utf8');
    } catch {
      assert.fail(`${path} is missing: run npm run gen and commit the result`);
    }
    assert.ok(onDisk === content, `${path} is stale: run npm run gen and commit the result`);
  });
}

test('config/crd holds no file that src/api no longer generates', () => {
  const stray = readdirSync(join(root, 'config/crd')).filter((file) => !generated.has(`config/crd/${file}`));
  assert.deepEqual(stray, [], 'remove these or add their kinds to src/api/kinds.ts');
});
