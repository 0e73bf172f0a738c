/**
 * The scheduler's filter framework: what a filter plugin sees (a pod and one node with the pods already
 * bound to it) and what it answers. Everything here is pure.
 *
 * Upstream: `pkg/scheduler/framework/types.go` (NodeInfo, Resource, HostPortInfo) and
 * `pkg/scheduler/framework/interface.go` (FilterPlugin, PreFilterResult, status codes).
 */
import { parseQuantity, quantityScaledValue, type Quantity, addQuantity, compareQuantity } from '../api/quantity.js';
import type { Container, Node, Pod, Taint, Toleration } from '../api/types.js';

// ---------------------------------------------------------------------------------------------
// Plugin contract.

/**
 * A filter's verdict for one node. `unresolvable` is upstream's `UnschedulableAndUnresolvable`: evicting
 * pods from the node (preemption) would not change the answer. A node may fail for several reasons at once
 * (NodeResourcesFit reports each short resource); each reason is counted separately in the message.
 */
export type FilterResult = { ok: true } | { ok: false; reasons: string[]; unresolvable: boolean };

/**
 * What a plugin's optional pre-filter pass says about the pod as a whole: nothing (`undefined`, every node is
 * a candidate), a set of node names to restrict filtering to, or a rejection of the pod on every node.
 */
export type PreFilterResult =
  | undefined
  | { nodeNames: ReadonlySet<string> }
  | { rejected: true; reason: string; unresolvable: boolean };

export interface FilterPlugin {
  /** Upstream's plugin name (`NodeAffinity`); it appears in messages. */
  readonly name: string;
  preFilter?(pod: Pod): PreFilterResult;
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult;
}

export const fits: FilterResult = Object.freeze({ ok: true });

/** A rejection that preemption might fix (upstream `Unschedulable`). */
export function unschedulable(...reasons: string[]): FilterResult {
  return { ok: false, reasons, unresolvable: false };
}

/** A rejection that preemption cannot fix (upstream `UnschedulableAndUnresolvable`). */
export function unresolvable(...reasons: string[]): FilterResult {
  return { ok: false, reasons, unresolvable: true };
}

// ---------------------------------------------------------------------------------------------
// Resources.

/**
 * Amounts in the scheduler's units: CPU in millicores, everything else in whole units (rounded up), as
 * upstream's `framework.Resource`. BigInt so no amount loses precision.
 */
export interface Resource {
  milliCPU: bigint;
  memory: bigint;
  ephemeralStorage: bigint;
  /** The `pods` resource; only meaningful for a node's allocatable. */
  allowedPodNumber: bigint;
  /** Extended, hugepages-*, attachable-volumes-* and other prefixed native resources, by name. */
  scalar: Map<string, bigint>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0n, memory: 0n, ephemeralStorage: 0n, allowedPodNumber: 0n, scalar: new Map() };
}

/** Resources named without a domain, or in a `*kubernetes.io/` domain, are native. */
function isPrefixedNativeResource(name: string): boolean {
  return name.includes('kubernetes.io/');
}

function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/') || isPrefixedNativeResource(name)) return false;
  // Quota uses `requests.<name>`; such names cannot be extended resources.
  return !name.startsWith('requests.');
}

/** Upstream's `IsScalarResourceName`: the resources tracked by name besides cpu, memory, storage, pods. */
export function isScalarResourceName(name: string): boolean {
  return (
    isExtendedResourceName(name) ||
    name.startsWith('hugepages-') ||
    isPrefixedNativeResource(name) ||
    name.startsWith('attachable-volumes-')
  );
}

/** A resource list (`{ cpu: '100m' }`) with parsed quantities; unparsable entries are left out. */
type QuantityList = Map<string, Quantity>;

function parseList(list: Record<string, string> | undefined): QuantityList {
  const out: QuantityList = new Map();
  for (const [name, text] of Object.entries(list ?? {})) {
    try {
      out.set(name, parseQuantity(String(text)));
    } catch {
      // The API server validates quantities; a bad one here is ignored rather than stopping the scheduler.
    }
  }
  return out;
}

function addInto(target: QuantityList, list: QuantityList): void {
  for (const [name, q] of list) {
    const have = target.get(name);
    target.set(name, have ? addQuantity(have, q) : q);
  }
}

function maxInto(target: QuantityList, list: QuantityList): void {
  for (const [name, q] of list) {
    const have = target.get(name);
    if (!have || compareQuantity(q, have) > 0) target.set(name, q);
  }
}

/** Converts exact quantities to scheduler units; names the scheduler does not track are dropped. */
export function resourceFromList(list: ReadonlyMap<string, Quantity> | Record<string, string> | undefined): Resource {
  const parsed = list instanceof Map ? list : parseList(list as Record<string, string> | undefined);
  const r = emptyResource();
  for (const [name, q] of parsed) {
    switch (name) {
      case 'cpu':
        r.milliCPU += quantityScaledValue(q, -3);
        break;
      case 'memory':
        r.memory += quantityScaledValue(q, 0);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += quantityScaledValue(q, 0);
        break;
      case 'pods':
        r.allowedPodNumber += quantityScaledValue(q, 0);
        break;
      default:
        if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0n) + quantityScaledValue(q, 0));
    }
  }
  return r;
}

