/** Small builders for the scheduler's tests. */
import type { Container, Node, Pod, PodSpec, Taint } from '../../api/types.js';

export function makeNode(name: string, opts: { labels?: Record<string, string>; allocatable?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {}): Node {
  return {
    metadata: { name, labels: opts.labels },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: opts.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

export function makePod(spec: Partial<PodSpec> = {}, name = 'p'): Pod {
  return { metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c' }], ...spec } };
}

/** A pod with one container per request map. */
export function podRequesting(...requests: Record<string, string>[]): Pod {
  return makePod({ containers: requests.map((r, i): Container => ({ name: `c${i}`, resources: { requests: r } })) });
}

export function podWithPorts(...ports: { hostPort: number; hostIP?: string; protocol?: string }[]): Pod {
  return makePod({ containers: [{ name: 'c', ports: ports.map((p) => ({ containerPort: p.hostPort, ...p })) }] });
}

/** The pod a DaemonSet creates for `node`: pinned by matchFields, tolerating unschedulable. */
export function daemonPod(node: string, requests: Record<string, string> = {}): Pod {
  return makePod({
    containers: [{ name: 'c', resources: { requests } }],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
        },
      },
    },
    tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
  });
}
