/**
 * NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what the pods already bound
 * there request, and one more pod must fit under the `pods` allocatable. Every shortfall is reported.
 * A request larger than the node's whole allocatable cannot be fixed by preemption (unresolvable).
 *
 * Upstream: `fitsRequest` in `pkg/scheduler/framework/plugins/noderesources/fit.go`. Not modelled: ignored
 * extended resources (scheduler configuration) and resources delegated to DRA.
 */
import type { Pod } from '../../api/types.js';
import { computePodResourceRequest, fits, type FilterPlugin, type FilterResult, type NodeInfo, type Resource } from '../framework.js';

export const tooManyPodsReason = 'Too many pods';

export function insufficientReason(resource: string): string {
  return `Insufficient ${resource}`;
}

export interface InsufficientResource {
  resource: string;
  reason: string;
  requested: bigint;
  used: bigint;
  capacity: bigint;
  unresolvable: boolean;
}

/** Each shortfall of `podRequest` on the node, in upstream's order: pods, cpu, memory, ephemeral-storage, then scalars. */
export function insufficientResources(podRequest: Resource, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const { allocatable, requested } = nodeInfo;
  const podCount = BigInt(nodeInfo.pods.length);
  if (podCount + 1n > allocatable.allowedPodNumber) {
    out.push({ resource: 'pods', reason: tooManyPodsReason, requested: 1n, used: podCount, capacity: allocatable.allowedPodNumber, unresolvable: false });
  }
  if (podRequest.milliCPU === 0n && podRequest.memory === 0n && podRequest.ephemeralStorage === 0n && podRequest.scalar.size === 0) return out;

  const check = (resource: string, want: bigint, capacity: bigint, used: bigint): void => {
    if (want > 0n && want > capacity - used) {
      out.push({ resource, reason: insufficientReason(resource), requested: want, used, capacity, unresolvable: want > capacity });
    }
  };
  check('cpu', podRequest.milliCPU, allocatable.milliCPU, requested.milliCPU);
  check('memory', podRequest.memory, allocatable.memory, requested.memory);
  check('ephemeral-storage', podRequest.ephemeralStorage, allocatable.ephemeralStorage, requested.ephemeralStorage);
  // Upstream walks a Go map here, so its order is random; sorting by name keeps ours stable.
  for (const name of [...podRequest.scalar.keys()].sort()) {
    check(name, podRequest.scalar.get(name)!, allocatable.scalar.get(name) ?? 0n, requested.scalar.get(name) ?? 0n);
  }
  return out;
}

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const short = insufficientResources(computePodResourceRequest(pod), nodeInfo);
    if (short.length === 0) return fits;
    return { ok: false, reasons: short.map((s) => s.reason), unresolvable: short.some((s) => s.unresolvable) };
  },
};
