import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { type SourceFile, violations } from './layers.ts';

const root = new URL('..', import.meta.url).pathname;

function* sources(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* sources(path);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Imports (static, dynamic, re-exports) and free identifiers, read with the TypeScript parser. */
export function read(path: string, text: string): SourceFile {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const imports: SourceFile['imports'][number][] = [];
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
      imports.push({ specifier: (node.moduleSpecifier as ts.StringLiteral).text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      imports.push({
        specifier: arg && ts.isStringLiteralLike(arg) ? arg.text : '<dynamic>',
        typeOnly: false,
      });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) imports.push({ specifier: literal.text, typeOnly: true });
    }
    const named = node as ts.Node & { name?: ts.Node };
    if (named.name && ts.isIdentifier(named.name) && !ts.isPropertyAccessExpression(node)) {
      declared.add(named.name.text);
    }
    if (ts.isIdentifier(node) && !isPropertyName(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (/\bMath\.random\b/.test(text)) used.add('Math.random');
  return { path, imports, globals: [...used].filter((name) => !declared.has(name)) };
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isMethodSignature(parent) && parent.name === node)
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found: string[] = [];
  let files = 0;
  for (const dir of ['src', 'web']) {
    for (const path of sources(join(root, dir))) {
      files++;
      found.push(...violations(read(relative(root, path), readFileSync(path, 'utf8'))));
    }
  }
  if (found.length > 0) {
    console.error(`layer rule (DESIGN.md §2) broken in ${found.length} place(s):\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  console.error(`layers: ${files} files follow DESIGN.md §2`);
}
