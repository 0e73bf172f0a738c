/**
 * Label maps and label selectors as the text Table cells show (`app=fluentd,tier in (a,b)`).
 *
 * Kept local to the tables room on purpose: the output must match upstream's printers byte for byte,
 * including the `<none>` and `<error>` placeholders, which a general-purpose selector formatter need not do.
 *
 * Upstream: `labels.FormatLabels` and `metav1.FormatLabelSelector` in k8s.io/apimachinery.
 */

import type { LabelSelector, LabelSelectorRequirement } from '../../api/types.js';

const NONE = '<none>';
const ERROR = '<error>';

/**
 * A label map as `k=v` pairs joined by commas, or `<none>` when empty.
 *
 * The pairs are sorted as whole `k=v` strings, not by key, exactly as upstream sorts them; the two orders
 * differ when one key is a prefix of another (`a.b=1` sorts before `a=2`).
 */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  if (!labels) return NONE;
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? NONE : pairs.sort().join(',');
}

/**
 * A label selector as selector text: one requirement per `matchLabels` entry (`k=v`) and per
 * `matchExpressions` entry (`k in (a,b)`, `k notin (a)`, `k`, `!k`), sorted by key and joined by commas.
 *
 * Returns `<none>` for a missing or empty selector and `<error>` for one upstream would refuse to build
 * (unknown operator, wrong number of values, malformed key or value).
 */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return NONE;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}`, valid: isQualifiedName(key) && isLabelValue(value) });
  }
  for (const expression of selector.matchExpressions ?? []) {
    requirements.push(expressionRequirement(expression));
  }
  if (requirements.some((requirement) => !requirement.valid)) return ERROR;
  if (requirements.length === 0) return NONE;
  // Array.prototype.sort is stable, so requirements with the same key keep their input order.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((requirement) => requirement.text).join(',');
}

interface Requirement {
  key: string;
  text: string;
  valid: boolean;
}

function expressionRequirement({ key, operator, values = [] }: LabelSelectorRequirement): Requirement {
  const validKeyAndValues = isQualifiedName(key) && values.every(isLabelValue);
  // Values print sorted, without changing the stored selector.
  const valueList = () => `(${[...values].sort().join(',')})`;
  switch (operator) {
    case 'In':
      return { key, text: `${key} in ${valueList()}`, valid: validKeyAndValues && values.length > 0 };
    case 'NotIn':
      return { key, text: `${key} notin ${valueList()}`, valid: validKeyAndValues && values.length > 0 };
    case 'Exists':
      return { key, text: key, valid: validKeyAndValues && values.length === 0 };
    case 'DoesNotExist':
      return { key, text: `!${key}`, valid: validKeyAndValues && values.length === 0 };
    default:
      return { key, text: '', valid: false };
  }
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return false;
  }
  return name.length > 0 && name.length <= 63 && NAME_PART.test(name);
}

/** A label value: empty, or at most 63 characters of the same alphabet as a key's name part. */
function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME_PART.test(value));
}
