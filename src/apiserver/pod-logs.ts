/**
 * `GET /api/v1/namespaces/NS/pods/NAME/log`: what kube-apiserver does before it proxies to the kubelet
 * (decode and validate PodLogOptions, find the pod, pick the container: pkg/registry/core/pod/rest/log.go
 * and strategy.go LogLocation), and what the kubelet does with the lines (tailLines, sinceSeconds,
 * sinceTime, timestamps, limitBytes, follow: pkg/kubelet/kuberuntime/logs). The lines themselves come
 * from a `PodLogSource`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, badRequest, fieldErrors, invalid, notFound, type FieldError } from '../api/errors.js';
import type { ContainerLog, LogLine, PodLogSource } from '../api/logs.js';
import { checkTime, goQuote, rfc3339 } from '../api/schema/index.js';
import type { Node, Pod } from '../api/types.js';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Milliseconds since the epoch. */
  sinceTime?: number;
  limitBytes?: number;
}

/**
 * Reads the query as upstream's parameter codec does (a value that does not convert is 400 with Go's
 * error text), then validates it (422 `PodLogOptions "name" is invalid`).
 */
export function podLogOptions(query: URLSearchParams, podName: string): PodLogOptions {
  const options: PodLogOptions = {
    container: query.get('container') || undefined,
    follow: queryBool(query.get('follow')),
    previous: queryBool(query.get('previous')),
    timestamps: queryBool(query.get('timestamps')),
    tailLines: queryInt64(query.get('tailLines')),
    sinceSeconds: queryInt64(query.get('sinceSeconds')),
    sinceTime: queryTime(query.get('sinceTime')),
    limitBytes: queryInt64(query.get('limitBytes')),
  };
  const errors = validatePodLogOptions(options);
  if (errors.length) throw invalid('PodLogOptions', '', podName, errors);
  return options;
}

/** Upstream's conversion of a query value to bool: absent, `0` and `false` (any case) are false. */
export function queryBool(value: string | null): boolean {
  return value !== null && value !== '0' && value.toLowerCase() !== 'false';
}

/** Go's `strconv.ParseInt(value, 10, 64)`, with its error text. */
export function queryInt64(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^[+-]?\d+$/.test(value)) throw badRequest(`strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`);
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw badRequest(`strconv.ParseInt: parsing ${goQuote(value)}: value out of range`);
  return Number(n);
}

/** metav1.Time from a query value: empty and `null` mean unset, anything else must be RFC 3339. */
export function queryTime(value: string | null): number | undefined {
  if (value === null || value === '' || value === 'null') return undefined;
  const error = checkTime(value, rfc3339);
  if (error) throw badRequest(error);
  // Go accepts a one-digit hour; Date.parse does not.
  return Date.parse(value.replace(/T(\d):/, 'T0$1:'));
}

/** Upstream's ValidatePodLogOptions (pkg/apis/core/validation). */
export function validatePodLogOptions(options: PodLogOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (options.tailLines !== undefined && options.tailLines < 0) {
    errors.push(fieldErrors.invalid('tailLines', options.tailLines, 'must be greater than or equal to 0'));
  }
  if (options.limitBytes !== undefined && options.limitBytes < 1) {
    errors.push(fieldErrors.invalid('limitBytes', options.limitBytes, 'must be greater than 0'));
  }
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    errors.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) {
    errors.push(fieldErrors.invalid('sinceSeconds', options.sinceSeconds, 'must be greater than 0'));
  }
  return errors;
}

/**
 * The container to read, as upstream's validateContainer: the one named, or the only one; init and
 * ephemeral containers count as valid names and are listed first in the choices.
 */
export function logContainer(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata.name ?? '';
  const ephemeral = (pod.spec.ephemeralContainers as { name: string }[] | undefined) ?? [];
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...ephemeral].map((c) => c.name);
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (pod.spec.containers.length === 1) return pod.spec.containers[0]!.name;
  if (pod.spec.containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
}

/** The kubelet's choice of lines for a first read: the last `tailLines`, then those since the since time. */
export function selectLines(lines: LogLine[], options: PodLogOptions, now: number): LogLine[] {
  let selected = lines;
  if (options.tailLines !== undefined) selected = options.tailLines === 0 ? [] : selected.slice(-options.tailLines);
  const since = sinceOf(options, now);
  return since === undefined ? selected : selected.filter((l) => l.time >= since);
}

