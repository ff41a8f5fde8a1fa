import { FORMATS } from '../admission/formats.ts';
import { celRules } from '../admission/resource-schema.ts';
import { compileRule } from '../cel/environment.ts';
import {
  duplicate,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  OMIT_VALUE,
  required,
  tooMany,
} from '../schema/field-error.ts';
import { keyPath } from '../schema/field-path.ts';
import { utf8Length } from '../schema/go-format.ts';
import { additionalPropertiesSchema, itemsSchema, type JsonSchemaProps } from '../schema/json-schema.ts';
import { isDns1035Label, isDns1123Subdomain } from '../schema/k8s-names.ts';
import { parseRuleFieldPath } from '../schema/rule-field-path.ts';
import { checkStructural } from '../schema/structural.ts';
import { parseJsonPath } from '../table/jsonpath.ts';
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
} from './custom-resource-definition.ts';

export const CRD_SCOPES = ['Cluster', 'Namespaced'] as const;
export const CONVERSION_STRATEGIES = ['None', 'Webhook'] as const;
export const MAX_SELECTABLE_FIELDS = 8;

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

type Crd = CustomResourceDefinition;
type Spec = Crd['spec'];
type Version = CustomResourceDefinitionVersion;
type Conversion = NonNullable<Spec['conversion']>;

/** The rules of apiextensions' validation, for a CRD its schema accepted (see validateCustomResourceDefinition). */
export function customResourceDefinitionRules(crd: Crd, old?: Crd): FieldError[] {
  const { spec } = crd;
  return [
    ...(old === undefined ? nameErrors(crd) : []),
    ...specErrors(spec),
    ...(old === undefined ? [] : immutableErrors(crd, old)),
    ...(crd.status?.acceptedNames === undefined
      ? []
      : namesErrors(crd.status.acceptedNames, 'status.acceptedNames')),
    ...storedVersionErrors(crd),
    ...approvalErrors(crd, old),
    ...preserveUnknownFieldsErrors(crd, old),
  ];
}

