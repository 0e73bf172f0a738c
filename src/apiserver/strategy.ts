/**
 * What the API server itself does to an object on create and update, beyond the per-kind defaults and
 * validation in `api/kinds`: system metadata, status separation, generation tracking, and the DaemonSet
 * template generation. Upstream: `rest.BeforeCreate` / `rest.BeforeUpdate` and each kind's strategy.
 */
import { randomUUID } from 'node:crypto';
import { compareQuantity, parseQuantity } from '../api/quantity.js';
import { rfc3339Seconds } from '../api/time.js';
import type { Container, KubeObject, PodSpec } from '../api/types.js';
import type { ResourceInfo } from './resources.js';

export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** RFC 3339 with whole seconds, as Kubernetes writes timestamps. */
export const timestamp = rfc3339Seconds;

const hasStatusSubresource = (r: ResourceInfo): boolean => r.subresources.some((s) => s.name === 'status');

/** Upstream resets status on create for these kinds; Nodes and Namespaces may arrive with status. */
const keepsStatusOnCreate = new Set(['Node', 'Namespace']);

/** Fills server-owned metadata and resets what a client may not set on create. Mutates `obj`. */
export function prepareForCreate(r: ResourceInfo, obj: KubeObject, now: number): void {
  const meta = obj.metadata;
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  // Differs from upstream: no managedFields are kept (docs/differences.md#managed-fields).
  delete meta.managedFields;
  if (r.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
  if (hasStatusSubresource(r) && !keepsStatusOnCreate.has(r.kind)) resetStatusForCreate(r, obj);
  if (r.kind === 'DaemonSet') {
    meta.annotations = { ...meta.annotations, [templateGenerationAnnotation]: '1' };
    markTemplateCreationTimestamp(obj);
  }
}

/**
 * Upstream serializes a pod template's unset creationTimestamp as `null` (Go's zero time), so that is
 * what `-o yaml` shows and what a ControllerRevision's data contains.
 */
function markTemplateCreationTimestamp(obj: KubeObject): void {
  const template = (obj.spec as { template?: { metadata?: Record<string, unknown> } } | undefined)?.template;
  if (!template) return;
  template.metadata = { ...template.metadata };
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
}

function resetStatusForCreate(r: ResourceInfo, obj: KubeObject): void {
  switch (r.kind) {
    case 'Pod':
      obj.status = { phase: 'Pending', qosClass: podQosClass(obj.spec as PodSpec | undefined) };
      break;
    case 'DaemonSet':
      obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
      break;
    case 'PodDisruptionBudget':
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    default:
      delete obj.status;
  }
}

/**
 * Carries over what an update of the main resource may not change: system metadata, and status when
 * the resource has a status subresource. Bumps generation (and the DaemonSet template generation) on
 * spec changes. Mutates `obj`.
 */
export function prepareForUpdate(r: ResourceInfo, obj: KubeObject, old: KubeObject): void {
  copySystemMetadata(obj, old);
  if (hasStatusSubresource(r)) {
    // A copy: defaulting may touch status, and the old object is shared by every cache reader.
    if (old.status === undefined) delete obj.status;
    else obj.status = JSON.parse(JSON.stringify(old.status));
  }
  if (r.tracksGeneration) {
    const oldGeneration = old.metadata.generation ?? 1;
    obj.metadata.generation = jsonEqual(obj.spec, old.spec) ? oldGeneration : oldGeneration + 1;
  }
  if (r.kind === 'DaemonSet') {
    markTemplateCreationTimestamp(obj);
    const oldTemplateGeneration = Number(old.metadata.annotations?.[templateGenerationAnnotation] ?? '1') || 1;
    const templateChanged = !jsonEqual((obj.spec as any)?.template, (old.spec as any)?.template);
    obj.metadata.annotations = {
      ...obj.metadata.annotations,
      [templateGenerationAnnotation]: String(templateChanged ? oldTemplateGeneration + 1 : oldTemplateGeneration),
    };
  }
}

/** A write to `/status` changes only status: everything else comes from the stored object. */
export function prepareForStatusUpdate(obj: KubeObject, old: KubeObject): KubeObject {
  const next: KubeObject = { ...old, metadata: { ...old.metadata } };
  if (obj.status === undefined) delete next.status;
  else next.status = obj.status;
  return next;
}

function copySystemMetadata(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  meta.name = oldMeta.name;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.namespace !== undefined) meta.namespace = oldMeta.namespace;
  else delete meta.namespace;
  for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
    if (oldMeta[field] === undefined) delete meta[field];
    else (meta as Record<string, unknown>)[field] = oldMeta[field];
  }
  delete meta.selfLink;
  delete meta.managedFields;
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Equality of two versions of an object, ignoring resourceVersion (a no-op write keeps the old one). */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });
  return jsonEqual(strip(a), strip(b));
}

/**
 * The pod's quality-of-service class, as upstream computes it on create: BestEffort without any cpu or
 * memory requests and limits, Guaranteed when every container limits both and requests what it limits,
 * Burstable otherwise.
 */
export function podQosClass(spec: PodSpec | undefined): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const computeResources = ['cpu', 'memory'];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    for (const resource of computeResources) {
      const request = requests[resource];
      const limit = limits[resource];
      if (request !== undefined || limit !== undefined) anySet = true;
      if (limit === undefined || (request !== undefined && !sameQuantity(request, limit))) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function sameQuantity(a: string, b: string): boolean {
  try {
    return compareQuantity(parseQuantity(a), parseQuantity(b)) === 0;
  } catch {
    return a === b;
  }
}
