import fc from 'fast-check';
import type { FieldPath, PathElement } from '../path-element.ts';
import { keyElement } from '../path-element.ts';

const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);

/** Any path element: field names, list-map keys (unique key names), set values and indices. */
export const pathElement: fc.Arbitrary<PathElement> = fc.oneof(
  fc.string({ maxLength: 8 }).map((name): PathElement => ({ kind: 'field', name })),
  fc
    .uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 5 }), value: scalar }), {
      minLength: 1,
      maxLength: 3,
      selector: (f) => f.name,
    })
    .map(keyElement),
  fc
    .oneof(scalar, fc.constant(null), fc.array(scalar, { maxLength: 2 }))
    .map((value): PathElement => ({ kind: 'value', value })),
  fc.nat(1000).map((index): PathElement => ({ kind: 'index', index })),
);

/** Field paths from a small alphabet, so that generated sets share prefixes often. */
export const fieldPaths: fc.Arbitrary<FieldPath[]> = fc.array(
  fc.array(
    fc.oneof(
      fc.constantFrom<PathElement>(...['a', 'b', 'c'].map((name) => ({ kind: 'field' as const, name }))),
      pathElement,
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  ),
  { maxLength: 12 },
);
