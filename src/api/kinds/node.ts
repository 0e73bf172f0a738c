/**
 * Nodes (core/v1, cluster-scoped): defaulting and validation.
 *
 * Upstream: SetDefaults_NodeStatus and the NodeSpec conversion in pkg/apis/core/v1; ValidateNode and
 * ValidateNodeUpdate in pkg/apis/core/validation/validation.go; pkg/registry/core/node/strategy.go.
 * Taint errors are reported under `metadata.taints`, not `spec.taints`: upstream passes the metadata
 * path by mistake, and kubectl prints it that way.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, isValidLabelValue, validateObjectMeta } from '../names.js';
import { parseQuantity, QuantityError } from '../quantity.js';
import type { Node, NodeSpec, NodeStatus, Taint } from '../types.js';
import { asArray, cidrFamily, isObject, sortedKeys, validateCIDR, validateKubeFinalizers, validateLabelName } from './common.js';
import { goQuote, goStringSlice, goTaint, invalidRendered, renderedFieldError } from './go-format.js';
import { canonicalizeResourceList, validateResourceQuantityValue } from './resources.js';
import type { KindRules } from './rules.js';
import { validateTaintEffect } from './scheduling-constraints.js';

type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Defaults.

/**
 * Node defaults: `status.allocatable` copied from `status.capacity` when missing, quantities in
 * canonical form, and `spec.podCIDR` and `spec.podCIDRs` kept in step (the v1 conversion fills
 * whichever is missing from the other).
 */
export function setDefaultsNode(node: Node): void {
  if (isObject(node.spec)) {
    const spec: NodeSpec = node.spec;
    const cidrs = asArray<string>(spec.podCIDRs);
    if (cidrs.length === 0 && spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
    else if (cidrs.length > 0) spec.podCIDR = cidrs[0];
  }
  if (isObject(node.status)) {
    const status: NodeStatus = node.status;
    if (!isObject(status.allocatable) && isObject(status.capacity)) status.allocatable = { ...status.capacity };
    canonicalizeResourceList(status.capacity);
    canonicalizeResourceList(status.allocatable);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation.

/** Taints: keys are label names, values label values, effects required; unique by key and effect. */
export function validateNodeTaints(taints: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  asArray<Taint>(taints).forEach((taint, i) => {
    if (!isObject(taint)) return;
    const path = `${field}[${i}]`;
    const key = taint.key ?? '';
    const value = taint.value ?? '';
    errors.push(...validateLabelName(key, `${path}.key`));
    const valueErrors = isValidLabelValue(value);
    if (valueErrors.length > 0) errors.push(fieldErrors.invalid(`${path}.value`, value, valueErrors.join(';')));
    errors.push(...validateTaintEffect(taint.effect, false, `${path}.effect`));
    const identity = `${taint.effect ?? ''}\u0000${key}`;
    if (seen.has(identity)) {
      errors.push(renderedFieldError('FieldValueDuplicate', path, goTaint(taint), 'taints must be unique by key and effect pair', taint));
      return;
    }
    seen.add(identity);
  });
  return errors;
}

/** Capacity and allocatable quantities: parseable, not negative, whole numbers where counted. */
function validateNodeResources(node: Node): FieldError[] {
  const status = isObject(node.status) ? node.status : {};
  const errors: FieldError[] = [];
  for (const list of ['capacity', 'allocatable'] as const) {
    const resources = isObject(status[list]) ? (status[list] as JsonObject) : undefined;
    for (const name of sortedKeys(resources)) {
      // Upstream builds these paths with `.`, not `[...]`.
      const path = `status.${list}.${name}`;
      const text = String(resources?.[name] ?? '');
      try {
        errors.push(...validateResourceQuantityValue(name, parseQuantity(text), path));
      } catch (error) {
        if (!(error instanceof QuantityError)) throw error;
        errors.push(fieldErrors.invalid(path, text, error.message));
      }
    }
  }
  return errors;
}

function validatePodCIDRs(spec: NodeSpec | undefined): FieldError[] {
  const cidrs = asArray<string>(spec?.podCIDRs);
  if (cidrs.length === 0) return [];
  const field = 'spec.podCIDRs';
  const errors = cidrs.flatMap((cidr, i) => validateCIDR(String(cidr), `${field}[${i}]`));
  if (cidrs.length > 1) {
    const families = cidrs.map((cidr) => cidrFamily(String(cidr)));
    const dualStack = cidrs.length === 2 && families[0] !== undefined && families[1] !== undefined && families[0] !== families[1];
    if (!dualStack) errors.push(invalidRendered(field, goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family', cidrs));
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errors.push(fieldErrors.duplicate(`${field}[${i}]`, cidr));
      seen.add(cidr);
    });
  }
  return errors;
}

/** A new Node: metadata (cluster-scoped, DNS subdomain name), taints, resource quantities, pod CIDRs. */
export function validateNode(node: Node): FieldError[] {
  return [
    ...validateObjectMeta(node.metadata ?? {}, { namespaced: false, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(node.metadata?.finalizers),
    ...validateNodeTaints(node.spec?.taints, 'metadata.taints'),
    ...validateNodeResources(node),
    ...validatePodCIDRs(node.spec),
  ];
}

function goNodeAddress(address: JsonObject): string {
  return `core.NodeAddress{Type:${goQuote(String(address.type ?? ''))}, Address:${goQuote(String(address.address ?? ''))}}`;
}

/**
 * The update-specific rules (also the whole of `/status` validation): no duplicate addresses, pod
 * CIDRs and provider ID fixed once set, taints valid.
 */
export function validateNodeUpdateRules(node: Node, old: Node): FieldError[] {
  const errors = validateNodeResources(node);
  const seen = new Set<string>();
  asArray<JsonObject>(isObject(node.status) ? node.status.addresses : undefined).forEach((address, i) => {
    if (!isObject(address)) return;
    const key = `${String(address.type)}\u0000${String(address.address)}`;
    if (seen.has(key)) errors.push(renderedFieldError('FieldValueDuplicate', `status.addresses[${i}]`, goNodeAddress(address), undefined, address));
    seen.add(key);
  });
  const oldCIDRs = asArray<string>(old.spec?.podCIDRs);
  const newCIDRs = asArray<string>(node.spec?.podCIDRs);
  const cidrMessage = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errors.push(fieldErrors.forbidden('spec.podCIDRs', cidrMessage));
    else oldCIDRs.forEach((cidr, i) => cidr !== newCIDRs[i] && errors.push(fieldErrors.forbidden('spec.podCIDRs', cidrMessage)));
  }
  const oldProvider = old.spec?.providerID ?? '';
  if (oldProvider && oldProvider !== (node.spec?.providerID ?? '')) {
    errors.push(fieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errors.push(...validateNodeTaints(node.spec?.taints, 'metadata.taints'));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errors.push(fieldErrors.forbidden('spec.externalID', 'may not be updated'));
  return errors;
}

/**
 * An update through the main resource: the node is validated as on create, then the update rules
 * run (upstream's strategy does both, so taint and quantity errors appear twice).
 */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  return [...validateNode(node), ...validateNodeUpdateRules(node, old)];
}

/** Nodes (core/v1). Status updates get the update rules only, as upstream's status strategy. */
export const nodeRules: KindRules<Node> = {
  applyDefaults: setDefaultsNode,
  validateCreate: validateNode,
  validateUpdate: validateNodeUpdate,
  validateStatusUpdate: validateNodeUpdateRules,
};
