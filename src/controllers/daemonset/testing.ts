/**
 * Fixture builders for this room's tests, in the spirit of upstream's newDaemonSet / newNode / newPod.
 * Imported only by `*.test.ts` files.
 */

import type { DaemonSet, DaemonSetUpdateStrategy, IntOrString, Node, ObjectMeta, Pod, PodSpec, Taint } from '../../api/types.js';

export const simpleDaemonSetLabel = { name: 'simple-daemon', type: 'production' };

/**
 * A DaemonSet `foo` in `default`, uid `ds-uid`, selecting {@link simpleDaemonSetLabel}; `spec` overrides the
 * template spec. Its strategy and history limit are the API defaults (RollingUpdate, maxUnavailable 1,
 * maxSurge 0; 10 revisions).
 */
export function newDaemonSet(spec: Partial<PodSpec> = {}, meta: Partial<ObjectMeta> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'ds-uid', generation: 1, ...meta },
    spec: {
      selector: { matchLabels: { ...simpleDaemonSetLabel } },
      template: {
        metadata: { labels: { ...simpleDaemonSetLabel } },
        spec: { containers: [{ name: 'foo', image: 'foo/bar' }], ...spec },
      },
      updateStrategy: newUpdateUnavailable(1),
      revisionHistoryLimit: 10,
    },
  };
}

/** A RollingUpdate strategy bounded by `maxUnavailable` (upstream's newUpdateUnavailable). */
export function newUpdateUnavailable(maxUnavailable: IntOrString): DaemonSetUpdateStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 0 } };
}

/** A RollingUpdate strategy that surges by `maxSurge`, with `maxUnavailable` 0 (upstream's newUpdateSurge). */
export function newUpdateSurge(maxSurge: IntOrString): DaemonSetUpdateStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge } };
}

/** A node with the given name, labels and taints. */
export function newNode(name: string, options: { labels?: Record<string, string>; taints?: Taint[]; meta?: Partial<ObjectMeta>; unschedulable?: boolean } = {}): Node {
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: options.labels ?? {}, ...options.meta }, spec: {} };
  if (options.taints) node.spec!.taints = options.taints;
  if (options.unschedulable) node.spec!.unschedulable = true;
  return node;
}

/** Options of {@link newTestPod}. */
export interface TestPodOptions {
  /** Bound node (`spec.nodeName`). */
  nodeName?: string;
  /** Node pinned through required affinity instead of `spec.nodeName`. */
  pinnedTo?: string;
  created?: string;
  labels?: Record<string, string>;
  /** Ready condition: `true` = True, `false` = False, absent = no condition. */
  ready?: boolean;
  readySince?: string;
  phase?: NonNullable<Pod['status']>['phase'];
  deletionTimestamp?: string;
}

/** A daemon pod named `name`. */
export function newTestPod(name: string, options: TestPodOptions = {}): Pod {
  const pod: Pod = {
    metadata: { name, namespace: 'default', labels: options.labels ?? { ...simpleDaemonSetLabel } },
    spec: { containers: [{ name: 'foo', image: 'foo/bar' }] },
    status: { phase: options.phase ?? 'Running' },
  };
  if (options.created) pod.metadata.creationTimestamp = options.created;
  if (options.deletionTimestamp) pod.metadata.deletionTimestamp = options.deletionTimestamp;
  if (options.nodeName) pod.spec.nodeName = options.nodeName;
  if (options.pinnedTo) {
    pod.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [options.pinnedTo] }] }],
        },
      },
    };
  }
  if (options.ready !== undefined) {
    pod.status!.conditions = [
      { type: 'Ready', status: options.ready ? 'True' : 'False', ...(options.readySince ? { lastTransitionTime: options.readySince } : {}) },
    ];
  }
  return pod;
}
