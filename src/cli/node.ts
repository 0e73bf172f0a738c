/**
 * `everynode node add|remove|stop|start`: change the simulated nodes of a running lab through its
 * API (found through the kubeconfig, as kubectl finds it).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { isQualifiedName, isValidLabelValue } from '../api/names.js';
import { isValidQuantity } from '../api/quantity.js';
import type { Node, Taint } from '../api/types.js';
import {
  cpuAnnotation,
  crashLoopsAnnotation,
  imagePullFailsAnnotation,
  jitterAnnotation,
  memoryAnnotation,
  parseDuration,
  podsAnnotation,
  readyDelayAnnotation,
  startDelayAnnotation,
  staticPodsAnnotation,
  stopDelayAnnotation,
  stoppedAnnotation,
} from '../nodes/index.js';
import { simulatedNode } from './up.js';

/** A mistake in the command line: printed as one line, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface NodeAddOptions {
  labels?: string;
  taints?: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  startDelay?: string;
  readyDelay?: string;
  stopDelay?: string;
  jitter?: string;
  imagePullFails?: string;
  crashLoops?: string;
  /** A directory of static pod manifests the node runs (made absolute: the lab reads it). */
  staticPods?: string;
}

/** The API server URL of the kubeconfig's current context. */
export function serverFromKubeconfig(path: string): string {
  let config: { 'current-context'?: string; contexts?: { name: string; context: { cluster: string } }[]; clusters?: { name: string; cluster: { server: string } }[] };
  try {
    config = YAML.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read kubeconfig ${path}: ${(error as Error).message}; is a lab running (everynode up)?`);
  }
  const context = config.contexts?.find((c) => c.name === config['current-context']);
  const cluster = config.clusters?.find((c) => c.name === context?.context.cluster);
  if (!cluster?.cluster.server) throw new UsageError(`kubeconfig ${path} has no server for its current context`);
  return cluster.cluster.server.replace(/\/+$/, '');
}

/** The kubeconfig to use: --kubeconfig, else $KUBECONFIG (first entry), else the lab's default. */
export function kubeconfigPath(flag: string | undefined): string {
  return resolve(flag ?? process.env.KUBECONFIG?.split(':')[0] ?? './.everynode/kubeconfig');
}

/** `k=v,k2=v2` → labels; each key and value checked as the API server would. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of text.split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid label "${item}": expected key=value`);
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    const problems = [...isQualifiedName(key), ...isValidLabelValue(value)];
    if (problems.length) throw new UsageError(`invalid label "${item}": ${problems[0]}`);
    labels[key] = value;
  }
  return labels;
}

const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** `key[=value]:Effect,…` → taints, as `kubectl taint` writes them. */
export function parseTaints(text: string): Taint[] {
  return text
    .split(',')
    .filter(Boolean)
    .map((item) => {
      const colon = item.lastIndexOf(':');
      const effect = item.slice(colon + 1);
      if (colon <= 0 || !(effects as readonly string[]).includes(effect)) {
        throw new UsageError(`invalid taint "${item}": expected key[=value]:Effect with Effect one of ${effects.join(', ')}`);
      }
      const [key, value] = item.slice(0, colon).split('=', 2);
      const problems = [...isQualifiedName(key), ...(value === undefined ? [] : isValidLabelValue(value))];
      if (problems.length) throw new UsageError(`invalid taint "${item}": ${problems[0]}`);
      return { key, ...(value === undefined ? {} : { value }), effect: effect as Taint['effect'] };
    });
}

/** The Node that `node add` creates. */
export function nodeToAdd(name: string, options: NodeAddOptions): Node {
  const node = simulatedNode(name);
  if (options.labels) node.metadata.labels = { ...node.metadata.labels, ...parseLabels(options.labels) };
  if (options.taints) node.spec = { ...node.spec, taints: parseTaints(options.taints) };
  const capacity: [string, string | undefined][] = [
    [cpuAnnotation, options.cpu],
    [memoryAnnotation, options.memory],
    [podsAnnotation, options.pods],
  ];
  for (const [annotation, value] of capacity) {
    if (value === undefined) continue;
    if (!isValidQuantity(value)) throw new UsageError(`invalid quantity "${value}" for ${annotation.split('/')[1]}: expected e.g. 4, 500m, 16Gi`);
    node.metadata.annotations = { ...node.metadata.annotations, [annotation]: value };
  }
  const timing: [string, string, string | undefined][] = [
    ['start-delay', startDelayAnnotation, options.startDelay],
    ['ready-delay', readyDelayAnnotation, options.readyDelay],
    ['stop-delay', stopDelayAnnotation, options.stopDelay],
    ['jitter', jitterAnnotation, options.jitter],
  ];
  for (const [flag, annotation, value] of timing) {
    if (value === undefined) continue;
    if (parseDuration(value) === undefined) throw new UsageError(`invalid duration "${value}" for --${flag}: expected e.g. 500ms, 2s, 1m30s`);
    node.metadata.annotations = { ...node.metadata.annotations, [annotation]: value };
  }
  if (options.imagePullFails) node.metadata.annotations = { ...node.metadata.annotations, [imagePullFailsAnnotation]: options.imagePullFails };
  if (options.crashLoops) node.metadata.annotations = { ...node.metadata.annotations, [crashLoopsAnnotation]: options.crashLoops };
  if (options.staticPods) node.metadata.annotations = { ...node.metadata.annotations, [staticPodsAnnotation]: staticPodsDir(options.staticPods) };
  return node;
}

/** An existing directory, made absolute (the lab process reads it, from its own working directory). */
export function staticPodsDir(dir: string): string {
  const absolute = resolve(dir);
  let isDirectory = false;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new UsageError(`--static-pods ${dir}: not a directory of pod manifests`);
  return absolute;
}

async function call(server: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, { method, headers: body === undefined ? {} : { 'Content-Type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new UsageError(`cannot reach the lab at ${server} (${(error as Error).message}); is it running (everynode up)?`);
  }
  const payload = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new UsageError(payload.message ?? `the server answered ${response.status}`);
  return payload;
}

export async function addNode(server: string, name: string, options: NodeAddOptions): Promise<string> {
  await call(server, 'POST', '/api/v1/nodes', nodeToAdd(name, options));
  return `node/${name} added`;
}

export async function removeNode(server: string, name: string): Promise<string> {
  await call(server, 'DELETE', `/api/v1/nodes/${encodeURIComponent(name)}`);
  return `node/${name} removed`;
}

/** Stops or restarts a node's heartbeats (the simulated kubelet honours the annotation). */
export async function setNodeStopped(server: string, name: string, stopped: boolean): Promise<string> {
  const patch = { metadata: { annotations: { [stoppedAnnotation]: stopped ? 'true' : null } } };
  await call(server, 'PATCH', `/api/v1/nodes/${encodeURIComponent(name)}`, patch, 'application/merge-patch+json');
  return `node/${name} ${stopped ? 'stopped' : 'started'}`;
}
