import { type FieldSet, fieldSetOf, union } from './field-set.ts';
import { childType, declaredField, type TypeRef, typeShape } from './field-type.ts';

/**
 * Set.EnsureNamedFieldsAreMembers: struct fields that only have member children become members too, so that
 * removing a set also removes the structs it leaves behind (map entries are not added).
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, ref: TypeRef | undefined): FieldSet {
  const shape = ref === undefined ? undefined : typeShape(ref);
  const named = set.children
    .filter((c) => c.element.kind === 'field' && shape?.map && declaredField(shape.map, c.element.name))
    .map((c) => [c.element]);
  const children = set.children.map((child) => {
    let childRef: TypeRef | undefined;
    if (child.element.kind === 'field' && shape?.map) childRef = childType(shape.map, child.element.name);
    else if (child.element.kind === 'key' && shape?.list) childRef = shape.list.element;
    return { element: child.element, set: ensureNamedFieldsAreMembers(child.set, childRef) };
  });
  return union({ members: set.members, children }, fieldSetOf(named));
}
