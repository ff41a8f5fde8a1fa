const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const ESCAPES: Readonly<Record<string, string>> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

/**
 * The CEL field name Kubernetes gives an object property (k8s.io/apiserver/pkg/cel/escaping.go), or undefined
 * when the property cannot be reached from CEL at all.
 */
export function escapePropertyName(name: string): string | undefined {
  let escaped = known.get(name);
  if (escaped === undefined) {
    if (known.size >= MAX_KNOWN) known.clear();
    escaped = celName(name) ?? null;
    known.set(name, escaped);
  }
  return escaped ?? undefined;
}

/** Names come from installed schemas, so there are few and each is escaped for every object converted. */
const known = new Map<string, string | null>();
const MAX_KNOWN = 4096;

function celName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (match) => ESCAPES[match]!);
}
