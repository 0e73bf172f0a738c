/**
 * DaemonSet history: the revision hash, ControllerRevision snapshots of the template, finding (or creating)
 * the revision that matches the current template on every sync, folding duplicates of it into one, and
 * trimming old revisions to `spec.revisionHistoryLimit`.
 *
 * Upstream: constructHistory, dedupCurHistories, cleanupHistory, controlledHistories, getPatch and snapshot
 * in pkg/controller/daemon/update.go; ComputeHash in pkg/controller/controller_utils.go. Upstream hashes a Go-specific dump of the template; we
 * hash a canonical JSON form instead, so hash values differ from upstream's while keeping its properties
 * (stable for equal templates, different for different ones, collisionCount absent and 0 differ).
 */

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import { defaultRevisionHistoryLimit } from '../../api/kinds/daemonset.js';
import type { ControllerRevision, DaemonSet, Pod, PodTemplateSpec } from '../../api/types.js';
import { refs, type Client } from '../../client/index.js';
import { getTargetNodeName } from './pinning.js';
import { defaultDaemonSetUniqueLabelKey, newDaemonSetControllerRef } from './pod-template.js';

/** The characters hashes are rendered with (upstream's SafeEncodeString alphabet: no vowels, no 0/1/3). */
export const safeEncodeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character of `text` to the safe alphabet by its char code, as upstream's SafeEncodeString. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += safeEncodeAlphabet[text.charCodeAt(i) % safeEncodeAlphabet.length];
  return out;
}

/** JSON text with object keys sorted at every depth and no whitespace; `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}

const fnvOffsetBasis = 0x811c9dc5;
const fnvPrime = 0x01000193;

/** FNV-1a, 32 bit, over `bytes`, continuing from `hash`. */
export function fnv1a32(bytes: Uint8Array, hash = fnvOffsetBasis): number {
  let h = hash >>> 0;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, fnvPrime) >>> 0;
  }
  return h >>> 0;
}

/**
 * The revision hash of a template: FNV-1a (32 bit) over its canonical JSON; when `collisionCount` is given,
 * 8 more bytes are mixed in (the count as a little-endian uint32, then four zero bytes). The decimal value is
 * rendered with {@link safeEncodeString}.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(extra, hash);
  }
  return safeEncodeString(String(hash));
}

/**
 * The revision `data` for a DaemonSet, as canonical JSON text: a strategic-merge patch replacing the whole
 * template, `{"spec":{"template":{...,"$patch":"replace"}}}`, with the template's `metadata.creationTimestamp`
 * written as `null` (as upstream's marshalling does).
 */
export function revisionDataJson(ds: DaemonSet): string {
  const template = ds.spec.template;
  const metadata = { ...template.metadata, creationTimestamp: null };
  return canonicalJson({ spec: { template: { ...template, metadata, $patch: 'replace' } } });
}

/** Whether a stored revision's data equals `dataJson` (the canonical form of both is compared). */
export function revisionMatches(revision: ControllerRevision, dataJson: string): boolean {
  const data = typeof revision.data === 'string' ? safeParse(revision.data) : revision.data;
  return canonicalJson(data) === dataJson;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The ControllerRevision snapshot of `ds`'s template: named `<ds>-<hash>`, labelled with the template labels
 * plus `controller-revision-hash`, annotated with a copy of the DaemonSet's annotations, controlled by `ds`.
 */
export function newControllerRevision(ds: DaemonSet, hash: string, revision: number): ControllerRevision {
  const metadata: ControllerRevision['metadata'] = {
    name: `${ds.metadata.name ?? ''}-${hash}`,
    namespace: ds.metadata.namespace,
    labels: { ...ds.spec.template.metadata?.labels, [defaultDaemonSetUniqueLabelKey]: hash },
    ownerReferences: [newDaemonSetControllerRef(ds)],
  };
  if (ds.metadata.annotations) metadata.annotations = { ...ds.metadata.annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: JSON.parse(revisionDataJson(ds)), revision };
}

/** The ControllerRevisions controlled by `ds` (by controller reference UID) among `revisions`. */
export function controlledHistories(ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return revisions.filter(
    (revision) =>
      revision.metadata.namespace === ds.metadata.namespace &&
      revision.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === ds.metadata.uid),
  );
}

