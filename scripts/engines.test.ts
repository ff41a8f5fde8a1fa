// Proves every installed package accepts this Node version: npm only warns, and some packages die at import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

const root = new URL('../node_modules', import.meta.url).pathname;

function* manifests(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) yield* manifests(path);
    else {
      yield join(path, 'package.json');
      const nested = join(path, 'node_modules');
      if (readdirSync(path).includes('node_modules')) yield* manifests(nested);
    }
  }
}

test(`every installed package's engines.node accepts Node ${process.versions.node}`, () => {
  const refused: string[] = [];
  let checked = 0;
  for (const path of manifests(root)) {
    let manifest: { name?: string; version?: string; engines?: { node?: string } };
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    checked++;
    const range = manifest.engines?.node;
    if (range && !semver.satisfies(process.versions.node, range, { includePrerelease: true })) {
      refused.push(`${manifest.name}@${manifest.version} needs node ${range}`);
    }
  }
  assert.ok(checked > 5, `found only ${checked} packages under ${root}`);
  assert.deepEqual(refused, []);
});

test('package.json pins exact versions', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const loose = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
    ([, version]) => !semver.valid(version as string),
  );
  assert.deepEqual(loose, []);
});
