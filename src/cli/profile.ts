/**
 * Lab profiles: a YAML file that declares the simulated fleet `everynode up --profile FILE` starts with —
 * pools of nodes (names, labels, taints, capacity), how their pods behave over time (start, ready and stop
 * delays, jitter) and which images fail where (image pull failure, crash loop). See docs/lab-profiles.md.
 *
 * Everything a profile says about one node ends up on that Node as labels, taints and `everynode.dev/*`
 * annotations, so `kubectl get node -o yaml` shows it and `kubectl annotate` changes it later.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import YAML from 'yaml';
import { isValidQuantity } from '../api/quantity.js';
import type { LabelSelector, Node, Taint } from '../api/types.js';
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
  type FaultRule,
} from '../nodes/index.js';
import { UsageError, parseLabels, parseTaints } from './node.js';
import { simulatedNode } from './up.js';

export interface LabProfile {
  /** Fleet-wide timing defaults in ms, where the profile sets them. */
  startDelayMs?: number;
  readyDelayMs?: number;
  stopDelayMs?: number;
  jitterMs?: number;
  /** The nodes to create, pool by pool; empty when the profile has no pools. */
  nodes: Node[];
  faults: FaultRule[];
}

const timingFields = { startDelay: startDelayAnnotation, readyDelay: readyDelayAnnotation, stopDelay: stopDelayAnnotation, jitter: jitterAnnotation } as const;
const topFields = new Set(['apiVersion', 'kind', ...Object.keys(timingFields), 'pools', 'faults']);
const poolFields = new Set(['name', 'count', 'controlPlane', 'labels', 'taints', 'cpu', 'memory', 'pods', 'imagePullFails', 'crashLoops', 'staticPods', ...Object.keys(timingFields)]);
const faultFields = new Set(['image', 'fault', 'nodeSelector']);
const faultKinds = ['ImagePullFailure', 'CrashLoop'] as const;
const poolNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reads and checks a profile file; every mistake is a UsageError naming the file and the field. */
export function loadLabProfile(path: string): LabProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read profile ${path}: ${(error as Error).message}`);
  }
  return parseLabProfile(text, path);
}

export function parseLabProfile(text: string, source: string): LabProfile {
  const fail = (field: string, message: string): never => {
    throw new UsageError(`profile ${source}: ${field}: ${message}`);
  };
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    throw new UsageError(`profile ${source} is not valid YAML: ${(error as Error).message.split('\n')[0]!.replace(/:$/, '')}`);
  }
  if (doc === null || doc === undefined) doc = {};
  const top = asObject(doc, 'the profile', fail);
  checkFields(top, topFields, '', fail);
  if (top.apiVersion !== undefined && top.apiVersion !== 'everynode.dev/v1alpha1') fail('apiVersion', 'must be everynode.dev/v1alpha1');
  if (top.kind !== undefined && top.kind !== 'LabProfile') fail('kind', 'must be LabProfile');

  const profile: LabProfile = { nodes: [], faults: [] };
  const duration = (value: unknown, field: string): number => {
    const ms = typeof value === 'string' ? parseDuration(value) : value === 0 ? 0 : undefined;
    return ms ?? fail(field, `${JSON.stringify(value)} is not a duration (write e.g. 500ms, 2s, 1m30s)`);
  };
  if (top.startDelay !== undefined) profile.startDelayMs = duration(top.startDelay, 'startDelay');
  if (top.readyDelay !== undefined) profile.readyDelayMs = duration(top.readyDelay, 'readyDelay');
  if (top.stopDelay !== undefined) profile.stopDelayMs = duration(top.stopDelay, 'stopDelay');
  if (top.jitter !== undefined) profile.jitterMs = duration(top.jitter, 'jitter');

  const names = new Set<string>();
  asArray(top.pools ?? [], 'pools', fail).forEach((item, i) => {
    const at = `pools[${i}]`;
    const pool = asObject(item, at, fail);
    checkFields(pool, poolFields, `${at}.`, fail);
    const name = pool.name;
    if (typeof name !== 'string' || !poolNamePattern.test(name)) fail(`${at}.name`, 'required: lowercase letters, digits and dashes (nodes are named NAME-1, NAME-2, …)');
    const count = pool.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 100_000) fail(`${at}.count`, 'must be a whole number from 0 to 100000');
    const controlPlane = pool.controlPlane ?? false;
    if (typeof controlPlane !== 'boolean') fail(`${at}.controlPlane`, 'must be true or false');

    const labels = parseMap(pool.labels, `${at}.labels`, fail);
    const taints = parsePoolTaints(pool.taints, `${at}.taints`, fail);
    const annotations: Record<string, string> = {};
    for (const [field, annotation] of [['cpu', cpuAnnotation], ['memory', memoryAnnotation], ['pods', podsAnnotation]] as const) {
      const value = pool[field];
      if (value === undefined) continue;
      const text = String(value);
      if ((typeof value !== 'string' && typeof value !== 'number') || !isValidQuantity(text)) fail(`${at}.${field}`, `${JSON.stringify(value)} is not a quantity (e.g. 4, 500m, 16Gi)`);
      annotations[annotation] = text;
    }
    for (const [field, annotation] of Object.entries(timingFields)) {
      if (pool[field] === undefined) continue;
      duration(pool[field], `${at}.${field}`);
      annotations[annotation] = String(pool[field]);
    }
    for (const [field, annotation] of [['imagePullFails', imagePullFailsAnnotation], ['crashLoops', crashLoopsAnnotation]] as const) {
      if (pool[field] === undefined) continue;
      const patterns = asArray(pool[field], `${at}.${field}`, fail).map((p, j) => (typeof p === 'string' && p.trim() !== '' && !p.includes(',') ? p.trim() : fail(`${at}.${field}[${j}]`, 'must be an image pattern (no commas)')));
      annotations[annotation] = patterns.join(',');
    }
    if (pool.staticPods !== undefined) {
      if (typeof pool.staticPods !== 'string' || pool.staticPods === '') fail(`${at}.staticPods`, 'must be a directory of pod manifests');
      const dir = resolve(dirname(source), pool.staticPods as string);
      try {
        if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      } catch {
        fail(`${at}.staticPods`, `${dir} is not a directory of pod manifests`);
      }
      annotations[staticPodsAnnotation] = dir;
    }

    for (let n = 1; n <= (count as number); n++) {
      const nodeName = `${name}-${n}`;
      if (names.has(nodeName)) fail(`${at}.name`, `node ${nodeName} is already in an earlier pool`);
      names.add(nodeName);
      const node = simulatedNode(nodeName, { controlPlane: controlPlane as boolean });
      node.metadata.labels = { ...node.metadata.labels, ...labels };
      node.metadata.annotations = { ...node.metadata.annotations, ...annotations };
      if (taints.length) node.spec = { ...node.spec, taints: [...(node.spec?.taints ?? []), ...taints] };
      profile.nodes.push(node);
    }
  });

  asArray(top.faults ?? [], 'faults', fail).forEach((item, i) => {
    const at = `faults[${i}]`;
    const rule = asObject(item, at, fail);
    checkFields(rule, faultFields, `${at}.`, fail);
    if (typeof rule.image !== 'string' || rule.image.trim() === '') fail(`${at}.image`, 'required: an image pattern, * matching any run of characters');
    if (!(faultKinds as readonly unknown[]).includes(rule.fault)) fail(`${at}.fault`, `must be one of ${faultKinds.join(', ')}`);
    const fault: FaultRule = { image: (rule.image as string).trim(), fault: rule.fault as FaultRule['fault'] };
    if (rule.nodeSelector !== undefined) fault.nodeSelector = parseSelector(rule.nodeSelector, `${at}.nodeSelector`, fail);
    profile.faults.push(fault);
  });
  return profile;
}

type Fail = (field: string, message: string) => never;

function asObject(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(field, 'must be a mapping');
  return value as Record<string, unknown>;
}

function asArray(value: unknown, field: string, fail: Fail): unknown[] {
  return Array.isArray(value) ? value : fail(field, 'must be a list');
}

function checkFields(object: Record<string, unknown>, known: Set<string>, prefix: string, fail: Fail): void {
  for (const key of Object.keys(object)) if (!known.has(key)) fail(`${prefix}${key}`, `unknown field (known: ${[...known].join(', ')})`);
}

/** A mapping of label keys to values, checked as labels. */
function parseMap(value: unknown, field: string, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  const map = asObject(value, field, fail);
  const text = Object.entries(map)
    .map(([k, v]) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? `${k}=${String(v)}` : fail(`${field}.${k}`, 'must be a string')))
    .join(',');
  return wrapUsage(() => parseLabels(text), field, fail);
}

/** Taints as `key[=value]:Effect` strings or `{key, value, effect}` mappings. */
function parsePoolTaints(value: unknown, field: string, fail: Fail): Taint[] {
  if (value === undefined) return [];
  return asArray(value, field, fail).flatMap((item, i) => {
    if (typeof item === 'string') return wrapUsage(() => parseTaints(item), `${field}[${i}]`, fail);
    const taint = asObject(item, `${field}[${i}]`, fail);
    checkFields(taint, new Set(['key', 'value', 'effect']), `${field}[${i}].`, fail);
    const text = `${String(taint.key ?? '')}${taint.value === undefined ? '' : `=${String(taint.value)}`}:${String(taint.effect ?? '')}`;
    return wrapUsage(() => parseTaints(text), `${field}[${i}]`, fail);
  });
}

function parseSelector(value: unknown, field: string, fail: Fail): LabelSelector {
  const selector = asObject(value, field, fail);
  checkFields(selector, new Set(['matchLabels', 'matchExpressions']), `${field}.`, fail);
  const out: LabelSelector = {};
  if (selector.matchLabels !== undefined) out.matchLabels = parseMap(selector.matchLabels, `${field}.matchLabels`, fail);
  if (selector.matchExpressions !== undefined) {
    out.matchExpressions = asArray(selector.matchExpressions, `${field}.matchExpressions`, fail).map((item, i) => {
      const at = `${field}.matchExpressions[${i}]`;
      const expression = asObject(item, at, fail);
      checkFields(expression, new Set(['key', 'operator', 'values']), `${at}.`, fail);
      if (typeof expression.key !== 'string') fail(`${at}.key`, 'required');
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(expression.operator as string)) fail(`${at}.operator`, 'must be one of In, NotIn, Exists, DoesNotExist');
      const values = expression.values === undefined ? undefined : asArray(expression.values, `${at}.values`, fail).map(String);
      return { key: expression.key as string, operator: expression.operator as 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', ...(values ? { values } : {}) };
    });
  }
  return out;
}

function wrapUsage<T>(parse: () => T, field: string, fail: Fail): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) return fail(field, error.message);
    throw error;
  }
}