function nameErrors(crd: Crd): FieldError[] {
  const want = `${crd.spec.names.plural}.${crd.spec.group}`;
  const name: unknown = crd.metadata?.name;
  if (typeof name !== 'string' || name === want) return [];
  return [invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')];
}

function specErrors(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.group === '') errs.push(required('spec.group'));
  else {
    const problems = isDns1123Subdomain(spec.group);
    if (problems.length > 0) errs.push(invalid('spec.group', spec.group, problems.join(',')));
    else if (!spec.group.includes('.'))
      errs.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  errs.push(...enumErrors('spec.scope', spec.scope, CRD_SCOPES));
  spec.versions.forEach((version, i) => {
    if (version.schema?.openAPIV3Schema === undefined)
      errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`));
  });
  spec.versions.forEach((version, i) => {
    const at = `spec.versions[${i}]`;
    const problems = isDns1035Label(version.name);
    if (problems.length > 0) errs.push(invalid(`${at}.name`, version.name, problems.join(',')));
    errs.push(...versionErrors(version, at));
  });
  if (spec.versions.length === 0) errs.push(required('spec.versions'));
  else {
    const names = spec.versions.map((v) => v.name);
    if (new Set(names).size !== names.length)
      errs.push(invalid('spec.versions', OMIT_VALUE, 'must contain unique version names'));
    if (spec.versions.filter((v) => v.storage).length !== 1)
      errs.push(
        invalid('spec.versions', OMIT_VALUE, 'must have exactly one version marked as storage version'),
      );
  }
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if ((spec.names[key] ?? '') === '') errs.push(required(`spec.names.${key}`));
  }
  errs.push(...namesErrors(spec.names, 'spec.names'));
  if (spec.conversion !== undefined) errs.push(...conversionErrors(spec.conversion));
  return errs;
}

function enumErrors(path: string, value: string, accepted: readonly string[]): FieldError[] {
  if (value === '') return [required(path)];
  return accepted.includes(value) ? [] : [notSupported(path, value, accepted)];
}

/** ValidateCustomResourceDefinitionNames: DNS-1035 labels; kind and listKind may have mixed case. */
function namesErrors(names: CustomResourceDefinitionNames, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (key: 'plural' | 'singular', value: string | undefined): void => {
    if (!value) return;
    const problems = isDns1035Label(value);
    if (problems.length > 0) errs.push(invalid(`${path}.${key}`, value, problems.join(',')));
  };
  const camel = (key: 'kind' | 'listKind', value: string | undefined): void => {
    if (!value) return;
    const problems = isDns1035Label(value.toLowerCase());
    if (problems.length > 0) {
      errs.push(
        invalid(
          `${path}.${key}`,
          value,
          `may have mixed case, but should otherwise match: ${problems.join(',')}`,
        ),
      );
    }
  };
  label('plural', names.plural);
  label('singular', names.singular);
  camel('kind', names.kind);
  camel('listKind', names.listKind);
  (names.shortNames ?? []).forEach((shortName, i) => {
    const problems = isDns1035Label(shortName);
    if (problems.length > 0) errs.push(invalid(`${path}.shortNames[${i}]`, shortName, problems.join(',')));
  });
  if (names.kind !== '' && names.kind === names.listKind) {
    errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  (names.categories ?? []).forEach((category, i) => {
    const problems = isDns1035Label(category);
    if (problems.length > 0) errs.push(invalid(`${path}.categories[${i}]`, category, problems.join(',')));
  });
  return errs;
}

function versionErrors(version: Version, at: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const problem of deprecationWarningProblems(version)) {
    errs.push(invalid(`${at}.deprecationWarning`, version.deprecationWarning ?? null, problem));
  }
  const schema = version.schema?.openAPIV3Schema;
  if (schema !== undefined) {
    errs.push(
      ...schemaErrors(schema, `${at}.schema.openAPIV3Schema`, version.subresources?.status !== undefined),
    );
  }
  errs.push(...scaleErrors(version.subresources?.scale, `${at}.subresources.scale`));
  (version.additionalPrinterColumns ?? []).forEach((column, i) => {
    errs.push(...columnErrors(column, `${at}.additionalPrinterColumns[${i}]`));
  });
  const fields = version.selectableFields ?? [];
  if (fields.length > 0) {
    if (schema === undefined) {
      errs.push(
        invalid(`${at}.selectableFields`, '', 'may only be set when `version.schema.openAPIV3Schema` is set'),
      );
    } else errs.push(...selectableFieldErrors(fields, schema, `${at}.selectableFields`));
  }
  return errs;
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function deprecationWarningProblems(version: Version): string[] {
  const warning = version.deprecationWarning;
  if (!version.deprecated && warning !== undefined) return ['can only be set for deprecated versions'];
  if (warning === undefined) return [];
  const problems: string[] = [];
  if (utf8Length(warning) > 256) problems.push('must be <= 256 characters long');
  if (warning === '') problems.push('must not be an empty string');
  let offset = 0;
  for (const ch of warning) {
    if (!PRINTABLE.test(ch)) {
      problems.push(
        `must only contain printable UTF-8 characters; non-printable character found at index ${offset}`,
      );
      break;
    }
    offset += utf8Length(ch);
  }
  return problems;
}

/** JSONSchemaProps' fields in Go declaration order, and those allowed at the root beside a status subresource. */
const ROOT_FIELDS = [
  'id',
  '$schema',
  '$ref',
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'patternProperties',
  'dependencies',
  'additionalItems',
  'definitions',
  'externalDocs',
  'example',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;
const ALLOWED_AT_ROOT: Readonly<Record<string, string>> = {
  description: 'Description',
  type: 'Type',
  format: 'Format',
  title: 'Title',
  maximum: 'Maximum',
  exclusiveMaximum: 'ExclusiveMaximum',
  minimum: 'Minimum',
  exclusiveMinimum: 'ExclusiveMinimum',
  maxLength: 'MaxLength',
  minLength: 'MinLength',
  pattern: 'Pattern',
  maxItems: 'MaxItems',
  minItems: 'MinItems',
  uniqueItems: 'UniqueItems',
  multipleOf: 'MultipleOf',
  required: 'Required',
  items: 'Items',
  properties: 'Properties',
  externalDocs: 'ExternalDocs',
  example: 'Example',
  'x-kubernetes-preserve-unknown-fields': 'XPreserveUnknownFields',
  'x-kubernetes-validations': 'XValidations',
};

function schemaErrors(schema: JsonSchemaProps, path: string, statusEnabled: boolean): FieldError[] {
  const errs = statusEnabled ? statusRootErrors(schema, path) : [];
  const structural = checkStructural(schema, path, { formats: FORMATS, rules: celRules });
  errs.push(...structural);
  if (structural.length === 0) errs.push(...ruleCompilationErrors(schema, path));
  return errs;
}

/** With a status subresource only fields that survive extracting properties.status may sit at the root. */
function statusRootErrors(schema: JsonSchemaProps, path: string): FieldError[] {
  const fields = schema as Readonly<Record<string, unknown>>;
  for (const key of ROOT_FIELDS) {
    const value = fields[key];
    if (value === undefined || value === null || value === false || value === '') continue;
    if (key === 'type') {
      if (value === 'object') continue;
      return [
        invalid(
          `${path}.type`,
          value,
          'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
        ),
      ];
    }
    if (ALLOWED_AT_ROOT[key] === undefined) {
      return [
        invalid(
          path,
          OMIT_VALUE,
          `only [${Object.values(ALLOWED_AT_ROOT).join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`,
        ),
      ];
    }
  }
  return [];
}

/** Every x-kubernetes-validations rule must compile, as the API server compiles them when the CRD is written. */
function ruleCompilationErrors(schema: JsonSchemaProps | undefined, path: string): FieldError[] {
  if (schema === undefined) return [];
  const errs: FieldError[] = [];
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const compiled = compileRule({
      rule: rule.rule,
      message: rule.message,
      messageExpression: rule.messageExpression,
      optionalOldSelf: rule.optionalOldSelf,
    });
    if (compiled.ok) return;
    const at = keyPath(`${path}.x-kubernetes-validations`, i);
    if (compiled.message.startsWith('messageExpression'))
      errs.push(invalid(`${at}.messageExpression`, rule.messageExpression ?? '', compiled.message));
    else errs.push(invalid(`${at}.rule`, rule.rule, compiled.message));
  });
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    errs.push(...ruleCompilationErrors(property, keyPath(`${path}.properties`, name)));
  }
  errs.push(...ruleCompilationErrors(itemsSchema(schema), `${path}.items`));
  errs.push(...ruleCompilationErrors(additionalPropertiesSchema(schema), `${path}.additionalProperties`));
  return errs;
}

type Scale = NonNullable<NonNullable<Version['subresources']>['scale']>;

function scaleErrors(scale: Scale | undefined, at: string): FieldError[] {
  if (scale === undefined) return [];
  const errs: FieldError[] = [];
  const under = (key: 'specReplicasPath' | 'statusReplicasPath', prefix: '.spec.' | '.status.'): void => {
    const value = scale[key];
    const path = `${at}.${key}`;
    if (value === '') {
      errs.push(required(path));
      return;
    }
    const simple = simpleJsonPathErrors(value, path);
    if (simple.length > 0) errs.push(...simple);
    else if (!value.startsWith(prefix))
      errs.push(invalid(path, value, `should be a json path under ${prefix.slice(0, -1)}`));
  };
  under('specReplicasPath', '.spec.');
  under('statusReplicasPath', '.status.');
  const selector = scale.labelSelectorPath ?? '';
  if (selector !== '') {
    const path = `${at}.labelSelectorPath`;
    const simple = simpleJsonPathErrors(selector, path);
    if (simple.length > 0) errs.push(...simple);
    else if (!selector.startsWith('.spec.') && !selector.startsWith('.status.'))
      errs.push(invalid(path, selector, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

/** validateSimpleJSONPath: what kube-apiserver checks of a printer column or scale path when the CRD is written. */
function simpleJsonPathErrors(value: string, path: string): FieldError[] {
  if (value === '') return [invalid(path, value, 'must not be empty')];
  if (!value.startsWith('.')) return [invalid(path, value, 'must be a simple json path starting with .')];
  return [];
}

type Column = NonNullable<Version['additionalPrinterColumns']>[number];

function columnErrors(column: Column, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (column.name === '') errs.push(required(`${at}.name`));
  const types = `must be one of ${COLUMN_TYPES.join(',')}`;
  if (column.type === '') errs.push(required(`${at}.type`, types));
  else if (!COLUMN_TYPES.includes(column.type)) errs.push(invalid(`${at}.type`, column.type, types));
  const format = column.format ?? '';
  if (format !== '' && !COLUMN_FORMATS.includes(format)) {
    errs.push(invalid(`${at}.format`, format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  }
  const path = `${at}.jsonPath`;
  if (column.jsonPath === '') errs.push(required(path));
  else {
    const simple = simpleJsonPathErrors(column.jsonPath, path);
    errs.push(...simple);
    const parsed = simple.length === 0 ? parseJsonPath(column.jsonPath) : undefined;
    if (parsed?.ok === false)
      errs.push(invalid(path, column.jsonPath, `must be a valid JSONPath: ${parsed.message}`));
  }
  return errs;
}

const SELECTABLE_TYPES = ['string', 'boolean', 'integer'];

function selectableFieldErrors(
  fields: readonly { readonly jsonPath: string }[],
  schema: JsonSchemaProps,
  at: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  for (const [i, { jsonPath }] of fields.entries()) {
    const path = `${at}[${i}].jsonPath`;
    if (jsonPath === '') {
      errs.push(required(path));
      continue;
    }
    const resolved = parseRuleFieldPath(jsonPath, schema);
    if (!resolved.ok) {
      errs.push(invalid(path, jsonPath, `is an invalid path: ${resolved.error}`));
      continue;
    }
    if (/^[^.[]*/.exec(resolved.path)![0] === 'metadata')
      errs.push(invalid(path, jsonPath, 'must not point to fields in metadata'));
    if (!SELECTABLE_TYPES.includes(resolved.schema?.type ?? '')) {
      errs.push(
        invalid(
          path,
          jsonPath,
          'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
        ),
      );
    }
    if (unique.has(resolved.path)) errs.push(duplicate(path, jsonPath));
    unique.add(resolved.path);
  }
  if (unique.size > MAX_SELECTABLE_FIELDS) errs.push(tooMany(at, unique.size, MAX_SELECTABLE_FIELDS));
  return errs;
}

function conversionErrors(conversion: Conversion): FieldError[] {
  const errs = enumErrors('spec.conversion.strategy', conversion.strategy, CONVERSION_STRATEGIES);
  const at = 'spec.conversion.webhook';
  const clientConfig = conversion.webhook?.clientConfig;
  const reviewVersions = conversion.webhook?.conversionReviewVersions ?? [];
  if (conversion.strategy !== 'Webhook') {
    const notWebhook = 'should not be set when strategy is not set to Webhook';
    if (clientConfig !== undefined) errs.push(forbidden(`${at}.clientConfig`, notWebhook));
    if (reviewVersions.length > 0) errs.push(forbidden(`${at}.conversionReviewVersions`, notWebhook));
    return errs;
  }
  if (clientConfig === undefined) {
    errs.push(required(`${at}.clientConfig`, 'required when strategy is set to Webhook'));
  } else if ((clientConfig.url === undefined) === (clientConfig.service === undefined)) {
    errs.push(required(`${at}.clientConfig`, 'exactly one of url or service is required'));
  } else if (clientConfig.url !== undefined) {
    errs.push(...webhookUrlErrors(clientConfig.url, `${at}.clientConfig.url`));
  } else if (clientConfig.service !== undefined) {
    errs.push(...webhookServiceErrors(clientConfig.service, `${at}.clientConfig.service`));
  }
  errs.push(...reviewVersionErrors(reviewVersions, `${at}.conversionReviewVersions`));
  return errs;
}

const URL_FORM = '; desired format: https://host[/path]';

function webhookUrlErrors(text: string, path: string): FieldError[] {
  if (!URL.canParse(text))
    return [required(path, `url must be a valid URL: parse ${JSON.stringify(text)}${URL_FORM}`)];
  const url = new URL(text);
  const errs: FieldError[] = [];
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'https')
    errs.push(invalid(path, scheme, `'https' is the only allowed URL scheme${URL_FORM}`));
  if (url.host === '') errs.push(invalid(path, url.host, `host must be specified${URL_FORM}`));
  if (url.username !== '' || url.password !== '') {
    const user = url.password === '' ? url.username : `${url.username}:${url.password}`;
    errs.push(invalid(path, user, 'user information is not permitted in the URL'));
  }
  if (url.hash.length > 1)
    errs.push(invalid(path, url.hash.slice(1), 'fragments are not permitted in the URL'));
  if (url.search.length > 1)
    errs.push(invalid(path, url.search.slice(1), 'query parameters are not permitted in the URL'));
  return errs;
}

type Service = NonNullable<NonNullable<Conversion['webhook']>['clientConfig']>['service'] & {};

function webhookServiceErrors(service: Service, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (service.name === '') errs.push(required(`${at}.name`));
  if (service.namespace === '') errs.push(required(`${at}.namespace`));
  const port = service.port ?? 443;
  if (port < 1 || port > 65535) {
    errs.push(invalid(`${at}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  }
  const urlPath = service.path ?? '';
  if (urlPath === '' || urlPath === '/') return errs;
  const path = `${at}.path`;
  if (urlPath === '//') return [...errs, invalid(path, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(invalid(path, urlPath, "must start with a '/'"));
  for (const [i, segment] of urlPath.slice(1).replace(/\/$/, '').split('/').entries()) {
    if (segment === '') errs.push(invalid(path, urlPath, `segment[${i}] may not be empty`));
    for (const problem of segment === '' ? [] : isDns1123Subdomain(segment))
      errs.push(invalid(path, urlPath, `segment[${i}]: ${problem}`));
  }
  return errs;
}

function reviewVersionErrors(versions: readonly string[], path: string): FieldError[] {
  if (versions.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, version] of versions.entries()) {
    if (seen.has(version)) {
      errs.push(invalid(`${path}[${i}]`, version, 'duplicate version'));
      continue;
    }
    seen.add(version);
    for (const problem of isDns1035Label(version)) errs.push(invalid(`${path}[${i}]`, version, problem));
  }
  if (!versions.some((v) => CONVERSION_REVIEW_VERSIONS.includes(v))) {
    errs.push(
      invalid(path, versions, `must include at least one of ${CONVERSION_REVIEW_VERSIONS.join(', ')}`),
    );
  }
  return errs;
}

function immutableErrors(crd: Crd, old: Crd): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (path: string, now: string, was: string): void => {
    if (now !== was) errs.push(invalid(path, now, 'field is immutable'));
  };
  const established = (old.status?.conditions ?? []).some(
    (c) => c.type === 'Established' && c.status === 'True',
  );
  if (established) {
    immutable('spec.scope', crd.spec.scope, old.spec.scope);
    immutable('spec.names.kind', crd.spec.names.kind, old.spec.names.kind);
  }
  immutable('spec.group', crd.spec.group, old.spec.group);
  immutable('spec.names.plural', crd.spec.names.plural, old.spec.names.plural);
  return errs;
}

/** A version objects were stored at stays in spec.versions until a storage migration drops it from the status. */
function storedVersionErrors(crd: Crd): FieldError[] {
  const versions = new Set(crd.spec.versions.map((v) => v.name));
  const errs: FieldError[] = [];
  (crd.status?.storedVersions ?? []).forEach((stored, i) => {
    if (versions.has(stored)) return;
    errs.push(
      invalid(
        `status.storedVersions[${i}]`,
        stored,
        `missing from spec.versions; ${stored} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${stored} and removes ${stored} from status.storedVersions`,
      ),
    );
  });
  return errs;
}

type Approval = 'missing' | 'bypassed' | 'approved' | 'invalid';

function approvalState(crd: Crd): Approval {
  const value: unknown = crd.metadata?.annotations?.[APPROVAL_ANNOTATION];
  const annotation = typeof value === 'string' ? value : '';
  if (annotation === '') return 'missing';
  if (annotation.startsWith('unapproved')) return 'bypassed';
  if (URL.canParse(annotation)) {
    const url = new URL(annotation);
    if (url.host !== '' && url.protocol !== '') return 'approved';
  }
  return 'invalid';
}

/** Groups under k8s.io and kubernetes.io belong to the Kubernetes community and need an approval annotation. */
function approvalErrors(crd: Crd, old: Crd | undefined): FieldError[] {
  const group = crd.spec.group;
  const protectedGroup = ['k8s.io', 'kubernetes.io'].some((g) => group === g || group.endsWith(`.${g}`));
  if (!protectedGroup) return [];
  const state = approvalState(crd);
  if (old !== undefined && approvalState(old) === state) return [];
  const path = `metadata.annotations[${APPROVAL_ANNOTATION}]`;
  const see = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (state === 'missing')
    return [
      required(path, `protected groups must have approval annotation "${APPROVAL_ANNOTATION}", ${see}`),
    ];
  if (state === 'invalid') {
    return [
      invalid(
        path,
        crd.metadata?.annotations?.[APPROVAL_ANNOTATION] ?? '',
        `protected groups must have approval annotation "${APPROVAL_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${see}`,
      ),
    ];
  }
  return [];
}

function preserveUnknownFieldsErrors(crd: Crd, old: Crd | undefined): FieldError[] {
  if (old?.spec.preserveUnknownFields === true || crd.spec.preserveUnknownFields !== true) return [];
  return [
    invalid(
      'spec.preserveUnknownFields',
      true,
      'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ),
  ];
}