function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/**
 * The pod's effective requests as exact quantities: the sum over app containers and sidecars (init
 * containers with `restartPolicy: Always`), or, if larger per resource, the peak while an ordinary init
 * container runs next to the sidecars started before it; plus `spec.overhead`.
 *
 * Upstream: `PodRequests` in `staging/src/k8s.io/component-helpers/resource/helpers.go` as the scheduler calls
 * it for filtering. No non-zero defaults here: upstream applies those (100m cpu, 200Mi memory) only when
 * scoring. Pod-level `spec.resources` and in-place resize status are not considered.
 */
export function podRequestList(pod: Pod): Map<string, Quantity> {
  const total: QuantityList = new Map();
  for (const container of pod.spec.containers ?? []) addInto(total, parseList(container.resources?.requests));

  const sidecarsSoFar: QuantityList = new Map();
  const initPeak: QuantityList = new Map();
  for (const container of pod.spec.initContainers ?? []) {
    const requests = parseList(container.resources?.requests);
    if (isSidecar(container)) {
      addInto(total, requests);
      addInto(sidecarsSoFar, requests);
      maxInto(initPeak, sidecarsSoFar);
    } else {
      const whileRunning: QuantityList = new Map();
      addInto(whileRunning, requests);
      addInto(whileRunning, sidecarsSoFar);
      maxInto(initPeak, whileRunning);
    }
  }
  maxInto(total, initPeak);
  addInto(total, parseList(pod.spec.overhead as Record<string, string> | undefined));
  return total;
}

/** `podRequestList` in scheduler units (upstream's `computePodResourceRequest`). */
export function computePodResourceRequest(pod: Pod): Resource {
  return resourceFromList(podRequestList(pod));
}

function addResource(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.allowedPodNumber += r.allowedPodNumber;
  for (const [name, v] of r.scalar) into.scalar.set(name, (into.scalar.get(name) ?? 0n) + v);
}

// ---------------------------------------------------------------------------------------------
// Host ports.

/** Used host ports: host IP → set of `<protocol>/<port>`. Upstream's `HostPortInfo`. */
export type HostPortInfo = Map<string, Set<string>>;

const anyIP = '0.0.0.0';

function portKey(protocol: string | undefined, port: number): string {
  return `${protocol || 'TCP'}/${port}`;
}

export function addHostPort(used: HostPortInfo, hostIP: string | undefined, protocol: string | undefined, port: number): void {
  if (!(port > 0)) return;
  const ip = hostIP || anyIP;
  let set = used.get(ip);
  if (!set) used.set(ip, (set = new Set()));
  set.add(portKey(protocol, port));
}

/**
 * Whether `hostIP:port/protocol` collides with a used port. An empty host IP means 0.0.0.0, which collides
 * with the same port and protocol on every IP; a specific IP collides with itself and with 0.0.0.0.
 */
export function hostPortConflicts(used: HostPortInfo, hostIP: string | undefined, protocol: string | undefined, port: number): boolean {
  if (!(port > 0)) return false;
  const ip = hostIP || anyIP;
  const key = portKey(protocol, port);
  if (ip === anyIP) {
    for (const set of used.values()) if (set.has(key)) return true;
    return false;
  }
  return (used.get(ip)?.has(key) ?? false) || (used.get(anyIP)?.has(key) ?? false);
}

/**
 * The host ports a pod holds for its whole life: those of sidecars (init containers with
 * `restartPolicy: Always`) and app containers, where a hostPort is set. Upstream: `GetHostPorts` in
 * `pkg/scheduler/util/utils.go`.
 */
export function podHostPorts(pod: Pod): { hostIP?: string; protocol?: string; hostPort: number }[] {
  const out: { hostIP?: string; protocol?: string; hostPort: number }[] = [];
  const running = [...(pod.spec.initContainers ?? []).filter(isSidecar), ...(pod.spec.containers ?? [])];
  for (const container of running) {
    for (const port of container.ports ?? []) {
      if ((port.hostPort ?? 0) > 0) out.push({ hostIP: port.hostIP, protocol: port.protocol, hostPort: port.hostPort! });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node info.

/** A node as the filters see it, with what the pods bound to it already use. */
export interface NodeInfo {
  readonly node: Node;
  readonly name: string;
  /** Pods bound to the node that still count (not Succeeded or Failed). */
  readonly pods: readonly Pod[];
  /** Sum of `computePodResourceRequest` over `pods`. */
  readonly requested: Resource;
  readonly allocatable: Resource;
  readonly usedPorts: HostPortInfo;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/**
 * Builds a NodeInfo. Pods that have finished (Succeeded/Failed) are left out, as the upstream scheduler's
 * pod informer does; the caller is responsible for passing only pods bound to this node.
 */
export function newNodeInfo(node: Node, pods: readonly Pod[] = []): NodeInfo {
  const counted = pods.filter((pod) => !isTerminal(pod));
  const requested = emptyResource();
  const usedPorts: HostPortInfo = new Map();
  for (const pod of counted) {
    addResource(requested, computePodResourceRequest(pod));
    for (const port of podHostPorts(pod)) addHostPort(usedPorts, port.hostIP, port.protocol, port.hostPort);
  }
  return {
    node,
    name: node.metadata.name ?? '',
    pods: counted,
    requested,
    allocatable: resourceFromList(node.status?.allocatable),
    usedPorts,
  };
}

// ---------------------------------------------------------------------------------------------
// Taints and tolerations.

/** Upstream's `Toleration.ToleratesTaint`. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((toleration) => toleratesTaint(toleration, taint));
}
