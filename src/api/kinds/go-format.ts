/**
 * Renders bad values the way the upstream API server prints them inside field errors.
 *
 * Upstream formats a field error's value with Go's `%#v` verb whenever the value is not a plain string,
 * number or boolean, so kubectl shows text such as
 * `spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: ...` or
 * `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:..., MatchExpressions:...}: field is immutable`.
 * JSON would read better, but users and scripts match on these strings, so the handful of shapes that
 * reach error messages are rendered here by hand. Anything else falls back to JSON.
 *
 * Upstream: `ErrorBody` in k8s.io/apimachinery/pkg/util/validation/field/errors.go, in the form released
 * up to v1.33: pointers are dereferenced, a nil pointer becomes the quoted string `"null"`, and structs,
 * maps and slices print with `%#v`.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import type { IntOrString, LabelSelector, LabelSelectorRequirement, Taint } from '../types.js';

/** Go's `%q` for the strings that occur in API objects; JSON quoting agrees for printable text. */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** `%#v` of a `map[string]string`: sorted keys, `nil` spelled out. */
export function goStringMap(map: Record<string, string> | null | undefined): string {
  if (map === null || map === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${goQuote(key)}:${goQuote(String(map[key]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `%#v` of a `[]string`. */
export function goStringSlice(values: readonly string[] | null | undefined): string {
  if (values === null || values === undefined) return '[]string(nil)';
  return `[]string{${values.map((v) => goQuote(String(v))).join(', ')}}`;
}

function goSelectorRequirement(req: LabelSelectorRequirement): string {
  return `v1.LabelSelectorRequirement{Key:${goQuote(req.key ?? '')}, Operator:${goQuote(req.operator ?? '')}, Values:${goStringSlice(req.values)}}`;
}

/** `%#v` of a `metav1.LabelSelector` reached through a pointer (a missing selector is `"null"`). */
export function goLabelSelector(selector: LabelSelector | null | undefined): string {
  if (selector === null || selector === undefined) return goQuote('null');
  const expressions =
    selector.matchExpressions === null || selector.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${selector.matchExpressions.map(goSelectorRequirement).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${expressions}}`;
}

/** `%#v` of an `intstr.IntOrString` value (Type 0 is an integer, 1 a string; absent is the zero value). */
export function goIntOrString(value: IntOrString | null | undefined): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`;
  const intVal = typeof value === 'number' ? value : 0;
  return `intstr.IntOrString{Type:0, IntVal:${intVal}, StrVal:""}`;
}

/**
 * `%#v` of a `core.Taint`. `timeAdded` is a pointer: upstream prints a memory address when it is set,
 * which no client can rely on, so the timestamp stands in for the address here.
 */
export function goTaint(taint: Taint): string {
  const timeAdded = `(*v1.Time)(${taint.timeAdded ? taint.timeAdded : 'nil'})`;
  return `core.Taint{Key:${goQuote(taint.key ?? '')}, Value:${goQuote(taint.value ?? '')}, Effect:${goQuote(taint.effect ?? '')}, TimeAdded:${timeAdded}}`;
}

/**
 * The generic rendering for values without a dedicated renderer: strings quoted, numbers and booleans
 * bare, a missing value as `"null"`, anything structured as JSON (upstream would print a Go struct).
 */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return goQuote('null');
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * A field error whose value is already rendered in Go syntax. The rendered text goes into the detail
 * (after the type text), and `omitValue` stops the generic formatter from quoting it again;
 * `badValue` still carries the raw value for programmatic callers.
 */
export function renderedFieldError(
  type: FieldError['type'],
  field: string,
  rendered: string,
  detail: string | undefined,
  badValue: unknown,
): FieldError {
  return { type, field, badValue, omitValue: true, detail: detail ? `${rendered}: ${detail}` : rendered };
}

/** `Invalid value: <rendered>: <detail>` with a value already rendered in Go syntax. */
export function invalidRendered(field: string, rendered: string, detail: string | undefined, badValue?: unknown): FieldError {
  return renderedFieldError('FieldValueInvalid', field, rendered, detail, badValue);
}

/**
 * `Invalid value` for any value: plain scalars go through the shared formatter, everything else
 * (including a missing value) through {@link goValue}.
 */
export function invalidValue(field: string, value: unknown, detail?: string): FieldError {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return fieldErrors.invalid(field, value, detail);
  }
  return invalidRendered(field, goValue(value), detail, value);
}