function sinceOf(options: PodLogOptions, now: number): number | undefined {
  let since = options.sinceSeconds !== undefined ? now - options.sinceSeconds * 1000 : undefined;
  if (options.sinceTime !== undefined && (since === undefined || options.sinceTime > since)) since = options.sinceTime;
  return since;
}

/** The kubelet's timestamp prefix, RFC 3339 with exactly nine fractional digits: `2026-11-24T19:23:07.004000000Z`. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Writes lines to the response, with timestamps if asked, until limitBytes are spent. */
class LineWriter {
  private remaining: number;

  constructor(
    private readonly res: ServerResponse,
    private readonly timestamps: boolean,
    limitBytes: number | undefined,
  ) {
    this.remaining = limitBytes ?? Infinity;
  }

  /** False once the byte limit is reached: the log ends there, possibly mid-line, as the kubelet's does. */
  write(lines: LogLine[]): boolean {
    if (lines.length === 0) return this.remaining > 0;
    let bytes = Buffer.from(lines.map((l) => (this.timestamps ? `${logTimestamp(l.time)} ${l.text}\n` : `${l.text}\n`)).join(''));
    if (bytes.length > this.remaining) bytes = bytes.subarray(0, this.remaining);
    this.remaining -= bytes.length;
    this.res.write(bytes);
    return this.remaining > 0;
  }
}

/** What the log handler needs from the server; re-reading the pod at each step is a map lookup in the watch cache. */
export interface PodLogContext {
  source?: PodLogSource;
  now: () => number;
  pod(namespace: string, name: string): Pod | undefined;
  node(name: string): Node | undefined;
  /** Calls `onChange` after every change to the pod (or its deletion); returns a function that stops. */
  watchPod(namespace: string, name: string, onChange: () => void): () => void;
  /** Open follow streams, so that closing the server ends them. */
  streams: Set<() => void>;
  log: (message: string) => void;
}

export function servePodLog(context: PodLogContext, req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams): void {
  const options = podLogOptions(query, name);
  const pod = context.pod(namespace, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  const container = logContainer(pod, options.container);
  const nodeName = pod.spec.nodeName;
  if (!nodeName) {
    // Upstream has no kubelet to ask yet and streams nothing: 204 with an empty body.
    res.writeHead(204);
    res.end();
    return;
  }
  const node = context.node(nodeName);
  if (!node) throw notFound({ group: '', resource: 'nodes' }, nodeName);
  const now = context.now();
  const log = context.source?.containerLog({ pod, node, container, previous: options.previous, now });
  if (!log) throw kubeletUnreachable(node, namespace, name, container, options);

  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const writer = new LineWriter(res, options.timestamps, options.limitBytes);
  const more = writer.write(selectLines(log.lines, options, now));
  if (!options.follow || !more || log.finished) {
    res.end();
    return;
  }
  // kubectl logs -f shows nothing until the first byte unless the headers go out now.
  res.flushHeaders();
  followLog(context, req, res, writer, { namespace, name, pod, container, previous: options.previous, since: sinceOf(options, now), cursor: now, first: log });
}

interface Followed {
  namespace: string;
  name: string;
  pod: Pod;
  container: string;
  previous: boolean;
  /** Lines before this are skipped, later ones too (a sinceTime in the future). */
  since?: number;
  /** Every line up to this time has been read. */
  cursor: number;
  first: ContainerLog;
}

/**
 * Keeps writing lines as they become due (one timer) and on every change to the pod (one watch), and
 * ends when the pod goes or is replaced, the container instance changes or stops writing, the byte
 * limit is reached, or the client leaves.
 */
function followLog(context: PodLogContext, req: IncomingMessage, res: ServerResponse, writer: LineWriter, followed: Followed): void {
  const { source } = context;
  let timer: NodeJS.Timeout | undefined;
  let cursor = followed.cursor;
  /** The pod as last seen, to read the last words of a container whose pod was just removed. */
  let lastSeen = followed.pod;
  const uid = followed.pod.metadata.uid;
  let stopWatch = () => {};
  const finish = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    stopWatch();
    context.streams.delete(finish);
    if (!res.writableEnded) res.end();
  };
  const schedule = (at: number | undefined) => {
    if (timer) clearTimeout(timer);
    timer = at === undefined ? undefined : setTimeout(guarded, Math.max(0, at - context.now()) + 1);
  };
  /** Reads what is new up to `now` and writes it; false when the stream must end. */
  const read = (pod: Pod, now: number): boolean => {
    const node = pod.spec.nodeName ? context.node(pod.spec.nodeName) : undefined;
    if (!node || !source) return false;
    let log: ContainerLog | undefined;
    try {
      log = source.containerLog({ pod, node, container: followed.container, previous: followed.previous, now, after: cursor });
    } catch (error) {
      if (error instanceof StatusError) return false; // back to waiting: this instance's log is over
      throw error;
    }
    if (!log || log.instance !== followed.first.instance) return false;
    cursor = now;
    const { since } = followed;
    if (!writer.write(since === undefined ? log.lines : log.lines.filter((l) => l.time >= since)) || log.finished) return false;
    schedule(log.nextLineAt);
    return true;
  };
  const step = () => {
    if (res.writableEnded) return;
    const pod = context.pod(followed.namespace, followed.name);
    if (pod && pod.metadata.uid === uid) {
      lastSeen = pod;
      if (!read(pod, context.now())) finish();
      return;
    }
    // Removed once its containers stopped: they wrote up to their SIGTERM, which may be a moment ahead.
    if (!pod && lastSeen.metadata.deletionTimestamp) read(lastSeen, Number.MAX_SAFE_INTEGER);
    finish();
  };
  // A failing follower ends its own stream; it must never take the server down from a timer.
  const guarded = () => {
    try {
      step();
    } catch (error) {
      context.log(`pod log stream for ${followed.namespace}/${followed.name} failed: ${(error as Error).stack ?? String(error)}`);
      finish();
    }
  };
  stopWatch = context.watchPod(followed.namespace, followed.name, guarded);
  context.streams.add(finish);
  req.on('close', finish);
  res.on('close', finish);
  schedule(followed.first.nextLineAt);
}