/** What {@link constructHistory} found or made. */
export interface History {
  current: ControllerRevision;
  old: ControllerRevision[];
  /** The current hash: the current revision's `controller-revision-hash` label. */
  hash: string;
}

/** Raised when a revision name is taken by a different template; the sync is retried. */
export class HashCollisionError extends Error {
  override readonly name = 'HashCollisionError';
}

/** What {@link constructHistory} needs besides the DaemonSet and its revisions. */
export interface ConstructHistoryOptions {
  /**
   * The DaemonSet's (claimed) pods; asked only when several revisions match the current template, to relabel
   * pods before the duplicates go.
   */
  getDaemonPods?: () => Promise<readonly Pod[]>;
}

/**
 * Finds the revision matching the current template among `revisions` (the DaemonSet's controlled ones) or
 * creates it with `revision = max(old) + 1`:
 *
 * - a revision without the `controller-revision-hash` label first gets one, its own name (upstream does so to
 *   stay clear of hash collisions);
 * - several matching revisions are folded into one by {@link dedupCurHistories};
 * - a matching revision with a lower number than `max(old) + 1` is renumbered: a template that comes back (a
 *   rollback) reuses its old revision object as the newest revision;
 * - when the snapshot's name is taken by a revision with other data, `status.collisionCount` is increased and
 *   a {@link HashCollisionError} is thrown so the next pass hashes with the new count.
 */
export async function constructHistory(
  client: Client,
  ds: DaemonSet,
  revisions: readonly ControllerRevision[],
  options: ConstructHistoryOptions = {},
): Promise<History> {
  const namespace = ds.metadata.namespace;
  const dataJson = revisionDataJson(ds);
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let revision of revisions) {
    if (revision.metadata.labels?.[defaultDaemonSetUniqueLabelKey] === undefined) {
      const labels = { ...revision.metadata.labels, [defaultDaemonSetUniqueLabelKey]: revision.metadata.name! };
      revision = await client.update<ControllerRevision>(refs.controllerrevisions, namespace, { ...revision, metadata: { ...revision.metadata, labels } });
    }
    (revisionMatches(revision, dataJson) ? current : old).push(revision);
  }
  const next = maxRevision(old) + 1;

  if (current.length > 0) {
    const kept = await dedupCurHistories(client, ds, current, options.getDaemonPods ?? (async () => []));
    const hash = kept.metadata.labels![defaultDaemonSetUniqueLabelKey]!;
    if (kept.revision >= next) return { current: kept, old, hash };
    const renumbered = await client.patch<ControllerRevision>(refs.controllerrevisions, namespace, kept.metadata.name!, 'merge', { revision: next });
    return { current: renumbered, old, hash };
  }

  const collisionCount = ds.status?.collisionCount;
  const hash = computeHash(ds.spec.template, collisionCount);
  const snapshot = newControllerRevision(ds, hash, next);
  try {
    const created = await client.create<ControllerRevision>(refs.controllerrevisions, namespace, snapshot);
    return { current: created, old, hash };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const existing = await client.get<ControllerRevision>(refs.controllerrevisions, namespace, snapshot.metadata.name!);
  if (revisionMatches(existing, dataJson)) {
    return { current: existing, old, hash: existing.metadata.labels?.[defaultDaemonSetUniqueLabelKey] ?? hash };
  }
  // Another template owns the name. Bump collisionCount only if the one hashed with is still the stored one;
  // otherwise another pass already did, and a retry picks the new count up.
  const fresh = await client.get<DaemonSet>(refs.daemonsets, namespace, ds.metadata.name!);
  if ((fresh.status?.collisionCount ?? undefined) !== (collisionCount ?? undefined)) {
    throw new HashCollisionError(`found a stale collision count (${collisionCount}, expected ${fresh.status?.collisionCount}) of DaemonSet "${ds.metadata.name}" while processing; will retry until it is updated`);
  }
  const status = { ...fresh.status!, collisionCount: (collisionCount ?? 0) + 1 };
  await client.update<DaemonSet>(refs.daemonsets, namespace, { ...fresh, status }, { subresource: 'status' });
  throw new HashCollisionError(`found a hash collision for daemon set ${namespace}/${ds.metadata.name}; bumped collisionCount to ${status.collisionCount}`);
}

