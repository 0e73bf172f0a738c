/**
 * The PodSecurity admission plugin: each namespace's `pod-security.kubernetes.io/*` labels choose a
 * Pod Security Standard to enforce (refuse violating pods with 403), to warn about (a `Warning` header
 * kubectl prints) and to audit; workload resources such as DaemonSets get warnings about their pod
 * template; changing a namespace's enforce level warns about the pods already there.
 *
 * Upstream: staging/src/k8s.io/pod-security-admission/admission/admission.go (Validate*,
 * EvaluatePod, EvaluatePodsInNamespace, isSignificantPodUpdate), api/helpers.go (label parsing) and
 * plugin/pkg/admission/security/podsecurity/admission.go. Upstream's default configuration applies:
 * every mode `privileged:latest` unless labelled, no exempt users, namespaces or runtime classes.
 *
 * Differs from upstream (docs/differences.md#pod-security-admission): there is no audit log, so audit-level
 * violations come back as a warning carrying upstream's audit annotation; every policy version evaluates
 * today's rules.
 */
import { fieldErrors, forbidden, internalError, invalid, type FieldError } from '../../api/errors.js';
import type { KubeObject, Namespace, ObjectMeta, Pod, PodSpec } from '../../api/types.js';
import type { AdmissionPlugin, AdmissionRequest, ClusterView } from './index.js';
import { evaluatePod, forbiddenDetail, forbiddenReason, type Level, type PodLike, type Violation } from './pod-security-checks.js';

const labelPrefix = 'pod-security.kubernetes.io/';
export const podSecurityLabels = {
  enforce: `${labelPrefix}enforce`,
  enforceVersion: `${labelPrefix}enforce-version`,
  audit: `${labelPrefix}audit`,
  auditVersion: `${labelPrefix}audit-version`,
  warn: `${labelPrefix}warn`,
  warnVersion: `${labelPrefix}warn-version`,
} as const;

/** A level and a policy version (`latest` or `v1.<minor>`), printed `baseline:latest`. */
export interface LevelVersion {
  level: Level;
  version: string;
}

export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

/** Upstream's default configuration: nothing is checked in a namespace without labels. */
const defaultPolicy: Policy = {
  enforce: { level: 'privileged', version: 'latest' },
  audit: { level: 'privileged', version: 'latest' },
  warn: { level: 'privileged', version: 'latest' },
};

const levels: readonly Level[] = ['privileged', 'baseline', 'restricted'];
const versionPattern = /^v1\.(0|[1-9][0-9]*)$/;
/** Upstream's cap on pods examined when a namespace's enforce level tightens. */
const namespaceMaxPodsToCheck = 3000;

export const levelVersionString = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;
const sameLevelVersion = (a: LevelVersion, b: LevelVersion): boolean => a.level === b.level && a.version === b.version;

/** -1 when `a` is less strict than `b`, 0 when equal, 1 when stricter. */
function compareLevels(a: Level, b: Level): number {
  return Math.sign(levels.indexOf(a) - levels.indexOf(b));
}

/**
 * The policy a namespace's labels ask for, with the defaults where a label is missing. A label that
 * does not parse is reported and replaced: an enforce level by `restricted` (fail closed), a warn or
 * audit level by `privileged` (fail open), a version by `latest`.
 */
export function policyToEvaluate(labels: Record<string, string> | undefined): { policy: Policy; errors: FieldError[] } {
  const policy: Policy = { enforce: { ...defaultPolicy.enforce }, audit: { ...defaultPolicy.audit }, warn: { ...defaultPolicy.warn } };
  const errors: FieldError[] = [];
  if (!labels) return { policy, errors };
  const field = (label: string) => `metadata.labels[${label}]`;
  const parseLevel = (mode: keyof Policy, label: string, onError: Level) => {
    const value = labels[label];
    if (value === undefined) return;
    if ((levels as readonly string[]).includes(value)) policy[mode].level = value as Level;
    else {
      policy[mode].level = onError;
      errors.push(fieldErrors.invalid(field(label), value, `must be one of ${levels.join(', ')}`));
    }
  };
  const parseVersion = (mode: keyof Policy, label: string) => {
    const value = labels[label];
    if (value === undefined) return;
    const match = versionPattern.exec(value);
    if (value === 'latest' || (match && Number.isSafeInteger(Number(match[1])))) policy[mode].version = value;
    else {
      policy[mode].version = 'latest';
      errors.push(fieldErrors.invalid(field(label), value, 'must be "latest" or "v1.x"'));
    }
  };
  parseLevel('enforce', podSecurityLabels.enforce, 'restricted');
  parseVersion('enforce', podSecurityLabels.enforceVersion);
  parseLevel('audit', podSecurityLabels.audit, 'privileged');
  parseVersion('audit', podSecurityLabels.auditVersion);
  parseLevel('warn', podSecurityLabels.warn, 'privileged');
  parseVersion('warn', podSecurityLabels.warnVersion);
  return { policy, errors };
}

