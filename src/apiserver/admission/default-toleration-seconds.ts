/**
 * The DefaultTolerationSeconds admission plugin: a pod that does not tolerate the not-ready or the
 * unreachable NoExecute taint gets a toleration for it with `tolerationSeconds: 300`, so that the taint
 * manager evicts it five minutes after its node fails rather than at once. DaemonSet pods already
 * tolerate both without a time limit (the DaemonSet controller adds them), and so do static pods.
 *
 * Upstream: plugin/pkg/admission/defaulttolerationseconds (on create and update of pods proper; the
 * 300 s are kube-apiserver's --default-not-ready-toleration-seconds and
 * --default-unreachable-toleration-seconds).
 */
import type { Pod, Toleration } from '../../api/types.js';
import type { AdmissionPlugin, AdmissionRequest } from './index.js';

export const taintNodeNotReady = 'node.kubernetes.io/not-ready';
export const taintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const defaultTolerationSeconds = 300;

/** Whether `toleration` tolerates the NoExecute taint `key` (an empty key or effect matches any). */
function toleratesNoExecute(toleration: Toleration, key: string): boolean {
  return (!toleration.key || toleration.key === key) && (!toleration.effect || toleration.effect === 'NoExecute');
}

/** Adds the default tolerations `pod` lacks. Mutates `pod`. */
export function addDefaultTolerations(pod: Pod): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object') return;
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const missing = [taintNodeNotReady, taintNodeUnreachable].filter((key) => !tolerations.some((t) => t && typeof t === 'object' && toleratesNoExecute(t, key)));
  if (missing.length === 0) return;
  spec.tolerations = [...tolerations, ...missing.map((key): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds }))];
}

function isPod(request: AdmissionRequest): boolean {
  return request.resource.group === '' && request.resource.resource === 'pods' && !request.subresource;
}

export const defaultTolerationSecondsPlugin: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(request) {
    if (isPod(request)) addDefaultTolerations(request.object as Pod);
  },
};
