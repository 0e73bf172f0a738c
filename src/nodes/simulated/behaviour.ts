/**
 * How a simulated node behaves, declared on the Node (annotations) or in a lab profile: how long its pods
 * take to start, become Ready and stop, with jitter; and which images fail there (image pull failure or a
 * crash loop). Pure: the fleet asks these functions, tests table-drive them.
 */
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { LabelSelector, Node } from '../../api/types.js';
import { fnv1a } from './hash.js';

/** Per-node timing annotations; values are Go-style durations (`500ms`, `2s`, `1m30s`). */
export const startDelayAnnotation = 'everynode.dev/start-delay';
export const readyDelayAnnotation = 'everynode.dev/ready-delay';
export const stopDelayAnnotation = 'everynode.dev/stop-delay';
export const jitterAnnotation = 'everynode.dev/jitter';
/** Per-node fault annotations; values are comma-separated image patterns (`*` matches any run of characters). */
export const imagePullFailsAnnotation = 'everynode.dev/image-pull-fails';
export const crashLoopsAnnotation = 'everynode.dev/crash-loops';

export interface NodeTiming {
  /** From a pod being bound until its containers run. */
  startDelayMs: number;
  /** From running until Ready (a readinessProbe may make it longer). */
  readyDelayMs: number;
  /** How long containers take to stop once the pod is deleted; the grace period caps it. */
  stopDelayMs: number;
  /** Up to this much is added to each pod's start and ready delays, differently per pod. */
  jitterMs: number;
}

export type FaultKind = 'ImagePullFailure' | 'CrashLoop';

/** Containers whose image matches `image` fail as `fault` on the nodes `nodeSelector` selects (all when absent). */
export interface FaultRule {
  image: string;
  fault: FaultKind;
  nodeSelector?: LabelSelector;
}

/** What fails on one node. */
export interface NodeFaults {
  pullFails(image: string): boolean;
  crashLoops(image: string): boolean;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds in a Go-style duration (`0`, `250ms`, `1.5s`, `1m30s`), or undefined when the text is not
 * one (negative durations are refused).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(match[1]) * durationUnits[match[2]!]!;
  return Math.round(total);
}

/** Whether `image` matches `pattern`, where `*` stands for any run of characters and everything else is literal. */
export function imageMatches(pattern: string, image: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(image);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Built-in fault: an image reference containing `does-not-exist` cannot be pulled. */
export function pullFailsImage(image: string): boolean {
  return image.includes('does-not-exist');
}

/** Built-in fault: an image whose tag contains `crashloop` exits with an error every time it starts. */
export function crashLoopsImage(image: string): boolean {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1).split('@')[0]! : '';
  return tag.includes('crashloop');
}

/**
 * The node's timing: its annotations where they hold valid durations, `defaults` otherwise. Invalid
 * annotation values are reported through `invalid` (annotation name and value) and ignored.
 */
export function nodeTiming(node: Node, defaults: NodeTiming, invalid: (annotation: string, value: string) => void = () => {}): NodeTiming {
  const annotations = node.metadata.annotations ?? {};
  const read = (annotation: string, fallback: number): number => {
    const value = annotations[annotation];
    if (value === undefined) return fallback;
    const ms = parseDuration(value);
    if (ms === undefined) {
      invalid(annotation, value);
      return fallback;
    }
    return ms;
  };
  return {
    startDelayMs: read(startDelayAnnotation, defaults.startDelayMs),
    readyDelayMs: read(readyDelayAnnotation, defaults.readyDelayMs),
    stopDelayMs: read(stopDelayAnnotation, defaults.stopDelayMs),
    jitterMs: read(jitterAnnotation, defaults.jitterMs),
  };
}

/**
 * What fails on `node`: the built-in faults, the rules whose node selector matches it, and the patterns in its
 * fault annotations.
 */
export function nodeFaults(node: Node, rules: readonly FaultRule[]): NodeFaults {
  const pull: string[] = [];
  const crash: string[] = [];
  for (const rule of rules) {
    if (rule.nodeSelector && !selects(rule.nodeSelector, node)) continue;
    (rule.fault === 'ImagePullFailure' ? pull : crash).push(rule.image);
  }
  const annotations = node.metadata.annotations ?? {};
  pull.push(...patternList(annotations[imagePullFailsAnnotation]));
  crash.push(...patternList(annotations[crashLoopsAnnotation]));
  return {
    pullFails: (image) => pullFailsImage(image) || pull.some((pattern) => imageMatches(pattern, image)),
    crashLoops: (image) => crashLoopsImage(image) || crash.some((pattern) => imageMatches(pattern, image)),
  };
}

function selects(selector: LabelSelector, node: Node): boolean {
  const parsed = labelSelectorFromObject(selector);
  return parsed !== 'nothing' && matchesLabels(parsed, node.metadata.labels);
}

function patternList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern !== '');
}

/**
 * The jitter of one pod's start and ready delays: two values in [0, jitterMs), fixed by the pod's UID so
 * that a pod keeps its timing when the fleet looks at it again.
 */
export function podJitter(uid: string, jitterMs: number): { startMs: number; readyMs: number } {
  if (jitterMs <= 0) return { startMs: 0, readyMs: 0 };
  const a = fnv1a(uid);
  const b = fnv1a(`${uid}/ready`);
  return { startMs: a % jitterMs, readyMs: b % jitterMs };
}

/**
 * How long after its first lease or status post a node posts the second one: a fraction of the period
 * in (0, period], fixed per node. Real kubelets start at different moments, so their heartbeats are
 * spread over the period; a simulated fleet comes up at one instant and would otherwise renew every
 * lease in the same burst (5,000 writes at once, every 10 s). After the second post, the period holds.
 */
export function firstHeartbeatDelayMs(nodeName: string, periodMs: number, what: 'lease' | 'status'): number {
  const fraction = ((fnv1a(`${nodeName}/${what}`) % 1000) + 1) / 1000;
  return Math.max(1, Math.round(periodMs * fraction));
}