// ------------------------------------------------------------------------------------------------
// Pods

/** Pod subresources that cannot change what the checks look at. */
const ignoredPodSubresources = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

/**
 * Evaluates one pod (or pod template) against the namespace's policy: refuses it when `enforce` is on
 * and the enforce level is violated; otherwise returns the warn level's warning, if any.
 */
function evaluate(policy: Policy, pod: PodLike, request: AdmissionRequest, enforce: boolean): string[] {
  const results = new Map<string, Violation[]>();
  const violationsAt = (lv: LevelVersion): Violation[] => {
    const key = levelVersionString(lv);
    let found = results.get(key);
    if (!found) results.set(key, (found = evaluatePod(lv.level, pod)));
    return found;
  };
  if (enforce) {
    const violations = violationsAt(policy.enforce);
    if (violations.length) {
      throw forbidden(request.resource, request.name, `violates PodSecurity "${levelVersionString(policy.enforce)}": ${forbiddenDetail(violations)}`);
    }
  }
  const warnings: string[] = [];
  const warned = violationsAt(policy.warn);
  if (warned.length) warnings.push(`would violate PodSecurity "${levelVersionString(policy.warn)}": ${forbiddenDetail(warned)}`);
  // Differs from upstream, which writes audit violations to the audit log only: with no audit log, the lab
  // shows them as a warning carrying upstream's audit annotation (unless the warn level said the same).
  const audited = violationsAt(policy.audit);
  if (audited.length && !(warned.length && levelVersionString(policy.audit) === levelVersionString(policy.warn))) {
    warnings.push(`${auditViolationsAnnotation}: would violate PodSecurity "${levelVersionString(policy.audit)}": ${forbiddenDetail(audited)}`);
  }
  return warnings;
}

/** Upstream's audit annotation for violations of the audit level. */
const auditViolationsAnnotation = 'pod-security.kubernetes.io/audit-violations';

function namespacePolicy(request: AdmissionRequest, view: ClusterView): { policy: Policy; errors: FieldError[] } | undefined {
  const namespace = view.namespace(request.namespace ?? '');
  return namespace ? policyToEvaluate(namespace.metadata.labels) : undefined;
}

