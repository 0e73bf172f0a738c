/**
 * The pods/eviction subresource: delete a pod unless that would break its PodDisruptionBudget.
 *
 * Upstream: EvictionREST in pkg/registry/core/pod/storage/eviction.go. In order:
 * 1. The pod must exist (404). A pod that is Pending, terminal or already being deleted has disrupted
 *    nothing yet (or already has): it is deleted without looking at budgets (a Pending pod with a
 *    resourceVersion precondition, so it cannot turn Running in between).
 * 2. Budgets whose selector selects the pod (an empty selector selects nothing here): more than one is a
 *    500; none means the pod is simply deleted.
 * 3. A pod that is not Ready may go without spending the budget when the policy is AlwaysAllow, or when
 *    the budget is met (currentHealthy ≥ desiredHealthy > 0); it is then deleted with a resourceVersion
 *    precondition, and a conflict there is a 429.
 * 4. Otherwise the budget must have observed its latest generation and allow a disruption: one is spent
 *    (`disruptionsAllowed - 1`, the pod recorded in `disruptedPods`) with an optimistic-concurrency write
 *    of its status, retried on conflicts; an exhausted budget is 429 TooManyRequests.
 * 5. The pod gets a DisruptionTarget condition, then is deleted with the request's DeleteOptions.
 *
 * Every failure is a StatusError; the caller answers 201 with the returned Success status, or with the
 * returned Failure status's own code.
 */

import {
  StatusError,
  badRequest,
  conflict,
  forbidden,
  internalError,
  isConflict,
  type Status,
} from '../api/errors.js';
import {
  disruptionBudgetCause,
  disruptionTargetCondition,
  isPodReady,
  rfc3339Seconds,
  updateDisruptionAllowedCondition,
} from '../api/disruption.js';
import { labelSelectorFromObject, matchesLabels } from '../api/labels.js';
import { decodeBody } from '../api/schema/index.js';
import type { Condition, DeleteOptions, KubeObject, Pod, PodDisruptionBudget } from '../api/types.js';
import { structuredCloneJson, type FieldValidation, type Registry, type Scope } from './registry.js';
import { findResource } from './resources.js';

/** Upstream's cap on `status.disruptedPods`: past it, evictions wait for the controller to catch up. */
export const maxDisruptedPodSize = 2000;

/** How many times a write that lost a race is tried again (upstream: EvictionsRetry, 20 steps). */
const evictionRetries = 20;

/** The message of every eviction refused for a disruption budget (kubectl prints it). */
export const evictionBudgetMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

/** The message of the 500 for a pod under several budgets. */
export const multipleBudgetsMessage = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

const pods = findResource('', 'v1', 'pods')!;
const budgets = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const evictionGvk = { group: 'policy', version: 'v1', kind: 'Eviction' };
/** Both versions of Eviction are accepted, as upstream's EvictionREST does. */
const acceptedApiVersions = new Set(['policy/v1', 'policy/v1beta1']);

export interface EvictionRequest {
  namespace: string;
  /** The pod's name, from the URL. */
  name: string;
  /** The decoded request body (an Eviction). */
  body: unknown;
  /** `?dryRun=All` on the request. */
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
}

export interface EvictionResult {
  /** Success (code 201), or the Failure status to answer with (code 500, several budgets). */
  status: Status;
  warnings: string[];
}

interface EvictionBody extends KubeObject {
  deleteOptions?: DeleteOptions;
}

/**
 * Evicts a pod, as `POST /api/v1/namespaces/NS/pods/NAME/eviction`.
 *
 * @throws StatusError 400 for a bad body, 404 for a missing pod, 429 when a budget forbids the eviction
 *   now, 409 when the request's preconditions fail or a race is lost too often, 403 for a broken budget.
 */
export async function evictPod(registry: Registry, request: EvictionRequest, now: () => number = Date.now): Promise<EvictionResult> {
  const warnings: string[] = [];
  const eviction = decodeEviction(request, warnings);
  if ((eviction.metadata.name ?? '') !== request.name) throw badRequest('name in URL does not match name in Eviction object');
  const originalOptions = propagateDryRun(eviction, request.dryRun ?? false);
  const dryRun = originalOptions.dryRun?.includes('All') ?? false;
  const podScope: Scope = { resource: pods, namespace: request.namespace };

  // 1. Pods whose disruption budgets do not matter are deleted straight away (conflicts retried, unless
  // the client asked for a resourceVersion itself).
  let pod!: Pod;
  for (let attempt = 1; ; attempt++) {
    pod = registry.get(podScope, request.name).object as Pod;
    if (!canIgnoreBudget(pod)) break;
    let options = originalOptions;
    if (enforcesResourceVersion(pod) && resourceVersionIsUnset(originalOptions)) options = withResourceVersion(originalOptions, pod.metadata.resourceVersion);
    try {
      await addConditionAndDeletePod(registry, podScope, request.name, options, now);
      return { status: successStatus(), warnings };
    } catch (error) {
      if (!isConflict(error) || !resourceVersionIsUnset(originalOptions) || attempt >= evictionRetries) throw error;
    }
  }

  // 2. The budget.
  const matching = budgetsFor(registry, pod);
  if (matching.length > 1) return { status: failureStatus(500, multipleBudgetsMessage), warnings };
  const pdb = matching[0];
  let deleteWithPodVersion = false;
  if (pdb) {
    const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    // 3. An unhealthy pod does not count towards the budget: it may go without spending it.
    if (!isPodReady(pod)) {
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') deleteWithPodVersion = true;
      else if (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0) deleteWithPodVersion = true;
    }
    // 4. Spend one disruption.
    if (!deleteWithPodVersion) await checkAndDecrementWithRetries(registry, pod, pdb, dryRun, now);
  }

  // 5. The pod goes. When it was let go for being unhealthy, it must still be the version judged so.
  const options = deleteWithPodVersion ? withResourceVersion(originalOptions, pod.metadata.resourceVersion) : originalOptions;
  try {
    await addConditionAndDeletePod(registry, podScope, request.name, options, now);
  } catch (error) {
    if (isConflict(error) && deleteWithPodVersion && resourceVersionIsUnset(originalOptions)) {
      // The pod changed (perhaps became Ready) since it was judged: ask the client to come back.
      throw stillProcessing(pdb!.metadata.name ?? '');
    }
    throw error;
  }
  return { status: successStatus(), warnings };
}

