/**
 * Claiming: which pods and ControllerRevisions belong to a DaemonSet. Owned objects that still match its
 * selector are kept, owned ones that no longer match are released (the controller reference removed), and
 * matching orphans are adopted (a controller reference added) once a fresh read confirms the DaemonSet
 * still exists and is not being deleted. Upstream: ClaimPods / ClaimControllerRevisions and the
 * ControllerRefManager in pkg/controller/controller_ref_manager.go.
 */

import { isNotFound } from '../../api/errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { DaemonSet, KubeObject, OwnerReference } from '../../api/types.js';
import { refs, type Client, type ResourceRef } from '../../client/index.js';
import { newDaemonSetControllerRef } from './pod-template.js';

/** The object's controller reference, if it has one. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller);
}

/** What to do with each candidate. Pure. */
export interface ClaimPlan<T extends KubeObject> {
  /** Owned and matching: already ours. */
  owned: T[];
  /** Orphans to adopt (only when the DaemonSet is not being deleted). */
  toAdopt: T[];
  /** Owned but no longer matching (only when the DaemonSet is not being deleted). */
  toRelease: T[];
}

/**
 * Sorts `objects` (any objects in the DaemonSet's namespace) into owned, to adopt and to release. Objects
 * controlled by something else are ignored; orphans being deleted are never adopted.
 */
export function planClaims<T extends KubeObject>(ds: DaemonSet, objects: readonly T[]): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], toAdopt: [], toRelease: [] };
  const selector = labelSelectorFromObject(ds.spec.selector);
  const dsDeleting = Boolean(ds.metadata.deletionTimestamp);
  for (const obj of objects) {
    if (obj.metadata.namespace !== ds.metadata.namespace) continue;
    const matches = matchesLabels(selector, obj.metadata.labels);
    const controllerRef = getControllerOf(obj);
    if (controllerRef) {
      if (controllerRef.uid !== ds.metadata.uid) continue;
      if (matches) plan.owned.push(obj);
      else if (!dsDeleting) plan.toRelease.push(obj);
      continue;
    }
    if (matches && !dsDeleting && !obj.metadata.deletionTimestamp) plan.toAdopt.push(obj);
  }
  return plan;
}

/** Raised when adoption is refused because the DaemonSet is gone, replaced or being deleted. */
export class AdoptionRefusedError extends Error {
  override readonly name = 'AdoptionRefusedError';
}

/** A JSON patch adding `ds`'s controller reference, guarded by the object's resourceVersion. */
function adoptPatch(obj: KubeObject, ds: DaemonSet): unknown[] {
  const ref = newDaemonSetControllerRef(ds);
  const guard = { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion };
  return obj.metadata.ownerReferences
    ? [guard, { op: 'add', path: '/metadata/ownerReferences/-', value: ref }]
    : [guard, { op: 'add', path: '/metadata/ownerReferences', value: [ref] }];
}

/** A JSON patch removing the reference to `ds`, guarded by the reference's uid at its index. */
function releasePatch(obj: KubeObject, ds: DaemonSet): unknown[] | undefined {
  const index = obj.metadata.ownerReferences?.findIndex((ref) => ref.uid === ds.metadata.uid) ?? -1;
  if (index < 0) return undefined;
  return [
    { op: 'test', path: `/metadata/ownerReferences/${index}/uid`, value: ds.metadata.uid },
    { op: 'remove', path: `/metadata/ownerReferences/${index}` },
  ];
}

/**
 * Claims `objects` of resource `resource` for `ds` and returns the ones it now owns (owned plus adopted).
 * Before the first adoption the DaemonSet is read afresh; if it is gone, has another uid or is being deleted
 * an {@link AdoptionRefusedError} is thrown and nothing is adopted. Objects that vanish meanwhile are skipped.
 */
export async function claimObjects<T extends KubeObject>(client: Client, resource: ResourceRef, ds: DaemonSet, objects: readonly T[]): Promise<T[]> {
  const plan = planClaims(ds, objects);
  const claimed = [...plan.owned];
  const namespace = ds.metadata.namespace;
  for (const obj of plan.toRelease) {
    const patch = releasePatch(obj, ds);
    if (!patch) continue;
    try {
      await client.patch(resource, namespace, obj.metadata.name!, 'json', patch);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  if (plan.toAdopt.length > 0) {
    let fresh: DaemonSet | undefined;
    try {
      fresh = await client.get<DaemonSet>(refs.daemonsets, namespace, ds.metadata.name!);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!fresh || fresh.metadata.uid !== ds.metadata.uid || fresh.metadata.deletionTimestamp) {
      throw new AdoptionRefusedError(`daemon set ${namespace}/${ds.metadata.name} (uid ${ds.metadata.uid}) is gone or being deleted; not adopting`);
    }
    for (const obj of plan.toAdopt) {
      try {
        claimed.push(await client.patch<T>(resource, namespace, obj.metadata.name!, 'json', adoptPatch(obj, ds)));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return claimed;
}