function validatePod(request: AdmissionRequest, view: ClusterView): string[] {
  if (ignoredPodSubresources.has(request.subresource ?? '')) return [];
  const found = namespacePolicy(request, view);
  if (!found) throw internalError(`failed to lookup namespace ${request.namespace ?? ''}`);
  const { policy, errors } = found;
  if (!errors.length && policy.enforce.level === 'privileged' && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return [];
  const pod = request.object as Pod;
  if (request.operation === 'UPDATE' && request.oldObject && !isSignificantPodUpdate(pod, request.oldObject as Pod)) return [];
  return evaluate(policy, pod, request, true);
}

const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerAnnotationPrefix = 'container.seccomp.security.alpha.kubernetes.io/';

type AnyContainer = { name?: string; image?: string };

/**
 * Whether an update can change the outcome: the only pod fields that may change after create and
 * matter to the checks are images, ephemeral containers and the seccomp annotations.
 */
export function isSignificantPodUpdate(pod: Pod, old: Pod): boolean {
  const annotations = pod.metadata?.annotations ?? {};
  const oldAnnotations = old.metadata?.annotations ?? {};
  if (annotations[seccompPodAnnotation] !== oldAnnotations[seccompPodAnnotation]) return true;
  const containers = (spec: PodSpec | undefined, field: 'containers' | 'initContainers' | 'ephemeralContainers'): AnyContainer[] =>
    Array.isArray(spec?.[field]) ? (spec[field] as AnyContainer[]) : [];
  const changed = (c: AnyContainer, o: AnyContainer): boolean => {
    const key = seccompContainerAnnotationPrefix + String(c.name ?? '');
    return c.image !== o.image || annotations[key] !== oldAnnotations[key];
  };
  for (const field of ['containers', 'initContainers'] as const) {
    const next = containers(pod.spec, field);
    const prev = containers(old.spec, field);
    if (next.length !== prev.length) return true;
    if (next.some((c, i) => changed(c, prev[i]))) return true;
  }
  const previousEphemeral = containers(old.spec, 'ephemeralContainers');
  return containers(pod.spec, 'ephemeralContainers').some((c) => {
    const before = previousEphemeral.find((o) => o.name === c.name);
    return !before || changed(c, before);
  });
}

// ------------------------------------------------------------------------------------------------
// Workload resources

/** Where each workload resource keeps its pod template (`group/resource`). */
const podTemplatePaths: Record<string, string[]> = {
  '/podtemplates': ['template'],
  '/replicationcontrollers': ['spec', 'template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

function podTemplateOf(obj: KubeObject, path: string[]): PodLike | undefined {
  let value: unknown = obj;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const template = value as { metadata?: ObjectMeta; spec?: PodSpec };
  return { metadata: template.metadata ?? {}, spec: template.spec };
}

/** Workloads are never refused: their template only earns warnings (the pods are checked themselves). */
function validatePodController(request: AdmissionRequest, view: ClusterView, path: string[]): string[] {
  if (request.subresource) return [];
  const found = namespacePolicy(request, view);
  if (!found) return [];
  if (found.policy.warn.level === 'privileged') return [];
  const template = podTemplateOf(request.object, path);
  return template ? evaluate(found.policy, template, request, false) : [];
}

// ------------------------------------------------------------------------------------------------
// Namespaces

/**
 * Labels must parse on create, and on update whenever they change for the worse. Tightening the enforce
 * level warns about the pods already in the namespace that would now be refused.
 */
function validateNamespace(request: AdmissionRequest, view: ClusterView): string[] {
  if (request.subresource) return [];
  const namespace = request.object as Namespace;
  const next = policyToEvaluate(namespace.metadata.labels);
  const refuse = () => invalid('Namespace', '', request.name, next.errors);
  if (request.operation === 'CREATE') {
    if (next.errors.length) throw refuse();
    return [];
  }
  const previous = policyToEvaluate((request.oldObject as Namespace | undefined)?.metadata.labels);
  if (next.errors.length && (!previous.errors.length || JSON.stringify(next.errors) !== JSON.stringify(previous.errors))) throw refuse();
  const [now, before] = [next.policy.enforce, previous.policy.enforce];
  if (sameLevelVersion(now, before) || now.level === 'privileged') return [];
  if (now.version === before.version && compareLevels(now.level, before.level) < 1) return [];
  return evaluatePodsInNamespace(view.pods(namespace.metadata.name ?? ''), namespace.metadata.name ?? '', now);
}

/**
 * Warnings about existing pods under a new enforce level: one line saying some violate it, then one
 * per distinct set of reasons, naming the lexically first pod and how many others share it. Pods of
 * controllers already seen are looked at last, so a cap on pods still covers every controller.
 */
export function evaluatePodsInNamespace(pods: readonly Pod[], namespace: string, enforce: LevelVersion): string[] {
  const seenControllers = new Set<string>();
  const first: Pod[] = [];
  const duplicates: Pod[] = [];
  for (const pod of pods) {
    const controller = pod.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
    if (controller === undefined) first.push(pod);
    else if (seenControllers.has(controller)) duplicates.push(pod);
    else {
      seenControllers.add(controller);
      first.push(pod);
    }
  }
  const prioritized = [...first, ...duplicates];
  const checked = prioritized.slice(0, namespaceMaxPodsToCheck);
  const counts = new Map<string, { podName: string; count: number }>();
  for (const pod of checked) {
    const violations = evaluatePod(enforce.level, pod);
    if (!violations.length) continue;
    const warning = forbiddenReason(violations);
    const name = pod.metadata.name ?? '';
    const entry = counts.get(warning);
    if (!entry) counts.set(warning, { podName: name, count: 1 });
    else {
      entry.count++;
      if (name < entry.podName) entry.podName = name;
    }
  }
  const warnings: string[] = [];
  if (checked.length < prioritized.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${prioritized.length} existing pods`);
  if (counts.size) warnings.push(`existing pods in namespace "${namespace}" violate the new PodSecurity enforce level "${levelVersionString(enforce)}"`);
  const podWarnings = [...counts].map(([warning, { podName, count }]) => {
    if (count === 1) return `${podName}: ${warning}`;
    if (count === 2) return `${podName} (and 1 other pod): ${warning}`;
    return `${podName} (and ${count - 1} other pods): ${warning}`;
  });
  return [...warnings, ...podWarnings.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
}

// ------------------------------------------------------------------------------------------------

export const podSecurityPlugin: AdmissionPlugin = {
  name: 'PodSecurity',
  validate(request, view) {
    const { group, resource } = request.resource;
    if (group === '' && resource === 'namespaces') return validateNamespace(request, view);
    if (group === '' && resource === 'pods') return validatePod(request, view);
    const path = podTemplatePaths[`${group}/${resource}`];
    return path ? validatePodController(request, view, path) : [];
  },
};
