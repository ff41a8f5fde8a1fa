import { ALL_VERBS, type ResourceInfo, type TableColumn } from '../registry/resource-info.ts';
import type { JsonSchemaProps } from '../schema/json-schema.ts';
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
} from './custom-resource-definition.ts';

const PRESERVE_EVERYTHING: JsonSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

type Column = NonNullable<CustomResourceDefinitionVersion['additionalPrinterColumns']>[number];

/**
 * What a (valid) CRD serves: one resource per served version, under the names the API server accepted
 * (status.acceptedNames, or spec.names before any status was written), with that version's subresources,
 * printer columns, selectable fields (leading dot dropped) and schema.
 */
export function resourcesOfCustomResourceDefinition(crd: CustomResourceDefinition): ResourceInfo[] {
  const accepted = crd.status?.acceptedNames;
  const names =
    accepted !== undefined && accepted.plural !== '' && accepted.kind !== '' ? accepted : crd.spec.names;
  return crd.spec.versions
    .filter((version) => version.served)
    .map((version) => {
      const schema = version.schema?.openAPIV3Schema ?? PRESERVE_EVERYTHING;
      return {
        group: crd.spec.group,
        version: version.name,
        kind: names.kind,
        listKind: names.listKind || `${names.kind}List`,
        plural: names.plural,
        singular: names.singular || names.kind.toLowerCase(),
        namespaced: crd.spec.scope === 'Namespaced',
        shortNames: [...(names.shortNames ?? [])],
        categories: [...(names.categories ?? [])],
        verbs: ALL_VERBS,
        subresources: version.subresources?.status === undefined ? [] : ['status'],
        printerColumns: (version.additionalPrinterColumns ?? []).map(tableColumn),
        selectableFields: (version.selectableFields ?? []).map((field) => field.jsonPath.replace(/^\./, '')),
        schema,
        description: schema.description ?? '',
      };
    });
}

function tableColumn(column: Column): TableColumn {
  return {
    name: column.name,
    type: column.type as TableColumn['type'],
    jsonPath: column.jsonPath,
    description: column.description ?? '',
    ...(column.priority === undefined ? {} : { priority: column.priority }),
    ...(column.format === undefined ? {} : { format: column.format }),
  };
}
