/**
 * Field selectors: `?fieldSelector=spec.nodeName=node-1,status.phase!=Failed`.
 *
 * The grammar is flat: terms joined by `,` (AND), each `field=value`, `field==value` or `field!=value`.
 * Values may be empty (`involvedObject.namespace=` matches `""`) and may escape `\`, `,` and `=` with a
 * backslash. Which fields exist is per resource, so callers check names and answer unknown ones with
 * `unsupportedFieldError`.
 *
 * Upstream: `k8s.io/apimachinery/pkg/fields/selector.go`; the unknown-field messages come from the field
 * label conversion functions (`pkg/apis/core/v1/conversion.go`, `runtime.DefaultMetaV1FieldSelectorConversion`).
 *
 * Isomorphic: no `node:` imports.
 */

import { badRequest, type StatusError } from './errors.js';

/** `==` parses to `=`; the two mean the same. */
export type FieldOperator = '=' | '!=';

/** One term of a field selector; a selector is a list of them, ANDed. */
export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  /** Unescaped; may be empty. */
  value: string;
}

/** A parse failure; turned into a 400 at the module boundary. */
class FieldSelectorSyntaxError extends Error {
  override readonly name = 'FieldSelectorSyntaxError';
}

/** Splits on `,` that are not escaped; escapes stay in the terms (they are undone per value). */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Operators in the order they are tried at each position: `==` before `=` so no `=` is left in the value. */
const termOperators = ['!=', '==', '='] as const;

/** Splits a term at the first operator; the field part has no escaping. */
function splitTerm(term: string): { field: string; operator: FieldOperator; rawValue: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of termOperators) {
      if (term.startsWith(operator, i)) {
        return { field: term.slice(0, i), operator: operator === '!=' ? '!=' : '=', rawValue: term.slice(i + operator.length) };
      }
    }
  }
  return undefined;
}

/** Undoes `\\`, `\,` and `\=`; any other escape, or a bare `,`/`=`, is an error (upstream's wording). */
function unescapeValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let value = '';
  let escaped = false;
  for (const ch of raw) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new FieldSelectorSyntaxError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      value += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Upstream prints the rune with %v, i.e. as its code point number.
      throw new FieldSelectorSyntaxError(`invalid field selector: unescapedRune character in value: ${ch.codePointAt(0)}`);
    } else {
      value += ch;
    }
  }
  if (escaped) throw new FieldSelectorSyntaxError('invalid field selector: invalid escape sequence: \\');
  return value;
}

/**
 * Parses a field selector into requirements, ordered by their text as upstream sorts them. Empty text
 * (and empty terms, as in `a=b,`) select everything. Field names are not checked here.
 *
 * @throws StatusError 400 BadRequest, e.g. `invalid selector: 'foo'; can't understand 'foo'`.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    try {
      requirements.push({ field: parts.field, operator: parts.operator, value: unescapeValue(parts.rawValue) });
    } catch (error) {
      if (error instanceof FieldSelectorSyntaxError) throw badRequest(error.message);
      throw error;
    }
  }
  return requirements;
}

/**
 * Whether an object satisfies every requirement. `getField` returns the object's value for a field name;
 * an absent value counts as `""`, so `spec.nodeName=` matches unscheduled pods.
 */
export function matchesFields(requirements: FieldRequirement[], getField: (field: string) => string | undefined): boolean {
  return requirements.every((requirement) => {
    const actual = getField(requirement.field) ?? '';
    return requirement.operator === '=' ? actual === requirement.value : actual !== requirement.value;
  });
}

/** Escapes a value for the string form (`\`, `,` and `=` get a backslash). */
export function escapeFieldSelectorValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** Requirements in the string form a client sends: `a=b,c!=d`. */
export function fieldRequirementsToString(requirements: FieldRequirement[]): string {
  return requirements.map(({ field, operator, value }) => `${field}${operator}${escapeFieldSelectorValue(value)}`).join(',');
}

/**
 * Core kinds whose field-label conversion upstream writes by hand, answering an unknown field with
 * `field label not supported: <name>`. Every other kind falls back to the default conversion, which
 * only knows `metadata.name` and `metadata.namespace` and says so.
 */
const kindsWithFieldLabelConversion = new Set(['Pod', 'Node', 'ReplicationController', 'Event', 'Namespace', 'Secret', 'Service']);

/**
 * The 400 the API server gives for a field selector naming a field the resource does not support.
 *
 * @param field the unsupported field name, as the client sent it
 * @param kind the resource's kind; picks upstream's wording. Core kinds with their own field labels (Pod,
 *   Node, Event, Namespace, ...) and an omitted kind give `field label not supported: <field>`; other
 *   kinds (DaemonSet, ControllerRevision, ...) give
 *   `"<field>" is not a known field selector: only "metadata.name", "metadata.namespace"`.
 */
export function unsupportedFieldError(field: string, kind?: string): StatusError {
  if (kind === undefined || kindsWithFieldLabelConversion.has(kind)) return badRequest(`field label not supported: ${field}`);
  return badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
}
