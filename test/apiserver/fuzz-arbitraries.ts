import fc from 'fast-check';
import { stringify } from 'yaml';

type Key = string | number;
type Container = Record<string, unknown> | unknown[];

/**
 * One edit of a document. `at` picks a node (in depth-first order, modulo the node count) when the edit is
 * applied, so the same edit fits any document: the one read from the server just before the request.
 */
export type Mutation =
  | { readonly op: 'set'; readonly at: number; readonly value: unknown }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown };

/** An edit of the encoded JSON text: what no JSON encoder produces but a client can still send. */
export type TextEdit =
  | { readonly edit: 'truncate'; readonly at: number }
  | { readonly edit: 'duplicate-key'; readonly at: number; readonly value: string }
  | { readonly edit: 'insert-key'; readonly at: number; readonly key: string; readonly value: string }
  | { readonly edit: 'replace-scalar'; readonly at: number; readonly literal: string }
  | { readonly edit: 'insert-text'; readonly at: number; readonly text: string }
  | { readonly edit: 'insert-bytes'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly edit: 'wrap'; readonly depth: number; readonly open: '[' | '{"a":' };

/** A body derived from a valid object: mutated, then encoded as JSON or YAML, then edited as text. */
export type BodyRecipe =
  | {
      readonly from: 'object';
      readonly mutations: readonly Mutation[];
      readonly encoding: 'json' | 'yaml';
      readonly edits: readonly TextEdit[];
    }
  | { readonly from: 'yaml-template'; readonly template: YamlTemplate }
  | { readonly from: 'bytes'; readonly bytes: Uint8Array }
  | { readonly from: 'text'; readonly text: string };

export type YamlTemplate =
  | { readonly template: 'alias-bomb'; readonly width: number; readonly levels: number }
  | { readonly template: 'self-alias' }
  | { readonly template: 'undefined-alias' }
  | { readonly template: 'merge-key'; readonly yaml11: boolean }
  | { readonly template: 'anchored-scalar' }
  | { readonly template: 'scalar'; readonly at: number; readonly scalar: string; readonly yaml11: boolean }
  | { readonly template: 'multi-document' }
  | { readonly template: 'deep-flow'; readonly depth: number };

/** A JSON pointer: a node of the document read just before the request plus a suffix, or a literal. */
export type PointerRecipe = { readonly node: number; readonly suffix: string } | { readonly literal: string };

export type PatchOperationRecipe =
  | {
      readonly op: string;
      readonly path?: PointerRecipe;
      readonly from?: PointerRecipe;
      readonly value?: unknown;
      readonly extra?: Readonly<Record<string, unknown>>;
    }
  | { readonly amplify: 'double' | 'deepen'; readonly node: number; readonly times: number }
  | { readonly raw: unknown };

const SPECIAL_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  -(2 ** 63),
  65535,
  65536,
  99999,
  Number.MAX_VALUE,
];

const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '0x10',
  'null',
  'true',
  '\u0000',
  '\ud800',
  '\udc00',
  'a\ud800b',
  '\ud83d\ude00',
  '\ufeff',
  '\u202e',
  '\u2028',
  'é',
  '../..',
  '%00',
  '%zz',
  `\${x}`,
  '{{x}}',
  '~1',
  '/',
  '*',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::/0',
  'fd00::/8',
  '10.0.0.1/33',
  '256.0.0.0/8',
  '10.0.0.0/-1',
  '::ffff:10.0.0.0/104',
  'fe80::1%eth0',
  '2001:db8::/129',
  'a'.repeat(63),
  'a'.repeat(64),
  'a'.repeat(253),
  'a'.repeat(254),
  'UPPER',
  'a.b',
  'a_b',
  '-a',
  'a-',
  '1a',
  'kubernetes.io/x',
  'a/b/c',
  '2006-01-02T15:04:05Z',
  'not-a-date',
  'In',
  'NotIn',
  'Exists',
  'TCP',
  'SCTP',
  'Background',
  'Orphan',
  '(',
  '[',
  '\\',
  '(?<name>x)',
  'a{99999}',
  '(a+)+$',
  '\\p{Greek}',
  'self.size() > 0',
  'has(self.a)',
  '1/0',
  'int("x")',
  "'a'.matches('(')",
  'self.all(x, self.all(y, true))',
  'oldSelf == self',
  '^$',
];

const lonelySurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const unicodeString = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), lonelySurrogate),
  maxLength: 40,
});

const hugeString = fc
  .tuple(fc.constantFrom(1_000, 70_000, 300_000, 1_100_000), fc.constantFrom('x', 'é', '\ud800', '𝔘'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

function nest(depth: number, inArray: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = inArray ? [value] : { a: value };
  return value;
}

const deepValue = fc
  .tuple(fc.constantFrom(20, 90, 99, 100, 101, 150, 2000), fc.boolean())
  .map(([depth, inArray]) => nest(depth, inArray));

const wrongType = fc.constantFrom<unknown>(null, true, false, 0, 1, -1, '', 'x', [], {}, [null], [[]], {
  '': null,
});

/** Values hostile to a schema: any JSON, the wrong type, edge numbers, odd strings, huge and deep values. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: wrongType },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: unicodeString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepValue },
);

const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'toJSON',
  '',
  'status',
  'metadata',
  'spec',
  'managedFields',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
  'generateName',
  'resourceVersion',
  'uid',
  'a.b',
  'a/b',
  '~',
  '-',
  '0',
];

export function mutationArbitrary(keys: readonly string[]): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: hostileValue }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        at,
        key: fc.oneof(fc.constantFrom(...keys, ...TRICKY_KEYS), unicodeString),
        value: hostileValue,
      }),
    },
  );
}

function children(node: unknown): [Key, unknown][] {
  if (Array.isArray(node)) return node.map((value, index) => [index, value]);
  if (typeof node === 'object' && node !== null) return Object.entries(node);
  return [];
}

/** Every node's path in depth-first order, the root (the empty path) first. */
export function nodePaths(document: unknown): Key[][] {
  const out: Key[][] = [];
  const stack: [Key[], unknown][] = [[[], document]];
  while (stack.length > 0) {
    const [path, node] = stack.pop()!;
    out.push(path);
    const inner = children(node);
    for (let i = inner.length - 1; i >= 0; i--) stack.push([[...path, inner[i]![0]], inner[i]![1]]);
  }
  return out;
}

function nodeAt(document: unknown, path: readonly Key[]): unknown {
  let node = document;
  for (const key of path) node = (node as Record<Key, unknown>)[key];
  return node;
}

function setOwn(container: Container, key: Key, value: unknown): void {
  if (Array.isArray(container) && typeof key === 'number') container[key] = value;
  else Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyOf(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

export function mutate(document: unknown, mutations: readonly Mutation[]): unknown {
  let root = copyOf(document);
  for (const mutation of mutations) {
    const paths = nodePaths(root);
    const path = paths[mutation.at % paths.length]!;
    const parent = path.length === 0 ? undefined : (nodeAt(root, path.slice(0, -1)) as Container);
    const key = path[path.length - 1];
    switch (mutation.op) {
      case 'set':
        if (parent === undefined) root = copyOf(mutation.value);
        else setOwn(parent, key!, copyOf(mutation.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else if (parent !== undefined) delete parent[key as string];
        break;
      case 'add': {
        const node = nodeAt(root, path);
        const value = copyOf(mutation.value);
        if (Array.isArray(node)) node.push(value);
        else if (typeof node === 'object' && node !== null) setOwn(node as Container, mutation.key, value);
        else if (parent === undefined) root = { [mutation.key]: value };
        else setOwn(parent, key!, Object.fromEntries([[mutation.key, value]]));
        break;
      }
    }
  }
  return root;
}

const NUMBER_LITERALS = [
  '-0',
  '1e308',
  '1e309',
  '-1e309',
  '4.9e-324',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '0.1',
  '-1',
  '1E2',
  '0e0',
  '01',
  '1.',
  '.5',
  '+1',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1_000',
];

const STRING_LITERALS = [
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"a\\ud83d"',
  '"\\u0000"',
  '"\\uZZZZ"',
  '"\\x41"',
  '"\t"',
  '"\\/"',
  '"é"',
  '"\u2028"',
  '""',
  `"${'\\\\'.repeat(1000)}"`,
  "'single'",
  '"unterminated',
  '"\\u005f_proto__"',
  'true',
  'false',
  'null',
  '{}',
  '[]',
];

const FRAGMENTS = [
  ',',
  ':',
  '}',
  ']',
  '{',
  '[',
  '"',
  '\\',
  'null',
  '\u0000',
  '//x',
  '/* */',
  ' ',
  '\ufeff',
  '\n',
];

const BAD_BYTES: readonly (readonly number[])[] = [
  [0xff],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xef, 0xbb, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0x00],
];

const jsonLiteral = fc.oneof(
  hostileValue.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(...NUMBER_LITERALS, ...STRING_LITERALS),
);

export const textEditArbitrary: fc.Arbitrary<TextEdit> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ edit: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ edit: fc.constant('duplicate-key' as const), at: fc.nat(), value: jsonLiteral }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      edit: fc.constant('insert-key' as const),
      at: fc.nat(),
      key: fc.constantFrom(
        '"__proto__"',
        '"\\u005f_proto__"',
        '"constructor"',
        '"prototype"',
        '""',
        '"\\ud800"',
      ),
      value: fc.oneof(jsonLiteral, fc.constant('{"polluted":true}'), fc.constant('{"prototype":{"x":1}}')),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      edit: fc.constant('replace-scalar' as const),
      at: fc.nat(),
      literal: fc.constantFrom(...NUMBER_LITERALS, ...STRING_LITERALS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      edit: fc.constant('insert-text' as const),
      at: fc.nat(),
      text: fc.oneof(fc.constantFrom(...FRAGMENTS), unicodeString),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      edit: fc.constant('insert-bytes' as const),
      at: fc.nat(),
      bytes: fc.oneof(
        fc.constantFrom(...BAD_BYTES),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      edit: fc.constant('wrap' as const),
      depth: fc.constantFrom(1, 99, 100, 101, 100_000),
      open: fc.constantFrom('[' as const, '{"a":' as const),
    }),
  },
);

function nth(matches: readonly number[], at: number): number | undefined {
  return matches.length === 0 ? undefined : matches[at % matches.length];
}

function positions(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((m) => m.index);
}

function applyTextEdit(body: Buffer, edit: TextEdit): Buffer {
  const text = body.toString('utf8');
  const splice = (at: number, remove: number, insert: string): Buffer =>
    Buffer.from(text.slice(0, at) + insert + text.slice(at + remove), 'utf8');
  switch (edit.edit) {
    case 'truncate':
      return body.subarray(0, edit.at % (body.length + 1));
    case 'duplicate-key': {
      const starts = positions(text, /\{"(?:[^"\\]|\\.)*":/g);
      const at = nth(starts, edit.at);
      if (at === undefined) return body;
      const key = /^\{("(?:[^"\\]|\\.)*"):/.exec(text.slice(at))![1];
      return splice(at + 1, 0, `${key}:${edit.value},`);
    }
    case 'insert-key': {
      const at = nth(positions(text, /\{/g), edit.at);
      if (at === undefined) return body;
      const empty = text[at + 1] === '}';
      return splice(at + 1, 0, `${edit.key}:${edit.value}${empty ? '' : ','}`);
    }
    case 'replace-scalar': {
      const scalars = [...text.matchAll(/:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)/g)];
      if (scalars.length === 0) return body;
      const match = scalars[edit.at % scalars.length]!;
      return splice(match.index + 1, match[0].length - 1, edit.literal);
    }
    case 'insert-text':
      return splice(edit.at % (text.length + 1), 0, edit.text);
    case 'insert-bytes': {
      const at = edit.at % (body.length + 1);
      return Buffer.concat([body.subarray(0, at), Buffer.from(edit.bytes), body.subarray(at)]);
    }
    case 'wrap': {
      const close = edit.open === '[' ? ']' : '}';
      return Buffer.from(`${edit.open.repeat(edit.depth)}${text}${close.repeat(edit.depth)}`, 'utf8');
    }
  }
}

export function yamlTemplateArbitrary(): fc.Arbitrary<YamlTemplate> {
  return fc.oneof(
    fc.record({
      template: fc.constant('alias-bomb' as const),
      width: fc.integer({ min: 2, max: 10 }),
      levels: fc.integer({ min: 1, max: 5 }),
    }),
    fc.constant({ template: 'self-alias' as const }),
    fc.constant({ template: 'undefined-alias' as const }),
    fc.record({ template: fc.constant('merge-key' as const), yaml11: fc.boolean() }),
    fc.constant({ template: 'anchored-scalar' as const }),
    fc.record({
      template: fc.constant('scalar' as const),
      at: fc.nat(),
      scalar: fc.constantFrom(
        '.nan',
        '.inf',
        '-.inf',
        '0x1F',
        '0o17',
        '1_000',
        '~',
        'yes',
        'off',
        '2001-12-14t21:59:43.10-05:00',
        '2001-12-14',
        '!!binary R0lGODlh',
        '!!str 1',
        '!!int x',
        '!!float abc',
        '!!set {a, b}',
        '!!omap [a: 1, b: 2]',
        '!!pairs [a: 1, a: 2]',
        '!custom x',
        '!<tag:yaml.org,2002:str> x',
        '"\\ud800"',
        '"\\U0010FFFF"',
        '|\n  block\n  text',
        '>-\n  folded',
        '{? [a, b] : c}',
        '{~: c}',
        '[a, [b, [c]]]',
        '123456789012345678901234567890',
      ),
      yaml11: fc.boolean(),
    }),
    fc.constant({ template: 'multi-document' as const }),
    fc.record({
      template: fc.constant('deep-flow' as const),
      depth: fc.constantFrom(50, 101, 5_000, 50_000),
    }),
  );
}

function renderYamlTemplate(template: YamlTemplate, base: Record<string, unknown>): string {
  const head = `apiVersion: ${String(base.apiVersion)}\nkind: ${String(base.kind)}\n`;
  const name = String((base.metadata as { name?: unknown } | undefined)?.name ?? 'fuzz');
  const spec = stringify({ spec: base.spec ?? {} });
  switch (template.template) {
    case 'alias-bomb': {
      const lines = [`l0: &l0 [${Array.from({ length: template.width }, () => 'x').join(', ')}]`];
      for (let level = 1; level <= template.levels; level++) {
        const refs = Array.from({ length: template.width }, () => `*l${level - 1}`).join(', ');
        lines.push(`l${level}: &l${level} [${refs}]`);
      }
      return `${head}metadata:\n  name: ${name}\n  annotations:\n    ${lines.join('\n    ')}\n${spec}`;
    }
    case 'self-alias':
      return `${head}metadata:\n  name: ${name}\n  labels: &l {a: *l}\n${spec}`;
    case 'undefined-alias':
      return `${head}metadata:\n  name: *nowhere\n${spec}`;
    case 'merge-key':
      return `${template.yaml11 ? '%YAML 1.1\n---\n' : ''}base: &b {name: ${name}}\n${head}metadata:\n  <<: *b\n${spec}`;
    case 'anchored-scalar':
      return `${head}metadata:\n  name: &n ${name}\n  labels: {app: *n}\n  annotations: {*n : *n}\n${spec}`;
    case 'scalar': {
      const text = `${head}${stringify({ metadata: base.metadata ?? {} })}${spec}`;
      const values = positions(text, /: [^\n]+$/gm);
      const at = nth(values, template.at)!;
      const end = text.indexOf('\n', at);
      const scalar = template.scalar.replaceAll('\n', `\n${' '.repeat(8)}`);
      return `${template.yaml11 ? '%YAML 1.1\n---\n' : ''}${text.slice(0, at)}: ${scalar}${text.slice(end)}`;
    }
    case 'multi-document':
      return `${head}metadata:\n  name: ${name}\n${spec}---\n${head}metadata:\n  name: second\n${spec}`;
    case 'deep-flow':
      return `${head}metadata:\n  name: ${name}\nspec: ${'['.repeat(template.depth)}${']'.repeat(template.depth)}\n`;
  }
}

export function bodyArbitrary(keys: readonly string[]): fc.Arbitrary<BodyRecipe> {
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        from: fc.constant('object' as const),
        mutations: fc.array(mutationArbitrary(keys), { maxLength: 4 }),
        encoding: fc.constantFrom('json' as const, 'json' as const, 'yaml' as const),
        edits: fc.oneof(
          { weight: 3, arbitrary: fc.constant([]) },
          { weight: 2, arbitrary: fc.array(textEditArbitrary, { minLength: 1, maxLength: 3 }) },
        ),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        from: fc.constant('yaml-template' as const),
        template: yamlTemplateArbitrary(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ from: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 512 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        from: fc.constant('text' as const),
        text: fc.oneof(
          fc.constantFrom(
            '',
            ' ',
            '\n',
            'null',
            '[]',
            '{}',
            '"x"',
            '1e308',
            '-0',
            'true',
            '\ufeff{}',
            '{"a":1}{}',
          ),
          unicodeString,
        ),
      }),
    },
  );
}