// ------------------------------------------------------------------------------------------------
// The request body.

function decodeEviction(request: EvictionRequest, warnings: string[]): EvictionBody {
  const body = request.body;
  const cannotHandle = (detail: string) => badRequest(`Eviction in version "v1" cannot be handled as a Eviction: ${detail}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw cannotHandle('the body must be a JSON object');
  const raw = body as Record<string, unknown>;
  if (raw.apiVersion !== undefined && !acceptedApiVersions.has(String(raw.apiVersion))) {
    throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (policy/v1)`);
  }
  if (raw.kind !== undefined && raw.kind !== 'Eviction') {
    throw cannotHandle(`the kind in the data (${String(raw.kind)}) does not match the expected kind (Eviction)`);
  }
  const error = decodeBody(raw, evictionGvk, request.fieldValidation ?? 'Warn', warnings);
  if (error !== undefined) throw cannotHandle(error);
  const eviction = raw as EvictionBody;
  if (typeof eviction.metadata !== 'object' || eviction.metadata === null) eviction.metadata = {};
  if (eviction.metadata.namespace && eviction.metadata.namespace !== request.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  return eviction;
}

/** The delete options to use: the body's, with the request's dryRun pushed in (they must agree). */
function propagateDryRun(eviction: EvictionBody, requestDryRun: boolean): DeleteOptions {
  const requested = requestDryRun ? ['All'] : [];
  const options = eviction.deleteOptions;
  if (!options) return requested.length ? { dryRun: requested } : {};
  if (!options.dryRun?.length) return requested.length ? { ...options, dryRun: requested } : options;
  if (!requested.length) return options;
  if (options.dryRun.join(' ') !== requested.join(' ')) {
    throw internalError(`Non-matching dry-run options in request and content: [${requested.join(' ')}] and [${options.dryRun.join(' ')}]`);
  }
  return options;
}

// ------------------------------------------------------------------------------------------------
// Pods.

/** Pending, terminal and terminating pods are deleted without consulting budgets. */
function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

/** Whether deleting the pod must be pinned to the version read (it could still become Ready). */
function enforcesResourceVersion(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp);
}

function resourceVersionIsUnset(options: DeleteOptions): boolean {
  return !options.preconditions?.resourceVersion;
}

function withResourceVersion(options: DeleteOptions, resourceVersion: string | undefined): DeleteOptions {
  return { ...options, preconditions: { ...options.preconditions, resourceVersion } };
}

/**
 * Marks the pod with DisruptionTarget=True (reason EvictionByEvictionAPI) on its latest version, then
 * deletes it with `options`. The preconditions are checked against the latest version first; when they
 * name a resourceVersion, the delete follows the version the condition wrote. A dry run writes nothing.
 */
async function addConditionAndDeletePod(registry: Registry, scope: Scope, name: string, options: DeleteOptions, now: () => number): Promise<void> {
  let deleteOptions = options;
  if (!options.dryRun?.includes('All')) {
    const written = await updateToLatest(registry, scope, name, (latest) => {
      const preconditions = options.preconditions;
      if (preconditions?.uid && preconditions.uid !== latest.metadata.uid) {
        throw conflict(
          { group: '', resource: 'Pod' },
          latest.metadata.name ?? name,
          `the UID in the precondition (${preconditions.uid}) does not match the UID in record (${latest.metadata.uid}). The object might have been deleted and then recreated`,
        );
      }
      if (preconditions?.resourceVersion && preconditions.resourceVersion !== latest.metadata.resourceVersion) {
        throw conflict(
          { group: '', resource: 'Pod' },
          latest.metadata.name ?? name,
          `the ResourceVersion in the precondition (${preconditions.resourceVersion}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion}). The object might have been modified`,
        );
      }
      const next = structuredCloneJson(latest);
      next.status = { ...next.status, conditions: withDisruptionTarget(latest.status?.conditions, rfc3339Seconds(now())) };
      return next;
    });
    if (!resourceVersionIsUnset(options)) deleteOptions = withResourceVersion(options, written.metadata.resourceVersion);
  }
  await registry.delete(scope, name, deleteOptions);
}

