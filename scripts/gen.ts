// npm run gen: writes config/crd/*.yaml and docs/api.md from src/api.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderGenerated } from './generated.ts';

const root = new URL('..', import.meta.url).pathname;
for (const [path, content] of renderGenerated()) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.error(`wrote ${path}`);
}