/** The bytes of a body recipe over `base` (the object the recipe mutates), and whether they are YAML. */
export function renderBody(recipe: BodyRecipe, base: unknown): { bytes: Buffer; yaml: boolean } {
  switch (recipe.from) {
    case 'object': {
      const value = mutate(base, recipe.mutations);
      let bytes: Buffer = Buffer.from(
        recipe.encoding === 'yaml' ? yamlText(value) : (JSON.stringify(value) ?? 'null'),
        'utf8',
      );
      for (const edit of recipe.edits) bytes = applyTextEdit(bytes, edit);
      return { bytes, yaml: recipe.encoding === 'yaml' };
    }
    case 'yaml-template':
      return {
        bytes: Buffer.from(renderYamlTemplate(recipe.template, base as Record<string, unknown>), 'utf8'),
        yaml: true,
      };
    case 'bytes':
      return { bytes: Buffer.from(recipe.bytes), yaml: false };
    case 'text':
      return { bytes: Buffer.from(recipe.text, 'utf8'), yaml: false };
  }
}

function yamlText(value: unknown): string {
  try {
    return stringify(value, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(value) ?? 'null';
  }
}

const POINTER_SUFFIXES = [
  '',
  '',
  '',
  '/-',
  '/0',
  '/1',
  '/x',
  '/~1',
  '/~0',
  '/~2',
  '/01',
  '/-1',
  '/99999999999',
];

const LITERAL_POINTERS = [
  '',
  '/',
  '//',
  '/-',
  'spec',
  '~',
  '/~',
  '/metadata/name',
  '/metadata/namespace',
  '/metadata/resourceVersion',
  '/metadata/uid',
  '/metadata/managedFields',
  '/metadata/managedFields/0/fieldsV1',
  '/metadata/labels/a~1b',
  '/metadata/finalizers/-',
  '/metadata/ownerReferences',
  '/metadata/deletionTimestamp',
  '/status',
  '/status/conditions/-',
  '/apiVersion',
  '/kind',
  '/__proto__',
  '/__proto__/polluted',
  '/constructor/prototype',
  '/spec/__proto__',
];

export const pointerArbitrary: fc.Arbitrary<PointerRecipe> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ node: fc.nat(), suffix: fc.constantFrom(...POINTER_SUFFIXES) }) },
  { weight: 2, arbitrary: fc.record({ literal: fc.constantFrom(...LITERAL_POINTERS) }) },
  { weight: 1, arbitrary: fc.record({ literal: unicodeString }) },
);

