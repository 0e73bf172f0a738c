/**
 * What the simulated containers write to their logs, derived from the pod alone (spec and status), so
 * every read gives the same lines and nothing is stored.
 *
 * Which instance of a container a request reads, and the errors when there is none, follow the
 * kubelet (pkg/kubelet/kubelet_pods.go, validateContainerLogStatus). Each instance writes:
 * - for a command line that `shell.ts` understands (`sh -c 'while true; do echo hi; sleep 5; done'`,
 *   `echo X`, `sleep 3600`), exactly what it would print, at its pace;
 * - otherwise a few logfmt lines at start (container, image, node, pod), then one every 10 s;
 * - for a run that exited with an error (the fleet's crash loops), a few lines and the error;
 * - when the pod is being deleted, a last line at the SIGTERM (the shell scripts print nothing then).
 */
import { badRequest } from '../../api/errors.js';
import type { ContainerLog, ContainerLogRequest, LogLine, PodLogSource } from '../../api/logs.js';
import { goQuote } from '../../api/schema/index.js';
import type { Container, ContainerStatus, Pod } from '../../api/types.js';
import { crashLoopsImage, isSimulated, isStopped } from './fleet.js';
import { shellProgram, type ShellRun } from './shell.js';
import { fnv1a } from './hash.js';

/** How often the generic container says it is still running. */
export const heartbeatMs = 10_000;
/** The newest lines kept, as a runtime rotating its log files keeps only the last few megabytes. */
export const maxLogLines = 10_000;

/** The simulated kubelets' answer: none for nodes that are not simulated or are stopped (unreachable). */
export const simulatedPodLogs: PodLogSource = {
  containerLog(request) {
    if (!isSimulated(request.node) || isStopped(request.node)) return undefined;
    return simulatedContainerLog(request);
  },
};

/** One run of a container, as its status describes it. */
export interface ContainerInstance {
  id: string;
  start: number;
  /** When it exited; undefined while it runs. */
  end?: number;
  exitCode?: number;
}

/** The lines a simulated container wrote; throws the kubelet's 400 when there is no such log. */
export function simulatedContainerLog(request: ContainerLogRequest): ContainerLog {
  const { pod, container, previous, now } = request;
  const after = request.after ?? -Infinity;
  const instance = containerInstance(pod, container, previous);
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === container);
  const image = spec?.image ?? statusOf(pod, container)?.image ?? '';

  if (instance.end !== undefined) {
    const lines = exitedLines(pod, spec, image, instance).filter((l) => l.time > after && l.time <= now);
    return { instance: instance.id, lines, finished: true };
  }

  const run = programFor(pod, spec, image, instance.start);
  const stopAt = sigtermAt(pod, instance.start);
  if (stopAt === undefined) {
    return { instance: instance.id, lines: linesIn(run, after, now), nextLineAt: nextLineTime(run, now), finished: false };
  }
  // Being deleted: the container writes up to the SIGTERM; the generic one then says so in a last line.
  const lines = linesIn(run, after, Math.min(now, stopAt));
  if (!run.generic) {
    if (stopAt <= now) return { instance: instance.id, lines, finished: true };
    const next = nextLineTime(run, now);
    return { instance: instance.id, lines, nextLineAt: next !== undefined && next <= stopAt ? next : stopAt, finished: false };
  }
  const lastBefore = linesIn(run, -Infinity, stopAt, 1)[0];
  const goodbyeAt = Math.max(stopAt, (lastBefore?.time ?? -Infinity) + 1);
  if (goodbyeAt > after && goodbyeAt <= now) lines.push(line(goodbyeAt, 'info', 'received SIGTERM, shutting down', {}));
  const finished = goodbyeAt <= now;
  return { instance: instance.id, lines, nextLineAt: finished ? undefined : goodbyeAt, finished };
}

/**
 * The instance a request reads, as the kubelet picks it: with `previous` the last terminated one;
 * otherwise the running one, else the one that exited; waiting containers have no log yet.
 */
