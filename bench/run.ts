// npm run bench [-- NAME-PREFIX]: one JSON object per line on stdout; progress on stderr.
import { readdirSync } from 'node:fs';
import type { Bench } from './bench.ts';

const prefix = process.argv[2] ?? '';
const dir = new URL('.', import.meta.url);
const benches: Bench[] = [];
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()) {
  const module = (await import(new URL(file, dir).href)) as { benches: Bench[] };
  benches.push(...module.benches);
}
const selected = benches.filter((bench) => bench.name.startsWith(prefix));
if (selected.length === 0) {
  console.error(`no benchmark starts with "${prefix}"; known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(1);
}
if (typeof globalThis.gc !== 'function') console.error('warning: run with --expose-gc for heap figures');
for (const bench of selected) {
  console.error(`# ${bench.name}`);
  const figures = await bench.run();
  process.stdout.write(`${JSON.stringify({ bench: bench.name, ...figures })}\n`);
}