export function patchOperationArbitrary(): fc.Arbitrary<PatchOperationRecipe> {
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record(
        {
          op: fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test') },
            { weight: 1, arbitrary: fc.constantFrom('', 'ADD', 'merge', '_get', 'unknown') },
          ),
          path: pointerArbitrary,
          from: pointerArbitrary,
          value: hostileValue,
          extra: fc.dictionary(
            fc.constantFrom('op', 'path', 'from', 'value', '__proto__', 'x'),
            hostileValue,
            {
              maxKeys: 2,
            },
          ),
        },
        { requiredKeys: ['op'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({
          amplify: fc.constant('double' as const),
          node: fc.nat(),
          times: fc.integer({ min: 1, max: 8 }),
        }),
        fc.record({
          amplify: fc.constant('deepen' as const),
          node: fc.nat(),
          times: fc.integer({ min: 1, max: 12 }),
        }),
      ),
    },
    { weight: 1, arbitrary: fc.record({ raw: hostileValue }) },
  );
}

function pointer(path: readonly Key[]): string {
  return path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function resolvePointer(recipe: PointerRecipe, paths: readonly Key[][]): string {
  if ('literal' in recipe) return recipe.literal;
  return pointer(paths[recipe.node % paths.length]!) + recipe.suffix;
}

/** The operations of a JSON patch recipe, their pointers resolved against the document they will patch. */
export function renderJsonPatch(recipes: readonly PatchOperationRecipe[], document: unknown): unknown[] {
  const paths = nodePaths(document);
  const containers = paths.filter((path) => {
    const node = nodeAt(document, path);
    return path.length > 0 && typeof node === 'object' && node !== null && !Array.isArray(node);
  });
  const operations: unknown[] = [];
  for (const recipe of recipes) {
    if ('raw' in recipe) {
      operations.push(copyOf(recipe.raw));
    } else if ('amplify' in recipe) {
      if (containers.length === 0) continue;
      const at = pointer(containers[recipe.node % containers.length]!);
      let depth = 1;
      for (let i = 0; i < recipe.times; i++) {
        const path = recipe.amplify === 'double' ? `${at}/copy${i}` : `${at}${'/copy'.repeat(depth)}`;
        operations.push({ op: 'copy', from: at, path });
        depth *= 2;
      }
    } else {
      const operation: Record<string, unknown> = { op: recipe.op };
      if (recipe.path !== undefined) operation.path = resolvePointer(recipe.path, paths);
      if (recipe.from !== undefined) operation.from = resolvePointer(recipe.from, paths);
      if (recipe.value !== undefined) operation.value = copyOf(recipe.value);
      for (const [key, value] of Object.entries(recipe.extra ?? {})) setOwn(operation, key, copyOf(value));
      operations.push(operation);
    }
  }
  return operations;
}

/** A query value read from the server just before the request (a real continue token or revision), or text. */
export type QueryValue =
  | string
  | { readonly live: 'continue' | 'resourceVersion' | 'future'; readonly tail: string };

export interface QueryRecipe {
  readonly pairs: readonly (readonly [string, QueryValue])[];
  /** Values left unencoded, so `%`, `&`, `=` and `+` reach the server's own query parser. */
  readonly raw: boolean;
}

export interface LiveValues {
  readonly continueToken: string;
  readonly resourceVersion: string;
}

const labelKey = fc.oneof(
  fc.constantFrom(
    'app',
    'tier',
    'env',
    'kubernetes.io/name',
    'a.b/c',
    'x'.repeat(64),
    'bad key',
    '',
    'UPPER',
  ),
  fc.constantFrom('-a', 'a/b/c', 'é', '\ud800', 'a/', '/a', 'in', 'notin'),
  unicodeString,
);

const labelValue = fc.oneof(
  fc.constantFrom('web', 'api', '', 'x'.repeat(64), 'a b', '(', ')', ',', '!', '=', 'é', '\\,', '-a'),
  unicodeString,
);

const labelRequirement = fc.oneof(
  fc
    .tuple(labelKey, fc.constantFrom('=', '==', '!=', ' = ', '=='), labelValue)
    .map(([key, op, value]) => `${key}${op}${value}`),
  fc
    .tuple(
      labelKey,
      fc.constantFrom(' in ', ' notin ', 'in', ' IN ', ' in'),
      fc.array(labelValue, { maxLength: 3 }),
    )
    .map(([key, op, values]) => `${key}${op}(${values.join(',')})`),
  labelKey.map((key) => `!${key}`),
  labelKey,
  fc.constantFrom(
    '',
    ',',
    ',,',
    'a in (',
    'a in ()',
    'a notin (b',
    '!',
    '!!a',
    'a=b=c',
    'a==',
    '=b',
    'a>1',
    'a<1',
  ),
  fc.constantFrom('a in (b)(c)', 'a gt 1', ' ', '(a)', '\u0000', 'a in ((b))', 'a,,b', 'a!', '!a=b'),
);

const labelSelector = fc.array(labelRequirement, { maxLength: 4 }).map((parts) => parts.join(','));

const fieldName = fc.constantFrom(
  'metadata.name',
  'metadata.namespace',
  'spec.networkRef.name',
  'spec.workloadRef.name',
  'status.phase',
  'spec.mtu',
  'metadata.labels',
  '',
  '.metadata.name',
  'metadata..name',
  'metadata.name\\',
);

const fieldSelector = fc
  .array(
    fc.oneof(
      fc
        .tuple(fieldName, fc.constantFrom('=', '==', '!=', '', '=!', '==='), labelValue)
        .map(([field, op, value]) => `${field}${op}${value}`),
      fc.constantFrom('metadata.name=a\\,b', 'metadata.name=\\', 'metadata.name=a\\=b', ',', '='),
      unicodeString,
    ),
    { maxLength: 3 },
  )
  .map((parts) => parts.join(','));

const integerText = fc.oneof(
  fc.nat({ max: 1000 }).map(String),
  fc.constantFrom('-1', 'abc', '1e3', '1.5', '9007199254740993', '0x10', ' 1', '1 ', '+1', '', '00', '٣'),
);

const resourceVersionValue = fc.oneof(
  fc.constantFrom('0', '', '1', '-1', 'abc', '1.5', '01', '99999999999999999', '1e3', ' 1', '0x1'),
  fc.record({
    live: fc.constantFrom('resourceVersion' as const, 'future' as const),
    tail: fc.constantFrom('', '', '0', 'x'),
  }),
);

const continueValue = fc.oneof(
  fc.record({
    live: fc.constant('continue' as const),
    tail: fc.constantFrom('', '', 'x', '=', '%3D', 'AAAA'),
  }),
  fc.constantFrom('garbage', '', 'e30', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', 'eyJydiI6LTF9', '%', '=='),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);

const QUERY_VALUES: Record<string, fc.Arbitrary<QueryValue>> = {
  labelSelector,
  fieldSelector,
  limit: integerText,
  continue: continueValue,
  resourceVersion: resourceVersionValue,
  resourceVersionMatch: fc.constantFrom('Exact', 'NotOlderThan', '', 'exact', 'Bogus'),
  includeObject: fc.constantFrom('None', 'Metadata', 'Object', 'All', ''),
  allowWatchBookmarks: fc.constantFrom('true', 'false', '1', 'yes', ''),
  sendInitialEvents: fc.constantFrom('true', 'false', ''),
  dryRun: fc.constantFrom('All', 'All', '', 'all', 'None', 'true'),
  fieldValidation: fc.constantFrom('Strict', 'Warn', 'Ignore', 'strict', '', 'Bogus'),
  fieldManager: fc.oneof(fc.constantFrom('fuzz', 'kubectl', '', 'x'.repeat(129), 'a\tb', 'é'), unicodeString),
  force: fc.constantFrom('true', 'false', '1', ''),
  propagationPolicy: fc.constantFrom('Background', 'Foreground', 'Orphan', '', 'background', 'Sideways'),
  orphanDependents: fc.constantFrom('true', 'false', ''),
  gracePeriodSeconds: integerText,
  timeoutSeconds: fc.constantFrom('-1', 'abc', '1.5'),
  pretty: fc.constantFrom('true', '1'),
};

/** A query over `keys` (plus strangers), every value drawn from what that parameter is likely to choke on. */
export function queryArbitrary(keys: readonly string[]): fc.Arbitrary<QueryRecipe> {
  const pair = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...keys)
        .chain((key) => QUERY_VALUES[key]!.map((value) => [key, value] as const)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.oneof(fc.constantFrom('', '&', '=', '%', '__proto__', 'LabelSelector'), unicodeString),
        unicodeString,
      ),
    },
  );
  return fc.record({
    pairs: fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.filter(([key]) => key !== 'watch')),
    raw: fc.boolean(),
  });
}