export function containerInstance(pod: Pod, container: string, previous: boolean): ContainerInstance {
  const podName = pod.metadata.name ?? '';
  const quoted = `container ${goQuote(container)} in pod ${goQuote(podName)}`;
  const status = statusOf(pod, container);
  if (!status) throw badRequest(`${quoted} is not available`);
  const { waiting, running, terminated } = status.state ?? {};
  const last = status.lastState?.terminated;
  // Upstream also wants a containerID on the terminated state; the simulated fleet records none there.
  if (previous) {
    if (!last) throw badRequest(`previous terminated ${quoted} not found`);
    return exited(last, status);
  }
  if (running) {
    const start = parseTime(running.startedAt) ?? parseTime(pod.status?.startTime) ?? 0;
    return { id: `${status.containerID ?? container}/${status.restartCount}/${start}`, start };
  }
  if (terminated) return exited(terminated, status);
  if (last) return exited(last, status);
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') throw badRequest(`${quoted} is waiting to start: image can't be pulled`);
    if (waiting.reason === 'ImagePullBackOff') throw badRequest(`${quoted} is waiting to start: trying and failing to pull image`);
    throw badRequest(`${quoted} is waiting to start: ${waiting.reason ?? ''}`);
  }
  throw badRequest(`${quoted} is waiting to start - no logs yet`);
}

function exited(state: { exitCode: number; startedAt?: string; finishedAt?: string }, status: ContainerStatus): ContainerInstance {
  const end = parseTime(state.finishedAt) ?? parseTime(state.startedAt) ?? 0;
  const start = Math.min(parseTime(state.startedAt) ?? end, end);
  return { id: `${status.name}/exited/${start}/${end}`, start, end, exitCode: state.exitCode };
}

function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  const status = pod.status;
  const lists = [status?.containerStatuses, status?.initContainerStatuses, status?.ephemeralContainerStatuses as ContainerStatus[] | undefined];
  for (const list of lists) {
    const found = list?.find((s) => s.name === container);
    if (found) return found;
  }
  return undefined;
}

// --- what an instance writes ---------------------------------------------------------------------

/** A ShellRun, marked when it is the generic program (which logs its own exit and SIGTERM). */
type Program = ShellRun & { generic?: boolean };

function programFor(pod: Pod, spec: Container | undefined, image: string, start: number): Program {
  const argv = [...(spec?.command ?? []), ...(spec?.args ?? [])];
  const env: Record<string, string> = {};
  for (const e of spec?.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  const run = shellProgram(argv, { env, hostname: pod.metadata.name ?? '' })?.run(start);
  return run ?? genericProgram(pod, spec, image, start);
}

function genericProgram(pod: Pod, spec: Container | undefined, image: string, start: number): Program {
  const port = spec?.ports?.[0];
  const prelude = startupLines(pod, spec?.name ?? '', image, start);
  if (port) prelude.push(line(start + prelude.length, 'info', 'listening', { port: port.containerPort, protocol: port.protocol ?? 'TCP' }));
  prelude.push(line(start + prelude.length, 'info', 'ready', {}));
  const seed = `${pod.metadata.uid ?? ''}/${spec?.name ?? ''}`;
  return {
    generic: true,
    prelude,
    loop: {
      start: start + heartbeatMs,
      periodMs: heartbeatMs,
      // A little jitter per beat, as a real process never wakes exactly on time.
      iteration: (k) => [line(start + (k + 1) * heartbeatMs + (fnv1a(`${seed}/${k}`) % 40), 'info', 'still running', { uptime: goDuration((k + 1) * heartbeatMs) })],
    },
  };
}

function startupLines(pod: Pod, container: string, image: string, start: number): LogLine[] {
  const podRef = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
  return [
    line(start, 'info', 'starting container', { container, image }),
    line(start + 1, 'info', 'running on node', { node: pod.spec.nodeName ?? '', pod: podRef, podIP: pod.status?.podIP ?? '' }),
  ];
}

/** Every line of an instance that has exited, ending with the exit, none after `end`. */
function exitedLines(pod: Pod, spec: Container | undefined, image: string, instance: ContainerInstance): LogLine[] {
  const end = instance.end!;
  const write = (start: number): LogLine[] => {
    if (instance.exitCode) {
      // A crash (the fleet's crash-loop faults): whatever the command, a couple of lines and the error.
      const why = crashLoopsImage(image) ? 'the image tag contains "crashloop"' : 'a crash-loop fault matches this image on this node';
      return [
        ...startupLines(pod, spec?.name ?? '', image, start),
        line(start + 2, 'info', 'loading configuration', {}),
        line(start + 3, 'error', 'exiting after a fatal error', { error: `simulated crash: ${why}`, exitCode: instance.exitCode }),
      ];
    }
    const run = programFor(pod, spec, image, start);
    // All it printed before any loop, then the loop until the exit.
    const lines = [...run.prelude, ...(run.loop ? linesIn({ prelude: [], loop: run.loop }, -Infinity, end) : [])];
    if (run.generic) lines.push(line(Math.max(end, (lines.at(-1)?.time ?? -Infinity) + 1), 'info', 'finished', { exitCode: 0 }));
    return lines;
  };
  const lines = write(instance.start);
  // The fleet stamps start and finish together: a run whose output took longer started that much earlier.
  const overrun = (lines.at(-1)?.time ?? end) - end;
  return overrun > 0 ? write(instance.start - overrun) : lines;
}

/**
 * When a pod being deleted sent SIGTERM to its containers: its deletion time less the grace period,
 * at the end of that second (the timestamp has whole seconds), so never before the deletion was asked.
 */
function sigtermAt(pod: Pod, start: number): number | undefined {
  const deletion = parseTime(pod.metadata.deletionTimestamp);
  if (deletion === undefined) return undefined;
  return Math.max(start, deletion - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000 + 1000);
}

/** The program's lines in (after, upto], the newest `cap` of them, computing only the loop iterations needed. */
export function linesIn(run: ShellRun, after: number, upto: number, cap = maxLogLines): LogLine[] {
  const out = run.prelude.filter((l) => l.time > after && l.time <= upto);
  const loop = run.loop;
  if (loop && upto >= loop.start && loop.iteration(0).length > 0) {
    const last = Math.floor((upto - loop.start) / loop.periodMs);
    // Every iteration writes at least one line, so iterations older than `cap` would be cut anyway.
    const first = Math.max(0, Math.floor((after - loop.start) / loop.periodMs), last - cap);
    for (let k = first; k <= last; k++) {
      for (const l of loop.iteration(k)) if (l.time > after && l.time <= upto) out.push(l);
    }
  }
  return out.length > cap ? out.slice(out.length - cap) : out;
}

/** When the program writes its first line after `now`, if ever. */
export function nextLineTime(run: ShellRun, now: number): number | undefined {
  const early = run.prelude.find((l) => l.time > now);
  if (early) return early.time;
  const loop = run.loop;
  if (!loop || loop.iteration(0).length === 0) return undefined;
  const k = Math.max(0, Math.floor((now - loop.start) / loop.periodMs));
  for (const i of [k, k + 1]) {
    const next = loop.iteration(i).find((l) => l.time > now);
    if (next) return next.time;
  }
  return undefined;
}

// --- formatting ------------------------------------------------------------------------------------

function line(time: number, level: 'info' | 'error', msg: string, fields: Record<string, string | number>): LogLine {
  return { time, text: logfmt(time, level, msg, fields) };
}

/** `ts=2026-11-24T19:23:07.004Z level=info msg="starting container" container=web image=nginx:1.25` */
export function logfmt(time: number, level: string, msg: string, fields: Record<string, string | number>): string {
  const pairs = Object.entries({ level, msg, ...fields }).map(([k, v]) => `${k}=${logfmtValue(String(v))}`);
  return `ts=${new Date(time).toISOString()} ${pairs.join(' ')}`;
}

function logfmtValue(value: string): string {
  return value === '' || /[\s="\\]/.test(value) ? JSON.stringify(value) : value;
}

/** Go's Duration.String for whole seconds: 10s, 1m0s, 1h0m10s. */
export function goDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function parseTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

