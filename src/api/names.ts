/**
 * Name and metadata validation with upstream's exact messages.
 *
 * The string checks (`isDNS1123Subdomain`, `isQualifiedName`, ...) return a list of messages, empty when the
 * value is valid, as `k8s.io/apimachinery/pkg/util/validation` does; callers wrap each message in a
 * `FieldError` at their own path. `validateObjectMeta` is upstream's `ValidateObjectMeta`
 * (`k8s.io/apimachinery/pkg/api/validation/objectmeta.go`) for creates.
 *
 * Wording follows the API server everynode impersonates (v1.32): "a qualified name ...",
 * "must be no more than 63 characters". Newer upstream releases reworded some of these.
 *
 * Isomorphic: no `node:` imports.
 */

import { fieldErrors, type FieldError } from './errors.js';
import type { ObjectMeta, OwnerReference } from './types.js';

/** A rule for an object's name: the messages for `name`, empty when it is valid. */
export type NameValidator = (name: string) => string[];

// ---------------------------------------------------------------------------------------------
// Message builders (upstream: MaxLenError, RegexError, EmptyError).

/** `must be no more than <n> characters` */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/**
 * A regex mismatch explained with examples, e.g.
 * `... (e.g. 'my-name',  or '123-abc', regex used for validation is '...')`.
 * The double space before `or` is upstream's and kubectl users see it; keep it.
 */
export function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`;
  const quoted = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${quoted}regex used for validation is '${pattern}')`;
}

/** `must be non-empty` */
export function emptyError(): string {
  return 'must be non-empty';
}

/**
 * Length in UTF-8 bytes, which is what upstream's `len()` counts. Counted from the UTF-16 code units
 * rather than by encoding: names and labels are checked on every write.
 */
export function utf8ByteLength(value: string): number {
  // Bodies can carry null or numbers where strings belong; convert as an encoder would, never throw.
  if (typeof value !== 'string') value = value === undefined ? '' : String(value);
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point beyond the BMP
      i++;
    } else bytes += 3; // the rest of the BMP, and a lone surrogate (encoded as U+FFFD)
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// DNS names.

const dns1123LabelFormat = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelMaxLength = 63;
const dns1123LabelPattern = new RegExp(`^${dns1123LabelFormat}$`);

const dns1123SubdomainFormat = `${dns1123LabelFormat}(\\.${dns1123LabelFormat})*`;
const dns1123SubdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainMaxLength = 253;
const dns1123SubdomainPattern = new RegExp(`^${dns1123SubdomainFormat}$`);

const dns1035LabelFormat = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelMessage =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelMaxLength = 63;
const dns1035LabelPattern = new RegExp(`^${dns1035LabelFormat}$`);

/** An RFC 1123 subdomain: the rule for most object names (pods, nodes, daemonsets, ...). */
export function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1123SubdomainMaxLength) errors.push(maxLenError(dns1123SubdomainMaxLength));
  if (!dns1123SubdomainPattern.test(value)) errors.push(regexError(dns1123SubdomainMessage, dns1123SubdomainFormat, 'example.com'));
  return errors;
}

/** An RFC 1123 label: the rule for namespace names. */
export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1123LabelMaxLength) errors.push(maxLenError(dns1123LabelMaxLength));
  if (!dns1123LabelPattern.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots; say so plainly.
    if (dns1123SubdomainPattern.test(value)) errors.push('must not contain dots');
    else errors.push(regexError(dns1123LabelMessage, dns1123LabelFormat, 'my-name', '123-abc'));
  }
  return errors;
}

/** An RFC 1035 label: the rule for service names. */
export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > dns1035LabelMaxLength) errors.push(maxLenError(dns1035LabelMaxLength));
  if (!dns1035LabelPattern.test(value)) errors.push(regexError(dns1035LabelMessage, dns1035LabelFormat, 'my-name', 'abc-123'));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Qualified names (label keys, annotation keys, finalizers) and label values.

const qualifiedNameFormat = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameMessage =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNamePattern = new RegExp(`^${qualifiedNameFormat}$`);

const labelValueFormat = `(${qualifiedNameFormat})?`;
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueMaxLength = 63;
const labelValuePattern = new RegExp(`^${labelValueFormat}$`);

/**
 * A qualified name: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters.
 * Used for label keys, annotation keys (lowercased first) and finalizers.
 */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(qualifiedNameMessage, qualifiedNameFormat, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const errors: string[] = [];
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) errors.push(`prefix part ${emptyError()}`);
    else errors.push(...isDNS1123Subdomain(prefix).map((message) => `prefix part ${message}`));
  }
  if (name.length === 0) errors.push(`name part ${emptyError()}`);
  else if (utf8ByteLength(name) > qualifiedNameMaxLength) errors.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNamePattern.test(name)) {
    errors.push(`name part ${regexError(qualifiedNameMessage, qualifiedNameFormat, 'MyName', 'my.name', '123-abc')}`);
  }
  return errors;
}

