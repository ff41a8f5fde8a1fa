import { compareElements, type FieldPath, type PathElement } from './path-element.ts';

/**
 * A set of field paths as structured-merge-diff keeps it: members (paths in the set) and children (subtrees
 * holding deeper members; being a child does not make a path a member). Both are sorted; no child is empty.
 */
export interface FieldSet {
  readonly members: readonly PathElement[];
  readonly children: readonly FieldSetChild[];
}

export interface FieldSetChild {
  readonly element: PathElement;
  readonly set: FieldSet;
}

export const EMPTY_FIELD_SET: FieldSet = { members: [], children: [] };

/** The set of the given paths; the empty path (the whole object) is never a member. */
export function fieldSetOf(paths: Iterable<FieldPath>): FieldSet {
  return setAt(Array.isArray(paths) ? paths : [...paths], 0);
}

// The set of the paths' suffixes from `depth` on, without copying a suffix per level.
function setAt(paths: readonly FieldPath[], depth: number): FieldSet {
  const members: PathElement[] = [];
  const deeper: FieldPath[] = [];
  for (const path of paths) {
    if (path.length <= depth) continue;
    if (path.length === depth + 1) members.push(path[depth]!);
    else deeper.push(path);
  }
  deeper.sort((a, b) => compareElements(a[depth]!, b[depth]!));
  const children: FieldSetChild[] = [];
  for (let i = 0; i < deeper.length; ) {
    const element = deeper[i]![depth]!;
    let j = i + 1;
    while (j < deeper.length && compareElements(deeper[j]![depth]!, element) === 0) j++;
    children.push({ element, set: setAt(deeper.slice(i, j), depth + 1) });
    i = j;
  }
  return { members: sortedUnique(members), children };
}

function sortedUnique(elements: PathElement[]): PathElement[] {
  elements.sort(compareElements);
  return elements.filter((e, i) => i === 0 || compareElements(elements[i - 1]!, e) !== 0);
}

export function isEmptySet(set: FieldSet): boolean {
  return set.members.length === 0 && set.children.every((c) => isEmptySet(c.set));
}

export function hasPath(set: FieldSet, path: FieldPath): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return false;
  if (rest.length === 0) return findElement(set.members, head) >= 0;
  const child = findChild(set.children, head);
  return child !== undefined && hasPath(child.set, rest);
}

/** The subtree under one element, without that element: Set.WithPrefix. */
export function withPrefix(set: FieldSet, element: PathElement): FieldSet {
  return findChild(set.children, element)?.set ?? EMPTY_FIELD_SET;
}

/** Every member path, members before children at each level (structured-merge-diff's Iterate order). */
export function setPaths(set: FieldSet, prefix: FieldPath = []): FieldPath[] {
  return [
    ...set.members.map((m) => [...prefix, m]),
    ...set.children.flatMap((c) => setPaths(c.set, [...prefix, c.element])),
  ];
}

export function setsEqual(a: FieldSet, b: FieldSet): boolean {
  return (
    a.members.length === b.members.length &&
    a.members.every((m, i) => compareElements(m, b.members[i]!) === 0) &&
    a.children.length === b.children.length &&
    a.children.every(
      (c, i) =>
        compareElements(c.element, b.children[i]!.element) === 0 && setsEqual(c.set, b.children[i]!.set),
    )
  );
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  if (isBare(b)) return a;
  if (isBare(a)) return b;
  const children: FieldSetChild[] = [];
  zipChildren(a.children, b.children, (element, x, y) => {
    children.push({ element, set: x && y ? union(x, y) : (x ?? y)! });
  });
  const members = mergeMembers(a.members, b.members, 'union');
  if (holdsAll(b, members, children)) return b;
  if (holdsAll(a, members, children)) return a;
  return { members, children };
}

// Whether a union added nothing to `set`: the union holds every member and child of each side, so equal
// counts and the very same child sets mean equal sets, and `set` can stand for it (equal elements print
// alike, so which side's element is kept never shows).
function holdsAll(
  set: FieldSet,
  members: readonly PathElement[],
  children: readonly FieldSetChild[],
): boolean {
  return (
    set.members.length === members.length &&
    set.children.length === children.length &&
    children.every((c, i) => c.set === set.children[i]!.set)
  );
}

/** Members in both, recursively; children left empty by the intersection are dropped. */
export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  if (isBare(a) || isBare(b)) return EMPTY_FIELD_SET;
  const children: FieldSetChild[] = [];
  zipChildren(a.children, b.children, (element, x, y) => {
    if (!x || !y) return;
    const set = intersection(x, y);
    if (!isEmptySet(set)) children.push({ element, set });
  });
  return { members: mergeMembers(a.members, b.members, 'intersection'), children };
}

/** Members of a not in b. A parent member is not removed by its children, nor children by their parent. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  if (isBare(a) || isBare(b)) return a;
  const children: FieldSetChild[] = [];
  zipChildren(a.children, b.children, (element, x, y) => {
    if (!x) return;
    const set = y ? difference(x, y) : x;
    if (!isEmptySet(set)) children.push({ element, set });
  });
  return { members: mergeMembers(a.members, b.members, 'difference'), children };
}

/** Like difference, but a member of b also removes everything below it from a. */
export function recursiveDifference(a: FieldSet, b: FieldSet): FieldSet {
  if (isBare(a) || isBare(b)) return a;
  const children: FieldSetChild[] = [];
  zipChildren(a.children, b.children, (element, x, y) => {
    if (!x || findElement(b.members, element) >= 0) return;
    const set = y ? recursiveDifference(x, y) : x;
    if (!isEmptySet(set)) children.push({ element, set });
  });
  return { members: mergeMembers(a.members, b.members, 'difference'), children };
}

// With no members and no children a set is the identity of union and difference (sets never hold empty
// children, so the full operation would rebuild the other set as it is).
function isBare(set: FieldSet): boolean {
  return set.members.length === 0 && set.children.length === 0;
}

function mergeMembers(
  a: readonly PathElement[],
  b: readonly PathElement[],
  mode: 'union' | 'intersection' | 'difference',
): PathElement[] {
  const out: PathElement[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareElements(a[i]!, b[j]!);
    if (c < 0) {
      if (mode !== 'intersection') out.push(a[i]!);
      i++;
    } else if (c > 0) {
      if (mode === 'union') out.push(b[j]!);
      j++;
    } else {
      if (mode !== 'difference') out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

function zipChildren(
  a: readonly FieldSetChild[],
  b: readonly FieldSetChild[],
  visit: (element: PathElement, x: FieldSet | undefined, y: FieldSet | undefined) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareElements(a[i]!.element, b[j]!.element);
    if (c < 0) {
      visit(a[i]!.element, a[i]!.set, undefined);
      i++;
    } else if (c > 0) {
      visit(b[j]!.element, undefined, b[j]!.set);
      j++;
    } else {
      visit(a[i]!.element, a[i]!.set, b[j]!.set);
      i++;
      j++;
    }
  }
}

function findElement(sorted: readonly PathElement[], element: PathElement): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareElements(sorted[mid]!, element);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function findChild(children: readonly FieldSetChild[], element: PathElement): FieldSetChild | undefined {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareElements(children[mid]!.element, element);
    if (c === 0) return children[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
