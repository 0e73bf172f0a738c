/**
 * The pods printer: NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED-NODE READINESS-GATES.
 *
 * STATUS is not a field of the pod; it is derived from the phase, the conditions and every container's
 * state, and kubectl users read it more than anything else. `podSummary` holds that derivation.
 *
 * Upstream: `printPod` in pkg/printers/internalversion/printers.go.
 */

import type { Condition, Container, ContainerStatus, KubeObject, Pod } from '../../api/types.js';
import { ageColumn, ageOf, column, nameColumn, nameOf, type TablePrinter } from './columns.js';
import { humanDuration, parseTimestamp } from './time.js';

/** `status.reason` the node lifecycle controller sets on pods of an unreachable node. */
const NODE_LOST_REASON = 'NodeLost';
/** `reason` of the PodScheduled condition while scheduling gates hold a pod back. */
const SCHEDULING_GATED_REASON = 'SchedulingGated';
/** The waiting reason of an init container that simply has not started yet; not worth showing. */
const POD_INITIALIZING_REASON = 'PodInitializing';

const NONE = '<none>';

/** What the READY, STATUS and RESTARTS columns show for one pod. */
export interface PodSummary {
  /** Containers ready to serve, counting started sidecars (restartable init containers). */
  readyContainers: number;
  /** App containers plus sidecars. */
  totalContainers: number;
  /** The STATUS column. */
  reason: string;
  /** Restarts of the containers that count (see `podSummary`). */
  restarts: number;
  /** When the most recent counted restart happened (epoch ms), if known. */
  lastRestartAt: number | undefined;
}

/**
 * Derives READY, STATUS and RESTARTS for a pod. Later steps override earlier ones:
 *
 * 1. STATUS starts as `status.reason`, else the phase; a PodScheduled condition with reason
 *    `SchedulingGated` makes it `SchedulingGated`.
 * 2. Init containers are walked in order, skipping ones that exited 0 and started sidecars. The first other
 *    one decides: terminated → `Init:<reason>` (or `Init:Signal:<n>` / `Init:ExitCode:<n>`); waiting with a
 *    reason other than PodInitializing → `Init:<reason>`; otherwise `Init:<index>/<count>`.
 * 3. Unless init is still running (and the Initialized condition is not True), app containers are walked
 *    from last to first, so the first one in spec order that is waiting with a reason or terminated
 *    decides (`Signal:<n>` / `ExitCode:<n>` for a termination without a reason). `Completed` with a
 *    container still running and ready becomes `Running` (pod Ready) or `NotReady`.
 * 4. A pod being deleted shows `Unknown` if its node was lost, else `Terminating` unless it already ended.
 *
 * While init runs, RESTARTS counts the init containers walked; afterwards it counts sidecars and app
 * containers only.
 */
export function podSummary(pod: Pod): PodSummary {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  const initContainers = spec.initContainers ?? [];
  const initContainerByName = new Map(initContainers.map((container) => [container.name, container]));

  let reason: string = status.reason || phase;
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === SCHEDULING_GATED_REASON)) {
    reason = SCHEDULING_GATED_REASON;
  }

  const totalContainers = (spec.containers ?? []).length + initContainers.filter(isRestartable).length;
  let readyContainers = 0;
  let restarts = 0;
  let lastRestartAt: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestartAt: number | undefined;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const containerStatus = initStatuses[i]!;
    const sidecar = isRestartable(initContainerByName.get(containerStatus.name));
    restarts += containerStatus.restartCount ?? 0;
    lastRestartAt = later(lastRestartAt, lastTerminationAt(containerStatus));
    if (sidecar) {
      sidecarRestarts += containerStatus.restartCount ?? 0;
      lastSidecarRestartAt = later(lastSidecarRestartAt, lastTerminationAt(containerStatus));
    }

    const terminated = containerStatus.state?.terminated;
    const waiting = containerStatus.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && containerStatus.started === true) {
      if (containerStatus.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = `Init:${terminated.reason || exitDescription(terminated)}`;
    } else if (waiting?.reason && waiting.reason !== POD_INITIALIZING_REASON) {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || isConditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestartAt = lastSidecarRestartAt;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const containerStatus = statuses[i]!;
      restarts += containerStatus.restartCount ?? 0;
      lastRestartAt = later(lastRestartAt, lastTerminationAt(containerStatus));
      const { waiting, terminated, running } = containerStatus.state ?? {};
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated) {
        reason = terminated.reason || exitDescription(terminated);
      } else if (containerStatus.ready && running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last-listed container completed is still Running while another keeps running.
    if (reason === 'Completed' && hasRunning) {
      const podReady = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === NODE_LOST_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  return { readyContainers, totalContainers, reason, restarts, lastRestartAt };
}

/** `Signal:<n>` when a signal ended the container, else `ExitCode:<n>`. */
function exitDescription(terminated: { exitCode: number; signal?: number }): string {
  return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
}

/** Sidecars are init containers with `restartPolicy: Always`; they keep running beside the app. */
function isRestartable(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function lastTerminationAt(containerStatus: ContainerStatus): number | undefined {
  return parseTimestamp(containerStatus.lastState?.terminated?.finishedAt);
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/** Whether the first condition of a type is True; later duplicates are ignored, as upstream does. */
function isConditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return conditions?.find((condition) => condition.type === type)?.status === 'True';
}

/** The RESTARTS cell: `3`, or `3 (5m ago)` when the time of the last restart is known. */
export function formatRestarts(summary: PodSummary, now: number): string {
  if (summary.restarts === 0 || summary.lastRestartAt === undefined) return String(summary.restarts);
  return `${summary.restarts} (${humanDuration(now - summary.lastRestartAt)} ago)`;
}

/** The READINESS GATES cell: `<true>/<total>` over `spec.readinessGates`, or `<none>` without gates. */
function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return NONE;
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((gate) => isConditionTrue(conditions, gate.conditionType)).length;
  return `${passed}/${gates.length}`;
}

/** The IP cell: the first pod IP (from `podIPs`, else the legacy `podIP`), or `<none>`. */
function podIPCell(pod: Pod): string {
  return pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || NONE;
}

export const podPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'Ready containers out of all containers, sidecars included.'),
    column('Status', 'A one-word summary of the pod and its containers.'),
    column('Restarts', 'Container restarts, and how long ago the last one was.'),
    ageColumn,
    column('IP', 'The first IP address of the pod.', { priority: 1 }),
    column('Node', 'The node the pod is bound to.', { priority: 1 }),
    column('Nominated Node', 'The node preemption made room on for this pod.', { priority: 1 }),
    column('Readiness Gates', 'Readiness gates that are true out of all declared.', { priority: 1 }),
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    const pod = obj as Pod;
    const summary = podSummary(pod);
    return [
      nameOf(pod),
      `${summary.readyContainers}/${summary.totalContainers}`,
      summary.reason,
      formatRestarts(summary, now),
      ageOf(pod, now),
      podIPCell(pod),
      pod.spec?.nodeName || NONE,
      pod.status?.nominatedNodeName || NONE,
      readinessGatesCell(pod),
    ];
  },
};
