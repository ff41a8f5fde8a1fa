import { type Static, Type } from 'typebox';

const field = (description: string) => Type.Optional(Type.String({ description }));

/** core/v1 ObjectReference: which object an Event is about. */
export const ObjectReference = (description: string) =>
  Type.Object(
    {
      kind: field('The kind of the object, e.g. Network.'),
      namespace: field("The object's namespace; empty for a cluster-scoped object."),
      name: field("The object's name."),
      uid: field("The object's uid."),
      apiVersion: field("The object's API version, e.g. networking.datumapis.com/v1alpha1."),
      resourceVersion: field('The resourceVersion of the object the event was recorded for.'),
      fieldPath: field('A part of the object, e.g. spec.containers{web}, when the event is about that part.'),
    },
    { description, 'x-kubernetes-map-type': 'atomic' },
  );
export type ObjectReference = Static<ReturnType<typeof ObjectReference>>;
