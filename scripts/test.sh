#!/usr/bin/env bash
# npm test: type-check, lint, the layer rule, then node's test runner over every *.test.ts, named explicitly
# (on Node 20 a directory argument finds no .ts tests and exits 0).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "# tsc --noEmit" >&2
npx tsc --noEmit -p .
echo "# biome check" >&2
npx biome check --error-on-warnings .
echo "# layer rule" >&2
node --import tsx scripts/check-layers.ts

mapfile -t files < <(find src scripts test bench -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no *.test.ts files found: refusing to report an empty run as a pass" >&2
  exit 1
fi
echo "# node --test: ${#files[@]} files" >&2
exec node --import tsx --test --test-reporter=tap --test-concurrency=2 "${files[@]}"
