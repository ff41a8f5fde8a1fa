/** A Kubernetes field.Path in its String() form; undefined is the nil path, which prints as "<nil>". */
export type FieldPath = string | undefined;

/** The path given by a caller: '' or undefined is the nil root, as kube-apiserver validates objects. */
export function rootPath(path: string | undefined): FieldPath {
  return path === undefined || path === '' ? undefined : path;
}

export function childPath(path: FieldPath, name: string): string {
  return path === undefined ? name : `${path}.${name}`;
}

/** A subscript: a list index or a map key, printed in brackets. */
export function keyPath(path: FieldPath, key: string | number): string {
  return `${path ?? ''}[${key}]`;
}

export function pathString(path: FieldPath): string {
  return path ?? '<nil>';
}
