/**
 * The Priority admission plugin: resolves a new pod's `priorityClassName` into `spec.priority` and
 * `spec.preemptionPolicy`, keeps both across pod updates, and allows one global default class.
 *
 * Upstream: plugin/pkg/admission/priority/admission.go (admitPod, validatePriorityClass,
 * getDefaultPriorityClass). Its refusals are 403 Forbidden with upstream's messages.
 */
import { forbidden } from '../../api/errors.js';
import type { Pod, PriorityClass } from '../../api/types.js';
import type { AdmissionPlugin, AdmissionRequest, ClusterView } from './index.js';

/** Priority of a pod that names no class when no class is the global default. */
export const defaultPriorityWithoutDefaultClass = 0;
const preemptLowerPriority = 'PreemptLowerPriority';

/**
 * The class pods without a class name get: the globalDefault class, or when (by a race) several are,
 * the one with the lowest value.
 */
export function defaultPriorityClass(view: ClusterView): PriorityClass | undefined {
  let chosen: PriorityClass | undefined;
  for (const pc of view.priorityClasses()) {
    if (pc.globalDefault && (!chosen || chosen.value > pc.value)) chosen = pc;
  }
  return chosen;
}

function isPod(request: AdmissionRequest): boolean {
  return request.resource.group === '' && request.resource.resource === 'pods' && !request.subresource;
}

function isPriorityClass(request: AdmissionRequest): boolean {
  return request.resource.group === 'scheduling.k8s.io' && request.resource.resource === 'priorityclasses' && !request.subresource;
}

/** Create: resolve the class; update: keep what create resolved (validation forbids changing it). */
function admitPod(request: AdmissionRequest, view: ClusterView): void {
  const pod = request.object as Pod;
  const spec = (pod.spec ??= { containers: [] });
  if (request.operation === 'UPDATE') {
    const old = (request.oldObject as Pod | undefined)?.spec;
    if (spec.priority === undefined && old?.priority !== undefined) spec.priority = old.priority;
    if (spec.preemptionPolicy === undefined && old?.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
    return;
  }
  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const fallback = defaultPriorityClass(view);
    if (fallback) {
      spec.priorityClassName = fallback.metadata.name;
      priority = fallback.value;
      preemptionPolicy = fallback.preemptionPolicy;
    } else {
      // Upstream leaves the class name empty and still sets the policy here.
      priority = defaultPriorityWithoutDefaultClass;
      preemptionPolicy = preemptLowerPriority;
    }
  } else {
    const pc = view.priorityClass(spec.priorityClassName);
    if (!pc) throw refuse(request, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw refuse(request, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (preemptionPolicy !== undefined) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== preemptionPolicy) {
      throw refuse(request, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

/** Only one class may be the global default. */
function validatePriorityClass(request: AdmissionRequest, view: ClusterView): string[] {
  const pc = request.object as PriorityClass;
  if (!pc.globalDefault) return [];
  const current = defaultPriorityClass(view);
  if (current && (request.operation === 'CREATE' || current.metadata.name !== pc.metadata.name)) {
    throw refuse(request, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
  }
  return [];
}

/**
 * 403 naming the object as upstream's `admission.NewForbidden` does: the request's name, and
 * `Unknown` when there is none at all.
 */
function refuse(request: AdmissionRequest, why: string) {
  return forbidden(request.resource, request.name || 'Unknown', why);
}

export const priorityPlugin: AdmissionPlugin = {
  name: 'Priority',
  admit(request, view) {
    if (isPod(request)) admitPod(request, view);
  },
  validate(request, view) {
    return isPriorityClass(request) ? validatePriorityClass(request, view) : [];
  },
};