/**
 * What kube-apiserver answers when the kubelet does not: the Go client's dial error, as a 500 with no
 * reason, e.g. `Get "https://node-1:10250/containerLogs/default/web/web": dial tcp 10.0.0.1:10250: connect: connection refused`.
 */
export function kubeletUnreachable(node: Node, namespace: string, pod: string, container: string, options: PodLogOptions): StatusError {
  const addresses = node.status?.addresses ?? [];
  const host = preferredAddress(node);
  if (host === undefined) {
    const known = `[${addresses.map((a) => `{${a.type} ${a.address}}`).join(' ')}]`;
    return new StatusError({ code: 500, message: `no preferred addresses found; known addresses: ${known}` });
  }
  const endpoint = (node.status?.daemonEndpoints as { kubeletEndpoint?: { Port?: number } } | undefined)?.kubeletEndpoint?.Port;
  const port = endpoint && endpoint > 0 ? endpoint : 10250;
  const ip = addresses.find((a) => a.type === 'InternalIP')?.address ?? host;
  const params = new URLSearchParams();
  // url.Values.Encode sorts by key.
  if (options.follow) params.set('follow', 'true');
  if (options.limitBytes !== undefined) params.set('limitBytes', String(options.limitBytes));
  if (options.previous) params.set('previous', 'true');
  if (options.sinceSeconds !== undefined) params.set('sinceSeconds', String(options.sinceSeconds));
  if (options.sinceTime !== undefined) params.set('sinceTime', new Date(options.sinceTime).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  if (options.tailLines !== undefined) params.set('tailLines', String(options.tailLines));
  if (options.timestamps) params.set('timestamps', 'true');
  const query = params.size ? `?${params}` : '';
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}/containerLogs/${namespace}/${pod}/${container}${query}`;
  const target = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  return new StatusError({ code: 500, message: `Get ${goQuote(url)}: dial tcp ${target}: connect: connection refused` });
}

/** kube-apiserver's default --kubelet-preferred-address-types order, with the hostname label as fallback. */
function preferredAddress(node: Node): string | undefined {
  const addresses = node.status?.addresses ?? [];
  for (const type of ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP']) {
    const found = addresses.find((a) => a.type === type)?.address;
    if (found) return found;
    if (type === 'Hostname' && node.metadata.labels?.['kubernetes.io/hostname']) return node.metadata.labels['kubernetes.io/hostname'];
  }
  return undefined;
}
