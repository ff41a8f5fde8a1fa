import type { ASTNode } from '@marcbachmann/cel-js';

const REGEX_METHODS = new Set(['matches', 'find', 'findAll']);

const isNode = (value: unknown): value is ASTNode =>
  typeof value === 'object' && value !== null && 'op' in value && 'args' in value;

function* nodes(value: unknown): Generator<ASTNode> {
  if (Array.isArray(value)) {
    for (const item of value) yield* nodes(item);
  } else if (isNode(value)) {
    yield value;
    if (value.op !== 'value' && value.op !== 'id') yield* nodes(value.args);
  }
}

/** Whether the expression reads the variable, as Kubernetes decides whether a rule is a transition rule. */
export function readsVariable(ast: ASTNode, name: string): boolean {
  for (const node of nodes(ast)) if (node.op === 'id' && node.args === name) return true;
  return false;
}

/** The literal patterns given to matches(), find() and findAll(), which Kubernetes checks when it compiles. */
export function regexLiterals(ast: ASTNode): string[] {
  const patterns: string[] = [];
  for (const node of nodes(ast)) {
    if (node.op !== 'rcall' || !REGEX_METHODS.has(node.args[0])) continue;
    const pattern = node.args[2][0];
    if (pattern?.op === 'value' && typeof pattern.args === 'string') patterns.push(pattern.args);
  }
  return patterns;
}