/** The highest `revision` among `revisions`, 0 for none. */
export function maxRevision(revisions: readonly ControllerRevision[]): number {
  let max = 0;
  for (const revision of revisions) if (revision.revision > max) max = revision.revision;
  return max;
}

/**
 * Folds several revisions matching the current template into one: keeps the one with the highest `revision`
 * (the last seen on a tie), points every daemon pod whose hash label differs from the kept revision's at it
 * (a JSON merge patch of the label; this relabels genuinely old pods too, as upstream does), then deletes the
 * other matching revisions. One revision is returned as it is, without asking for pods.
 */
export async function dedupCurHistories(
  client: Client,
  ds: DaemonSet,
  curHistories: readonly ControllerRevision[],
  getDaemonPods: () => Promise<readonly Pod[]>,
): Promise<ControllerRevision> {
  if (curHistories.length === 1) return curHistories[0]!;
  let keepCur = curHistories[0]!;
  for (const cur of curHistories) if (cur.revision >= keepCur.revision) keepCur = cur;
  const keepHash = keepCur.metadata.labels?.[defaultDaemonSetUniqueLabelKey] ?? keepCur.metadata.name!;
  const namespace = ds.metadata.namespace;
  for (const pod of await getDaemonPods()) {
    if (pod.metadata.labels?.[defaultDaemonSetUniqueLabelKey] === keepHash) continue;
    const patch = { metadata: { labels: { [defaultDaemonSetUniqueLabelKey]: keepHash } } };
    try {
      await client.patch(refs.pods, namespace, pod.metadata.name!, 'merge', patch);
    } catch (error) {
      // A pod gone meanwhile needs no label.
      if (!isNotFound(error)) throw error;
    }
  }
  for (const cur of curHistories) {
    if (cur.metadata.name === keepCur.metadata.name) continue;
    try {
      await client.delete(refs.controllerrevisions, namespace, cur.metadata.name!);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return keepCur;
}

/**
 * The old revisions to delete so that at most `revisionHistoryLimit` remain: the lowest-numbered first,
 * skipping every revision whose hash label a live pod still carries (so more may remain). Pure.
 */
export function historiesToCleanUp(old: readonly ControllerRevision[], revisionHistoryLimit: number, liveHashes: ReadonlySet<string>): ControllerRevision[] {
  let toKill = old.length - revisionHistoryLimit;
  if (toKill <= 0) return [];
  const doomed: ControllerRevision[] = [];
  for (const history of [...old].sort((a, b) => a.revision - b.revision)) {
    if (toKill <= 0) break;
    if (liveHashes.has(history.metadata.labels?.[defaultDaemonSetUniqueLabelKey] ?? '')) continue;
    doomed.push(history);
    toKill--;
  }
  return doomed;
}

/**
 * Deletes old revisions beyond `spec.revisionHistoryLimit` (default 10) with {@link historiesToCleanUp}. The
 * live hashes are the hash labels of `daemonPods` (the DaemonSet's claimed pods, finished and terminating
 * ones included) that have a target node.
 */
export async function cleanupHistory(client: Client, ds: DaemonSet, old: readonly ControllerRevision[], daemonPods: readonly Pod[]): Promise<void> {
  const limit = ds.spec.revisionHistoryLimit ?? defaultRevisionHistoryLimit;
  if (old.length <= limit) return;
  const liveHashes = new Set<string>();
  for (const pod of daemonPods) {
    const hash = pod.metadata.labels?.[defaultDaemonSetUniqueLabelKey];
    if (hash && getTargetNodeName(pod) !== undefined) liveHashes.add(hash);
  }
  for (const history of historiesToCleanUp(old, limit, liveHashes)) {
    try {
      await client.delete(refs.controllerrevisions, ds.metadata.namespace, history.metadata.name!);
    } catch (error) {
      // Gone already: that is what we wanted.
      if (!isNotFound(error)) throw error;
    }
  }
}
