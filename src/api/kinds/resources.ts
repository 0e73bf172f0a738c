/**
 * Compute resources: names, quantities, and the requests-versus-limits rules for containers; plus the
 * canonical printing of quantities that defaulting applies.
 *
 * Upstream: validateResourceRequirements, validateContainerResourceName, ValidateResourceQuantityValue
 * in pkg/apis/core/validation/validation.go; the resource-name helpers in pkg/apis/core/helper.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isQualifiedName } from '../names.js';
import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  quantityScaledValue,
  QuantityError,
  type Quantity,
} from '../quantity.js';
import { isNegativeErrorMsg, isObject, sortedKeys } from './common.js';

type ResourceList = Record<string, unknown>;

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

const standardResources = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);

/** Counted resources that only take whole numbers. */
const integerResources = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);

/** `hugepages-<size>`. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Unprefixed names and names under `kubernetes.io/` belong to Kubernetes itself. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** `example.com/gpu`: a prefixed, non-native name usable as `requests.<name>` in a quota. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

/** Requests below the limit are allowed for native resources except huge pages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

function isIntegerResourceName(name: string): boolean {
  return integerResources.has(name) || isExtendedResourceName(name);
}

function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

function isStandardContainerResourceName(name: string): boolean {
  return standardContainerResources.has(name) || isHugePageResourceName(name);
}

/** A resource name: a qualified name, and a standard one unless it has a prefix. */
export function validateResourceName(name: string, field: string): FieldError[] {
  const errors = isQualifiedName(name).map((message) => fieldErrors.invalid(field, name, message));
  if (errors.length > 0) return errors;
  if (!name.includes('/') && !isStandardResourceName(name)) {
    errors.push(fieldErrors.invalid(field, name, 'must be a standard resource type or fully qualified'));
  }
  return errors;
}

/** A container resource name: cpu, memory, ephemeral-storage, hugepages-*, or an extended resource. */
export function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errors = validateResourceName(name, field);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errors.push(fieldErrors.invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errors.push(fieldErrors.invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Quantities.

/** The quantity a resource-list entry holds; YAML may give bare numbers, which the API accepts. */
function quantityText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

type ParsedQuantity = { quantity: Quantity } | { error: string };

function parseEntry(value: unknown): ParsedQuantity {
  try {
    return { quantity: parseQuantity(quantityText(value)) };
  } catch (error) {
    if (error instanceof QuantityError) return { error: error.message };
    throw error;
  }
}

/** A quantity must not be negative, and counted resources must be whole numbers. */
export function validateResourceQuantityValue(name: string, quantity: Quantity, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (quantity.unscaled < 0n) errors.push(fieldErrors.invalid(field, formatQuantity(quantity), isNegativeErrorMsg));
  if (isIntegerResourceName(name) && quantityScaledValue(quantity, -3) % 1000n !== 0n) {
    errors.push(fieldErrors.invalid(field, formatQuantity(quantity), 'must be an integer'));
  }
  return errors;
}

/** The page size a `hugepages-<size>` name stands for, when it parses. */
function hugePageSize(name: string): Quantity | undefined {
  const parsed = parseEntry(name.slice('hugepages-'.length));
  return 'quantity' in parsed && parsed.quantity.unscaled > 0n ? parsed.quantity : undefined;
}

function validateHugePageValue(name: string, quantity: Quantity, field: string): FieldError[] {
  const pageSize = hugePageSize(name);
  if (!pageSize) return [];
  const value = quantityScaledValue(quantity, 0);
  const size = quantityScaledValue(pageSize, 0);
  if (value >= 0n && size > 0n && value % size === 0n) return [];
  const text = formatQuantity(quantity);
  return [fieldErrors.invalid(field, text, `${text} is not positive integer multiple of ${name}`)];
}

/** One resource-list entry: its name and, when it parses, its quantity (else why it does not). */
function checkEntry(name: string, value: unknown, field: string): { errors: FieldError[]; quantity?: Quantity } {
  const errors = validateContainerResourceName(name, field);
  const parsed = parseEntry(value);
  // Upstream rejects an unparsable quantity while decoding the request; here it is a field error.
  if ('error' in parsed) return { errors: [...errors, fieldErrors.invalid(field, quantityText(value), parsed.error)] };
  errors.push(...validateResourceQuantityValue(name, parsed.quantity, field));
  if (isHugePageResourceName(name)) errors.push(...validateHugePageValue(name, parsed.quantity, field));
  return { errors, quantity: parsed.quantity };
}

/**
 * A container's `resources`: valid names and quantities, requests no larger than limits (and equal
 * to them for resources that cannot be overcommitted), huge pages only together with cpu or memory.
 */
export function validateResourceRequirements(requirements: unknown, field: string): FieldError[] {
  if (!isObject(requirements)) return [];
  const limits = isObject(requirements.limits) ? (requirements.limits as ResourceList) : {};
  const requests = isObject(requirements.requests) ? (requirements.requests as ResourceList) : {};
  const limitsPath = `${field}.limits`;
  const requestsPath = `${field}.requests`;
  const errors: FieldError[] = [];
  const limitQuantities = new Map<string, Quantity>();
  let hasCpuOrMemory = false;
  let hasHugePages = false;

  for (const name of sortedKeys(limits)) {
    const checked = checkEntry(name, limits[name], `${limitsPath}[${name}]`);
    errors.push(...checked.errors);
    if (checked.quantity) limitQuantities.set(name, checked.quantity);
    hasHugePages ||= isHugePageResourceName(name);
    hasCpuOrMemory ||= name === 'cpu' || name === 'memory';
  }
  for (const name of sortedKeys(requests)) {
    const checked = checkEntry(name, requests[name], `${requestsPath}[${name}]`);
    errors.push(...checked.errors);
    hasHugePages ||= isHugePageResourceName(name);
    hasCpuOrMemory ||= name === 'cpu' || name === 'memory';
    const request = checked.quantity;
    const limit = limitQuantities.get(name);
    if (Object.hasOwn(limits, name)) {
      if (!request || !limit) continue;
      const requestText = formatQuantity(request);
      const order = compareQuantity(request, limit);
      // Upstream reports these against `requests` as a whole, not the entry.
      if (order !== 0 && !isOvercommitAllowed(name)) {
        errors.push(fieldErrors.invalid(requestsPath, requestText, `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (order > 0) {
        errors.push(fieldErrors.invalid(requestsPath, requestText, `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errors.push(fieldErrors.required(limitsPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  if (hasHugePages && !hasCpuOrMemory) errors.push(fieldErrors.forbidden(field, 'HugePages require cpu or memory'));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Canonical form (defaulting).

/**
 * The quantity rounded up to a whole milli-unit and printed in canonical form (`0.5` → `500m`,
 * `1024Mi` → `1Gi`, `0.1m` → `1m`), as upstream's defaulting and serialization leave it. Text that
 * does not parse is returned unchanged for validation to report.
 */
export function canonicalQuantity(value: unknown): unknown {
  const parsed = parseEntry(value);
  if ('error' in parsed) return value;
  const quantity = parsed.quantity;
  if (quantity.exponent >= -3) return formatQuantity(quantity);
  return formatQuantity({ unscaled: quantityScaledValue(quantity, -3), exponent: -3, format: quantity.format });
}

/** Every entry of a resource list in canonical form (see {@link canonicalQuantity}); mutates the list. */
export function canonicalizeResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const name of Object.keys(list)) list[name] = canonicalQuantity(list[name]);
}
