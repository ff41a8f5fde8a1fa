/**
 * The dependency rule of DESIGN.md §2 as data: which src folders each folder may import, which folders are
 * pure (no node:* modules, no packages, no clock, randomness or I/O globals). Arrows point toward pure code.
 */
export interface Layer {
  readonly may: readonly string[];
  readonly pure?: boolean;
  readonly packages?: boolean;
  /** Imports of these layers must be type-only. */
  readonly typesOnly?: readonly string[];
}

export const LAYERS: Readonly<Record<string, Layer>> = {
  ipam: { may: [], pure: true },
  policy: { may: ['ipam'], pure: true },
  api: { may: [], packages: true },
  storage: { may: [], packages: true },
  log: { may: [], packages: true },
  apiserver: { may: ['api', 'storage', 'ipam', 'log'], packages: true },
  client: { may: ['api'], packages: true },
  controllers: { may: ['api', 'client', 'ipam', 'policy', 'log', 'providers/provider.ts'], packages: true },
  providers: { may: ['ipam', 'policy'], packages: true },
  cli: { may: ['*'], packages: true },
  web: { may: ['api'], packages: true, typesOnly: ['api'] },
};

const IMPURE_GLOBALS = [
  'Date',
  'performance',
  'process',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'fetch',
  'console',
  'crypto',
  'require',
  'globalThis',
  'Math.random',
];

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes, e.g. src/ipam/prefix.ts. */
  readonly path: string;
  readonly imports: readonly { readonly specifier: string; readonly typeOnly: boolean }[];
  /** Identifiers the file uses that are not declared in it (free names). */
  readonly globals: readonly string[];
}

/** The layer a path belongs to: src/<layer>/… or web/…; undefined for tests, scripts and other files. */
export function layerOf(path: string): string | undefined {
  if (/\.test\.ts$/.test(path) || /(^|\/)testing\//.test(path)) return undefined;
  if (path.startsWith('web/')) return 'web';
  const match = /^src\/([^/]+)\//.exec(path);
  return match ? match[1] : undefined;
}

export function violations(file: SourceFile): string[] {
  const layer = layerOf(file.path);
  if (!layer) return [];
  const rule = LAYERS[layer];
  if (!rule)
    return [`${file.path}: src/${layer} is not a layer of DESIGN.md §2; add it to scripts/layers.ts`];
  const found: string[] = [];
  for (const { specifier, typeOnly } of file.imports) {
    if (specifier.startsWith('.')) {
      const target = resolve(file.path, specifier);
      const targetLayer = layerOf(target) ?? target;
      if (targetLayer === layer) continue;
      const allowed = rule.may.some(
        (may) =>
          may === '*' || may === targetLayer || target === `src/${may}` || target.startsWith(`src/${may}/`),
      );
      if (!allowed) {
        found.push(
          `${file.path}: ${layer} may not import ${target} (allowed: ${rule.may.join(', ') || 'nothing'})`,
        );
      } else if (rule.typesOnly?.includes(targetLayer) && !typeOnly) {
        found.push(`${file.path}: ${layer} may import ${targetLayer} types only; write "import type"`);
      }
    } else if (rule.pure || !rule.packages) {
      found.push(`${file.path}: ${layer} is pure and may not import "${specifier}"`);
    }
  }
  if (rule.pure) {
    for (const name of file.globals) {
      if (IMPURE_GLOBALS.includes(name)) {
        found.push(`${file.path}: ${layer} is pure and may not use ${name} (clock, randomness or I/O)`);
      }
    }
  }
  return found;
}

function resolve(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}