const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]$/;
const PRINTABLE = /^[\x21-\x7e]$/;

/** Percent-encoding that, unlike encodeURIComponent, also carries lone surrogates (as their WTF-8 bytes). */
export function percentEncode(text: string, keep: RegExp = UNRESERVED): string {
  let out = '';
  for (const character of text) {
    if (keep.test(character)) {
      out += character;
      continue;
    }
    const code = character.codePointAt(0)!;
    const bytes =
      code >= 0xd800 && code <= 0xdfff
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        : [...Buffer.from(character, 'utf8')];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

export function renderQuery(recipe: QueryRecipe, live: LiveValues): string {
  const value = (v: QueryValue): string => {
    if (typeof v === 'string') return v;
    if (v.live === 'continue') return live.continueToken + v.tail;
    if (v.live === 'future') return String(Number(live.resourceVersion) + 1000) + v.tail;
    return live.resourceVersion + v.tail;
  };
  return recipe.pairs
    .map(
      ([key, v]) => `${percentEncode(key)}=${percentEncode(value(v), recipe.raw ? PRINTABLE : UNRESERVED)}`,
    )
    .join('&');
}

const PATH_SEGMENTS = [
  'api',
  'apis',
  'v1',
  'v1alpha1',
  'v2',
  'namespaces',
  'default',
  'fuzz-scratch',
  'nope',
  'networking.datumapis.com',
  'compute.datumapis.com',
  'apiextensions.k8s.io',
  'coordination.k8s.io',
  'pods',
  'events',
  'leases',
  'customresourcedefinitions',
  'status',
  'finalize',
  'scale',
  'proxy',
  'openapi',
  'v3',
  'healthz',
  'readyz',
  'livez',
  'version',
  'swagger-2.0.0.pb-v1',
  '',
  '.',
  '..',
  '%2e%2e',
  '%2F',
  '%',
  '%zz',
  '%00',
  '%E0%A4%A',
  '%C0%AF',
  '%ED%A0%80',
  '~',
  '*',
  ':',
  '@',
  'a;b=c',
];

/** Request targets, origin-form and otherwise, in the printable ASCII that an HTTP request line may carry. */
export function targetArbitrary(names: readonly string[]): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PATH_SEGMENTS, ...names) },
    { weight: 1, arbitrary: unicodeString.map((s) => percentEncode(s, PRINTABLE)) },
    { weight: 1, arbitrary: fc.webSegment() },
  );
  const originForm = fc
    .tuple(
      fc.array(segment, { maxLength: 8 }),
      fc.option(queryArbitrary(Object.keys(QUERY_VALUES)), { freq: 3 }),
    )
    .map(([segments, query]) => {
      const live = { continueToken: 'x', resourceVersion: '1' };
      return `/${segments.join('/')}${query === null ? '' : `?${renderQuery(query, live)}`}`;
    });
  const otherForm = fc.constantFrom(
    'http://[',
    'http://a:b@/apis',
    'http://localhost/api',
    'https://x/apis/networking.datumapis.com/v1alpha1',
    '//x/apis',
    '*',
    'http://[::1]:99999/x',
    'http://%zz/',
    'http://',
    '/?',
    '/#',
    '/api?%',
    '/apis/%',
  );
  return fc.oneof({ weight: 12, arbitrary: originForm }, { weight: 1, arbitrary: otherForm });
}
