import type { KindDefinition } from './kind.ts';

export type JsonObject = { [key: string]: unknown };

/** The schema as plain JSON (TypeBox's symbol keys dropped), with metadata left to the API server as Kubernetes does. */
export function openAPIV3Schema(kind: KindDefinition): JsonObject {
  const schema = JSON.parse(JSON.stringify(kind.schema)) as JsonObject;
  const properties = schema.properties as JsonObject;
  properties.metadata = { type: 'object' };
  const required = ((schema.required as string[] | undefined) ?? []).filter(
    (field) => !['apiVersion', 'kind', 'metadata'].includes(field),
  );
  return { description: kind.description, ...schema, required };
}

/** The apiextensions.k8s.io/v1 CustomResourceDefinition that serves the kind, here or on any Kubernetes cluster. */
export function customResourceDefinition(kind: KindDefinition): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}` },
    spec: {
      group: kind.group,
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.singular,
        shortNames: [...kind.shortNames],
        categories: [...kind.categories],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: kind.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openAPIV3Schema(kind) },
          subresources: { status: {} },
          additionalPrinterColumns: kind.printerColumns.map((column) => ({ ...column })),
          ...(kind.selectableFields.length > 0
            ? { selectableFields: kind.selectableFields.map((jsonPath) => ({ jsonPath })) }
            : {}),
        },
      ],
    },
  };
}