/** A label value: empty, or a qualified name without prefix, at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (utf8ByteLength(value) > labelValueMaxLength) errors.push(maxLenError(labelValueMaxLength));
  if (!labelValuePattern.test(value)) errors.push(regexError(labelValueMessage, labelValueFormat, 'MyValue', 'my_value', '12345'));
  return errors;
}

/**
 * Checks a label map: every key must be a qualified name and every value a valid label value.
 * Errors carry `fieldPath` itself (not `fieldPath[key]`), as upstream's `ValidateLabels` does.
 *
 * Lives here rather than in `labels.ts` (which re-exports it) so that `validateObjectMeta` can use it
 * without an import cycle between the two modules.
 */
export function validateLabels(labels: Record<string, string> | undefined | null, fieldPath: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const message of isQualifiedName(key)) errors.push(fieldErrors.invalid(fieldPath, key, message));
    for (const message of isValidLabelValue(value)) errors.push(fieldErrors.invalid(fieldPath, value, message));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Object names.

/**
 * The name a `generateName` prefix stands for when validated. A prefix may end in `-` (the random suffix
 * follows), so upstream swaps the end for a letter before applying the name rule. Upstream drops the two
 * last characters and appends `a`; we do the same so the same prefixes pass and fail.
 */
function maskTrailingDash(prefix: string): string {
  if (!prefix.endsWith('-')) return prefix;
  return prefix.length > 1 ? `${prefix.slice(0, -2)}a` : 'a';
}

/** The namespace name rule (a DNS-1123 label). Upstream: `ValidateNamespaceName`. */
export function validateNamespaceName(name: string, prefix = false): string[] {
  return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
}

/** Kinds whose names follow a rule other than the DNS subdomain default. */
const nameValidatorsByKind: ReadonlyMap<string, NameValidator> = new Map([
  ['Namespace', isDNS1123Label],
  ['Service', isDNS1035Label],
]);

/** The name rule upstream applies to objects of `kind`; a DNS subdomain unless the kind says otherwise. */
export function nameValidatorFor(kind: string | undefined): NameValidator {
  return (kind !== undefined && nameValidatorsByKind.get(kind)) || isDNS1123Subdomain;
}

/**
 * The messages upstream gives for `name` as the name of an object of `options.kind`.
 * `namespaced` does not change the rule (it is accepted so a resource description can be passed as is).
 */
export function validateObjectMetaName(name: string, options: { namespaced?: boolean; kind?: string } = {}): string[] {
  return nameValidatorFor(options.kind)(name);
}

// ---------------------------------------------------------------------------------------------
// ObjectMeta.

/** Upper bound on the summed length of all annotation keys and values. */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

/** Owners that may never be owners (events). Keyed like upstream's GroupVersionKind string. */
const bannedOwners = new Set(['/v1, Kind=Event']);

export interface ObjectMetaValidationOptions {
  /** Whether the resource is namespaced: namespace is then required, else forbidden. */
  namespaced: boolean;
  /** The name rule; `isDNS1123Subdomain` when omitted. Also applied to `generateName` (trailing `-` allowed). */
  nameValidator?: NameValidator;
}

/**
 * Validates metadata on create, in upstream's order: generateName, name, namespace, generation, labels,
 * annotations, ownerReferences, finalizers. Expects name generation to have happened already, so a
 * missing `name` is an error even when `generateName` is set.
 *
 * @example
 * validateObjectMeta({ namespace: 'default' }, { namespaced: true })
 * // → [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]
 */
export function validateObjectMeta(meta: ObjectMeta, options: ObjectMetaValidationOptions, fieldPath = 'metadata'): FieldError[] {
  const nameValidator = options.nameValidator ?? isDNS1123Subdomain;
  return [
    ...validateNames(meta, nameValidator, fieldPath),
    ...validateNamespaceField(meta.namespace, options.namespaced, `${fieldPath}.namespace`),
    ...validateGeneration(meta.generation, `${fieldPath}.generation`),
    ...validateLabels(meta.labels, `${fieldPath}.labels`),
    ...validateAnnotations(meta.annotations, `${fieldPath}.annotations`),
    ...validateOwnerReferences(meta.ownerReferences, `${fieldPath}.ownerReferences`),
    ...validateFinalizers(meta.finalizers, `${fieldPath}.finalizers`),
  ];
}