/**
 * Writes `change(latest)` to the pod's status, reading the latest version again when another writer gets
 * in between (upstream's GuaranteedUpdate). Returns the pod as stored.
 */
async function updateToLatest(registry: Registry, scope: Scope, name: string, change: (latest: Pod) => Pod): Promise<Pod> {
  for (let attempt = 1; ; attempt++) {
    const latest = registry.get(scope, name).object as Pod;
    const next = change(latest);
    try {
      return (await registry.update({ ...scope, subresource: 'status' }, name, next)).object as Pod;
    } catch (error) {
      if (!isConflict(error) || attempt >= evictionRetries || registry.get(scope, name).object.metadata.resourceVersion === latest.metadata.resourceVersion) throw error;
    }
  }
}

/**
 * The pod's conditions with DisruptionTarget=True/EvictionByEvictionAPI (upstream's UpdatePodCondition:
 * appended when missing; the transition time kept when the status does not change).
 */
function withDisruptionTarget(conditions: readonly Condition[] | undefined, now: string): Condition[] {
  const target: Condition = { type: disruptionTargetCondition, status: 'True', lastProbeTime: null, lastTransitionTime: now, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  const result = [...(conditions ?? [])];
  const index = result.findIndex((c) => c.type === disruptionTargetCondition);
  if (index < 0) return [...result, target];
  if (result[index]!.status === target.status && result[index]!.lastTransitionTime) target.lastTransitionTime = result[index]!.lastTransitionTime;
  result[index] = target;
  return result;
}

// ------------------------------------------------------------------------------------------------
// Budgets.

/** The budgets of the pod's namespace whose selector selects it; empty and absent selectors select nothing. */
function budgetsFor(registry: Registry, pod: Pod): PodDisruptionBudget[] {
  const { items } = registry.list({ resource: budgets, namespace: pod.metadata.namespace });
  const result: PodDisruptionBudget[] = [];
  for (const item of items) {
    const pdb = item.object as PodDisruptionBudget;
    let selector;
    try {
      selector = labelSelectorFromObject(pdb.spec?.selector);
    } catch {
      // An invalid selector does not select the pod.
      continue;
    }
    // Unlike the disruption controller, a budget selecting everything does not guard evictions.
    if (selector === 'nothing' || selector.length === 0 || !matchesLabels(selector, pod.metadata.labels)) continue;
    result.push(pdb);
  }
  return result;
}

/** Spends one disruption of the budget, reading it again after each lost race. */
async function checkAndDecrementWithRetries(registry: Registry, pod: Pod, first: PodDisruptionBudget, dryRun: boolean, now: () => number): Promise<void> {
  const scope: Scope = { resource: budgets, namespace: pod.metadata.namespace };
  let pdb = first;
  for (let attempt = 1; ; attempt++) {
    try {
      await checkAndDecrement(registry, pod.metadata.name ?? '', pdb, dryRun, now);
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= evictionRetries) throw error;
      pdb = registry.get(scope, pdb.metadata.name ?? '').object as PodDisruptionBudget;
    }
  }
}

/**
 * Whether the budget allows one more disruption; if so, records it: `disruptionsAllowed - 1` (the
 * DisruptionAllowed condition turning False at 0) and the pod in `disruptedPods`, written with the
 * budget's resourceVersion (409 when the controller or another eviction wrote first).
 */
async function checkAndDecrement(registry: Registry, podName: string, pdb: PodDisruptionBudget, dryRun: boolean, now: () => number): Promise<void> {
  const name = pdb.metadata.name ?? '';
  const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  if (status.disruptionsAllowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPodSize) {
    throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw budgetRefusal(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`, 0);
  }
  const nowText = rfc3339Seconds(now());
  let next = { ...status, disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) next = updateDisruptionAllowedCondition(next, nowText);
  if (dryRun) return;
  next.disruptedPods = { ...status.disruptedPods, [podName]: nowText };
  const body = structuredCloneJson({ ...pdb, status: next });
  await registry.update({ resource: budgets, namespace: pdb.metadata.namespace, subresource: 'status' }, name, body);
}

/** 429 with a DisruptionBudget cause; kubectl drain prints the message and tries again after 5 s. */
function budgetRefusal(cause: string, retryAfterSeconds: number): StatusError {
  return new StatusError({
    code: 429,
    reason: 'TooManyRequests',
    message: evictionBudgetMessage,
    details: { ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}), causes: [{ reason: disruptionBudgetCause, message: cause }] },
  });
}

/** 429 for a budget the controller has not caught up with yet (with a 10 s Retry-After, as upstream). */
function stillProcessing(pdbName: string): StatusError {
  return budgetRefusal(`The disruption budget ${pdbName} is still being processed by the server.`, 10);
}

function successStatus(): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

function failureStatus(code: number, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}
