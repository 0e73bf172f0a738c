/**
 * What the controllers need to know about each resource in `refs` beyond its URL parts: its kind
 * (ownerReferences name owners by apiVersion and kind) and whether it lives in a namespace.
 *
 * Controllers cannot ask the API server's resource table (they talk to the server only through the
 * Client), so the facts are restated here; `resources.test.ts` checks them against the server's table.
 */
import { refs, type ResourceRef } from './types.js';

export interface ResourceKind {
  ref: ResourceRef;
  kind: string;
  namespaced: boolean;
}

type RefName = keyof typeof refs;

const facts: Record<RefName, { kind: string; namespaced: boolean }> = {
  namespaces: { kind: 'Namespace', namespaced: false },
  nodes: { kind: 'Node', namespaced: false },
  pods: { kind: 'Pod', namespaced: true },
  events: { kind: 'Event', namespaced: true },
  configmaps: { kind: 'ConfigMap', namespaced: true },
  secrets: { kind: 'Secret', namespaced: true },
  serviceaccounts: { kind: 'ServiceAccount', namespaced: true },
  daemonsets: { kind: 'DaemonSet', namespaced: true },
  controllerrevisions: { kind: 'ControllerRevision', namespaced: true },
  leases: { kind: 'Lease', namespaced: true },
  priorityclasses: { kind: 'PriorityClass', namespaced: false },
  poddisruptionbudgets: { kind: 'PodDisruptionBudget', namespaced: true },
};

/** Every resource in `refs`, with its kind and scope. */
export const resourceKinds: readonly ResourceKind[] = (Object.keys(refs) as RefName[]).map((name) => ({ ref: refs[name], ...facts[name] }));

/** The resources whose objects live in a namespace (what deleting a namespace must empty). */
export const namespacedResourceKinds: readonly ResourceKind[] = resourceKinds.filter((r) => r.namespaced);

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** The group part of an apiVersion: `apps` for `apps/v1`, '' for `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The resource an ownerReference points to. Matches on group and kind only: any served version of a
 * kind names the same object, as upstream's REST mapper resolves it.
 */
export function findResourceKind(apiVersion: string, kind: string, among: readonly ResourceKind[] = resourceKinds): ResourceKind | undefined {
  const group = groupOf(apiVersion);
  return among.find((r) => r.kind === kind && r.ref.group === group);
}

/** `daemonsets.apps`, or `pods` for the core group: how resources are named in messages. */
export function resourceName(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}