function validateNames(meta: ObjectMeta, nameValidator: NameValidator, fieldPath: string): FieldError[] {
  const errors: FieldError[] = [];
  const generateName = meta.generateName ?? '';
  if (generateName) {
    for (const message of nameValidator(maskTrailingDash(generateName))) {
      errors.push(fieldErrors.invalid(`${fieldPath}.generateName`, generateName, message));
    }
  }
  const name = meta.name ?? '';
  if (!name) {
    errors.push(fieldErrors.required(`${fieldPath}.name`, 'name or generateName is required'));
  } else {
    for (const message of nameValidator(name)) errors.push(fieldErrors.invalid(`${fieldPath}.name`, name, message));
  }
  return errors;
}

function validateNamespaceField(namespace: string | undefined, namespaced: boolean, fieldPath: string): FieldError[] {
  if (!namespaced) return namespace ? [fieldErrors.forbidden(fieldPath, 'not allowed on this type')] : [];
  if (!namespace) return [fieldErrors.required(fieldPath)];
  return validateNamespaceName(namespace).map((message) => fieldErrors.invalid(fieldPath, namespace, message));
}

function validateGeneration(generation: number | undefined, fieldPath: string): FieldError[] {
  if (generation === undefined || generation >= 0) return [];
  return [fieldErrors.invalid(fieldPath, generation, 'must be greater than or equal to 0')];
}

/** Annotation keys are qualified names compared case-insensitively; all keys and values share one size limit. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, fieldPath: string): FieldError[] {
  const errors: FieldError[] = [];
  let totalSize = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const message of isQualifiedName(key.toLowerCase())) errors.push(fieldErrors.invalid(fieldPath, key, message));
    totalSize += utf8ByteLength(key) + utf8ByteLength(value);
  }
  if (totalSize > totalAnnotationSizeLimitBytes) errors.push(fieldErrors.tooLong(fieldPath, totalAnnotationSizeLimitBytes));
  return errors;
}

/** Splits `apiVersion` as upstream's `ParseGroupVersion`; a malformed value yields an empty version. */
function splitAPIVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

/**
 * Owner references: each needs apiVersion (with a version), kind, name and uid; events may not own
 * anything; at most one reference may be the controller. Errors sit on the list's path, without an index,
 * as upstream reports them.
 */
export function validateOwnerReferences(ownerReferences: OwnerReference[] | undefined | null, fieldPath: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController = '';
  for (const reference of ownerReferences ?? []) {
    errors.push(...validateOwnerReference(reference, fieldPath));
    if (reference.controller === true) {
      const controller = `${reference.kind}/${reference.name}`;
      if (firstController) {
        errors.push(
          fieldErrors.invalid(
            fieldPath,
            ownerReferences,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${controller}`,
          ),
        );
      } else {
        firstController = controller;
      }
    }
  }
  return errors;
}

function validateOwnerReference(reference: OwnerReference, fieldPath: string): FieldError[] {
  const errors: FieldError[] = [];
  const { group, version } = splitAPIVersion(reference.apiVersion ?? '');
  const kind = reference.kind ?? '';
  if (!version) errors.push(fieldErrors.invalid(`${fieldPath}.apiVersion`, reference.apiVersion ?? '', 'version must not be empty'));
  if (!kind) errors.push(fieldErrors.invalid(`${fieldPath}.kind`, kind, 'must not be empty'));
  if (!reference.name) errors.push(fieldErrors.invalid(`${fieldPath}.name`, reference.name ?? '', 'must not be empty'));
  if (!reference.uid) errors.push(fieldErrors.invalid(`${fieldPath}.uid`, reference.uid ?? '', 'must not be empty'));
  const gvk = `${group}/${version}, Kind=${kind}`;
  if (bannedOwners.has(gvk)) errors.push(fieldErrors.invalid(fieldPath, reference, `${gvk} is disallowed from being an owner`));
  return errors;
}

const orphanFinalizer = 'orphan';
const foregroundDeletionFinalizer = 'foregroundDeletion';

/** Finalizers are qualified names, and `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: string[] | undefined | null, fieldPath: string): FieldError[] {
  const list = finalizers ?? [];
  const errors: FieldError[] = [];
  for (const finalizer of list) {
    for (const message of isQualifiedName(finalizer)) errors.push(fieldErrors.invalid(fieldPath, finalizer, message));
  }
  if (list.includes(orphanFinalizer) && list.includes(foregroundDeletionFinalizer)) {
    errors.push(
      fieldErrors.invalid(fieldPath, list, `finalizer ${orphanFinalizer} and ${foregroundDeletionFinalizer} cannot be both set`),
    );
  }
  return errors;
}
